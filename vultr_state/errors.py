"""The whole exception tree of vultr-state. Every module raises only these; the CLI catches the root.

::

    VultrStateError                  root; the CLI prints str(e) on stderr and exits 1
    ├── ManifestError                a manifest could not be loaded; .issues lists every problem
    ├── PlanError                    the plan cannot be made (unknown catalog name, identity clash...)
    │   └── UnsafePlanError          the plan needs a permission flag or --force that was not given
    ├── StalePlanError               a saved plan no longer matches the manifest or live state
    ├── ApiError                     an API call failed; .call ("POST server/create"), .status, .message
    │   ├── ApiUsageError            v1 400 / 405: our bug (bad location or method)
    │   ├── ApiAuthError             401 / 403: invalid or missing API key, or source IP not allowed
    │   ├── ApiRequestFailed         v1 412: Vultr refused the request; .message is its text
    │   ├── ApiServerError           500 and other 5xx (retryable for idempotent calls)
    │   ├── ApiRateLimited           v1 503 / v2 429: rate limit hit (retryable, also for creates)
    │   ├── ApiTransportError        timeout, refused or reset connection, unreadable body
    │   │   └── ApiConnectError      no connection could be opened: the request was never sent
    │   ├── ApiOutcomeUnknown        a non-idempotent create failed in a way that may have
    │   │   │                        succeeded remotely; the caller must look before creating again
    │   │   └── CreateOutcomeUnknown the executor looked and nothing shows yet: the step stops, the
    │   │                            create is never re-sent by this apply (the next plan adopts it)
    │   └── ObjectGone               the object a destroy names is already gone or being destroyed
    │                                (the provider decides: v1 reads it from a 412 text, v2 from a 404)
    ├── ApplyError                   an apply stopped early; .result says done / failed / not started
    ├── WaitTimedOut                 a server or snapshot did not reach the awaited state in time
    ├── WaitCancelled                an apply was interrupted while an object was being waited for
    ├── LockError                    another apply of the same project holds the registry lock
    └── ConfigError                  bad options or environment (key file, API URL, ...)

Messages never contain the API key, a default password or a startup-script body.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


class VultrStateError(Exception):
    """Root of every error vultr-state raises on purpose."""


@dataclass(frozen=True, slots=True)
class SourceLocation:
    """A position in a manifest file (1-based line and column)."""

    file: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


@dataclass(frozen=True, slots=True)
class ManifestIssue:
    """One problem found in a manifest: where, which document path, and what."""

    location: SourceLocation | None
    path: tuple[str | int, ...]
    message: str

    def __str__(self) -> str:
        where = str(self.location) if self.location else "<manifest>"
        dotted = ".".join(str(p) for p in self.path)
        return f"{where}: {dotted + ': ' if dotted else ''}{self.message}"


class ManifestError(VultrStateError):
    """A manifest could not be loaded. ``issues`` holds every problem found, sorted by location."""

    def __init__(self, issues: list[ManifestIssue] | tuple[ManifestIssue, ...]):
        self.issues = tuple(issues)
        count = len(self.issues)
        head = f"manifest has {count} problem{'s' if count != 1 else ''}:"
        super().__init__("\n".join([head, *(f"  {issue}" for issue in self.issues)]))


class PlanError(VultrStateError):
    """The plan cannot be computed from this manifest and this live state."""


class UnsafePlanError(PlanError):
    """The plan contains changes that need an explicit permission flag or --force."""


class StalePlanError(VultrStateError):
    """A saved plan no longer matches the manifest or the live account."""


class ApiError(VultrStateError):
    """A Vultr v1 call failed. ``call`` is e.g. ``"POST server/create"``; ``message`` is Vultr's text."""

    retryable = False

    def __init__(self, call: str, status: int | None, message: str):
        self.call = call
        self.status = status
        self.message = message
        status_text = f"HTTP {status}" if status is not None else "no response"
        detail = f": {message}" if message else ""
        super().__init__(f"{call} failed ({status_text}){detail}")

    def __reduce__(self) -> tuple[Any, ...]:
        return (self.__class__, (self.call, self.status, self.message))


class ApiUsageError(ApiError):
    """400 or 405: the client used a wrong location or method (a bug in vultr-state)."""


class ApiAuthError(ApiError):
    """403: the API key is invalid or missing, or the source IP is not allowed to use it."""


class ApiRequestFailed(ApiError):
    """412: Vultr refused the request; ``message`` carries its explanation."""


class ApiServerError(ApiError):
    """500 or another 5xx status."""

    retryable = True


class ApiRateLimited(ApiError):
    """503: the v1 rate limit was hit."""

    retryable = True


class ApiTransportError(ApiError):
    """The request got no usable answer: timeout, refused or reset connection, unreadable body."""

    retryable = True


class ApiConnectError(ApiTransportError):
    """No connection could be opened (refused, name resolution, connect timeout): nothing was sent."""


class ApiOutcomeUnknown(ApiError):
    """A non-idempotent create failed after it may have reached Vultr; look before creating again."""


# Said wherever a create of unknown outcome is stopped (the executor) or held (the planner).
OUTCOME_UNKNOWN = "outcome unknown: will be adopted by the next plan if it appears; rerun after a minute"


class CreateOutcomeUnknown(ApiOutcomeUnknown):
    """A create's answer was lost and the listing right after it does not show the object: the step
    stops without sending it again; the registry keeps its pending entry for the next plan."""

    def __init__(self, what: str, cause: ApiError):
        self.what = what
        self.cause = cause
        super().__init__(cause.call, cause.status, cause.message)
        self.args = (
            f"{what}: the create got no answer ({cause}) and nothing shows yet; the create was not sent "
            f"again. {OUTCOME_UNKNOWN}",
        )

    def __str__(self) -> str:
        return str(self.args[0])

    def __reduce__(self) -> tuple[Any, ...]:
        return (self.__class__, (self.what, self.cause))


class ObjectGone(ApiError):
    """The object a call names no longer exists, or is already being destroyed.

    Raised by a provider's ``Operations.destroy`` (see ``vultr_state.providers.base``), so the executor
    can count "already gone" as done without knowing how an API says it.
    """


class ApplyError(VultrStateError):
    """An apply stopped before finishing. ``result`` reports what was done, failed and left."""

    def __init__(self, message: str, result: Any = None):
        self.result = result
        super().__init__(message)


class WaitTimedOut(VultrStateError):
    """An object did not reach the awaited state before the wait timeout."""


class WaitCancelled(VultrStateError):
    """The apply was interrupted while the object was still being waited for."""


class LockError(VultrStateError):
    """Another apply of the same project holds the registry lock."""


class ConfigError(VultrStateError):
    """Invalid options or environment: API URL, key file, flags that do not fit together."""
