"""The Vultr v1 API client: the only part of vultr-state that speaks HTTP.

``VultrClient`` (every endpoint as a method), ``ClientSettings`` (key and URL resolution) and
``RateLimiter`` (shared by every call of a run). Module map: ``settings`` → ``transport`` (requests, the
one import of it) → ``check`` (status → error) → ``retry`` / ``endpoints`` (what may be re-sent) →
``core`` (the pipeline) → ``servers`` / ``resources`` (methods) → ``api`` (the assembled client);
``normalize`` cleans answers and ``redact`` keeps secrets out of logs and messages.
"""

from vultr_state.http.ratelimit import RateLimiter
from vultr_state.http.redact import redact_body_text
from vultr_state.http.retry import CallKind, RetryPolicy
from vultr_state.http.settings import ClientSettings
from vultr_state.providers.v1.client.api import VultrClient
from vultr_state.providers.v1.client.core import RawResponse

__all__ = [
    "CallKind",
    "ClientSettings",
    "RateLimiter",
    "RawResponse",
    "RetryPolicy",
    "VultrClient",
    "redact_body_text",
]
