"""The v2 face of the emulator: routes, handlers, views, wire texts, paging and catalog data of the v2 API.

``api.V2Api`` is its entry point, built by ``vultr_state.emulator.app.Emulator`` and served under ``/v2/``
beside ``/v1/`` on the same port. It depends on ``emulator.core`` only, never on ``emulator.v1``.

Decisions (where the recordings and the reference leave a choice):

* **Separate accounts per face.** v2 objects live under ``v2.*`` kinds of the shared SQLite store, so a
  v1 client never sees a v2 instance and v1 SUBIDs never meet v2 UUIDs. One ``reset()`` (or
  ``POST /_emulator/reset``) empties both; one ``--state`` file holds both; both faces draw addresses
  from one pool (``core.allocate``), so a v1 server and a v2 instance never share an IP.
* **Rate limits per API**: ``EmulatorConfig.rate_limit``/``rate_burst`` (v1, 2/s, burst 3; 503 text) and
  ``v2_rate_limit``/``v2_rate_burst`` (v2, 30/s, burst 30; the recorded 429). ``rate_limit=0`` turns both
  off unless ``v2_rate_limit`` is given; ``emulator serve`` has the same four options.
* **Lifecycle** uses v1's ``provision_seconds``/``snapshot_seconds`` (0 in fast tests): pending/none →
  active/locked → active/installingbooting → active/ok; a plan change is resizing/locked for
  ``provision_seconds``. ``default_password`` is in the create answer and in single reads for ten minutes
  after it was issued (2025 behaviour), never in lists; a reinstall issues a new one.
* **Locked refusals**: DELETE, reinstall, OS change, resize, restore and power actions of an instance
  whose server status is none or locked answer HTTP 500 with the recorded "…Server is currently locked"
  family (DELETE: the recorded body exactly).
* **Ids** are v4-shaped UUIDs that sort in creation order (``ids``), which keeps cursor walks exact.

Where the recordings contradict the published OpenAPI document, the recordings are followed:

1. 429 ``{"status": 429,"error": "rate limit exceeded"}`` on every endpoint; the document lists no 429.
2. HTTP 500 "Server is currently locked" (DELETE right after create, reinstall); the document lists no 500.
3. 401/400/404 JSON errors on operations whose document entry lists only 200 (user-data, ipv6 reverse
   list, region availability) or omits 401.
4. Instances carry ``v6_network``, ``v6_main_ip``, ``v6_network_size`` (every recording); the document's
   ``v6_networks`` array never appeared live and is not sent.
5. Instances still carry the deprecated ``tag`` beside ``tags``; ``default_password`` is the last key of
   the create answer.
6. Plans have no ``name`` (the document lists one); snapshots have ``description`` (absent from the
   document's schema) and no ``compressed_size`` (2021 recordings).
7. Startup-script list items omit ``script`` (the documented example) though the schema lists it.
8. ``PATCH /instances/{id}`` types ``os_id`` as a string, create as an integer: both are accepted.
9. ``POST /instances/{id}/ipv4`` answers ``{"ipv4": {...}}`` (documented example) where the schema is an
   empty object.
10. ``/regions/ams/availability`` serves the 2021 recording, which disagrees with the plans' recorded
    ``locations`` (two more vhf plans, one vdc plan fewer).

Beyond the document, for clients met in the wild: ``GET /bare-metals`` and ``GET /plans-metal`` (empty,
apache-libcloud lists them), and the ``@vultr/vultr-node`` 2.x aliases ``POST /startup-scripts/{id}``
(read) and ``DELETE /instances/{id}/ipv6/{ipv6}`` (see ``routes``). The tests check every answer
against the document (``tests/emulator/v2/conformance.py`` carries the same list).
"""
