"""The shared request pipeline of every provider: the only code that sends HTTP requests.

Module map: ``settings`` (key, URL and rate resolution) → ``transport`` (requests, the one import of
it) → ``ratelimit`` (one limiter per run) → ``retry`` (what may be re-sent, and when) → ``redact``
(secrets out of logs and messages) → ``pipeline`` (one call end to end, over a per-API ``Dialect``:
building the request, mapping an error, following pages). The dialects, endpoints and conversions of
each API live with its provider (``vultr_state.providers.v1``, ``vultr_state.providers.v2``).
"""
