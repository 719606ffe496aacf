"""Frozen value objects shared by every layer: what the manifest wants (``desired``), what the account
holds (``live``) and what to do about it (``plan``). Nothing here does I/O; dicts stay at the edges."""
