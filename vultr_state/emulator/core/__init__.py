"""The emulator's shared core, used by both faces (``emulator.v1``, ``emulator.v2``) and knowing neither:
configuration, the SQLite store, the install lifecycle on the injectable clock, per-key rate limiting,
seeded faults, address and secret allocation, replies, the HTTP server and the in-process adapter.
"""
