"""Tests of the v1 provider: its client (dialect, endpoints, retries, redaction) and its reader."""
