"""The HTTP boundary: the only module of vultr-state (besides the emulator's adapter) that imports requests.

``pipeline.Pipeline`` hands it one ``HttpRequest`` per attempt and gets back an ``HttpReply`` (status,
body text, ``Retry-After``) or an ``ApiTransportError`` / ``ApiConnectError``. Every exception that
requests, urllib3 or the socket layer can raise is translated here, once, and raised ``from`` the
original. The session is injected (tests mount the emulator's in-process adapter on it) or built here
with connection pooling. Redirects are never followed: requests would forward the auth header (v1's
``API-Key``, v2's ``Authorization``) to the new location, wherever it points. A request carries query
parameters, form parameters (v1 POSTs) or a JSON body text (v2 writes); the dialect decides which.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import requests
import urllib3.exceptions

from vultr_state.errors import ApiConnectError, ApiTransportError

# The largest body we read. A v1 server/list of a few thousand servers is a few MiB; anything far beyond
# that is not an API answer, and reading it all would only exhaust memory.
MAX_BODY_BYTES = 32 * 1024 * 1024
_CHUNK = 64 * 1024
# Connections kept per host: enough for a parallel apply's workers, which the rate limiter paces anyway.
POOL_SIZE = 16


@dataclass(frozen=True, slots=True)
class HttpRequest:
    """One attempt to send.

    Attributes:
        method: ``GET``, ``POST``, ``PATCH``, ``PUT`` or ``DELETE``.
        url: The full URL, without the query.
        call: The call's label for errors (``"POST server/create"``).
        query: Query-string parameters.
        form: Form-encoded body parameters (v1 POSTs); ignored when ``body`` is given.
        body: A body text sent as is (a JSON document for v2); its ``Content-Type`` is in ``headers``.
        headers: Header pairs (auth included, so never shown in a ``repr``).
    """

    method: str
    url: str
    call: str
    query: tuple[tuple[str, str], ...] = ()
    form: tuple[tuple[str, str], ...] = ()
    body: str | None = field(default=None, repr=False)
    headers: tuple[tuple[str, str], ...] = field(default=(), repr=False)


@dataclass(frozen=True, slots=True)
class HttpReply:
    """What came back: status, decoded body and the ``Retry-After`` header (the only header we use)."""

    status: int
    body: str = field(repr=False)
    retry_after: str | None = None


# What callers above the pipeline name a session by (they never import requests themselves).
Session = requests.Session


class _PooledSession(requests.Session):
    """A session that reads the environment's settings for a host once, not on every request.

    requests looks up the proxy variables (``HTTPS_PROXY``, ``NO_PROXY``...) and the CA bundle
    (``REQUESTS_CA_BUNDLE``, ``CURL_CA_BUNDLE``) before each request, about half a millisecond each
    time; every request of a run goes to the one API host, so the answer for a scheme and host (and
    the same request and session settings) is kept for the session's life. The variables are still
    honoured exactly as requests honours them, as they were when the session first reached that host.
    """

    def __init__(self) -> None:
        super().__init__()
        self._environment: dict[tuple[object, ...], dict[str, Any]] = {}

    def merge_environment_settings(
        self, url: str, proxies: Any, stream: Any, verify: Any, cert: Any
    ) -> dict[str, Any]:
        scheme, netloc = urlsplit(url)[:2]
        key = (
            scheme.lower(),
            netloc.lower(),
            self.trust_env,
            _frozen(proxies),
            stream,
            verify,
            cert,
            _frozen(self.proxies),
            self.stream,
            self.verify,
            self.cert,
        )
        settings = self._environment.get(key)
        if settings is None:
            settings = super().merge_environment_settings(url, dict(proxies or {}), stream, verify, cert)
            self._environment[key] = settings
        return {**settings, "proxies": dict(settings["proxies"])}


def _frozen(mapping: Any) -> tuple[tuple[Any, Any], ...]:
    return tuple(sorted((mapping or {}).items()))


def build_session() -> requests.Session:
    """A pooled session (it honours the usual proxy and CA-bundle environment variables)."""
    session = _PooledSession()
    adapter = requests.adapters.HTTPAdapter(pool_connections=2, pool_maxsize=POOL_SIZE)
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    return session


class Transport:
    """Sends ``HttpRequest``s over a requests session, translating every failure.

    Args:
        session: The session to use; a fresh pooled one when None.
        timeout: (connect, read) timeouts in seconds, applied to every request.
        max_body_bytes: Bodies longer than this raise ``ApiTransportError``.
    """

    def __init__(
        self,
        session: requests.Session | None,
        timeout: tuple[float, float],
        max_body_bytes: int = MAX_BODY_BYTES,
    ):
        self._session = session if session is not None else build_session()
        self._timeout = timeout
        self._max_body_bytes = max_body_bytes

    def __repr__(self) -> str:
        return f"Transport(timeout={self._timeout!r})"

    def close(self) -> None:
        """Close the session's pooled connections."""
        self._session.close()

    def send(self, request: HttpRequest, scrub: Callable[[str], str]) -> HttpReply:
        """Send one request and read its whole body.

        Args:
            request: What to send.
            scrub: Removes secrets from the text of a low-level error before it goes into a message.

        Raises:
            ApiConnectError: no connection could be opened; nothing was sent.
            ApiTransportError: timeout, reset, protocol error, oversized or undecodable body.
        """
        data: bytes | list[tuple[str, str]] | None = None
        if request.body is not None:
            data = request.body.encode("utf-8")
        elif request.method != "GET":
            data = list(request.form)
        try:
            response = self._session.request(
                request.method,
                request.url,
                params=list(request.query),
                data=data,
                headers=dict(request.headers),
                timeout=self._timeout,
                allow_redirects=False,
                stream=True,
            )
            try:
                body = self._read_body(request.call, response)
                retry_after = response.headers.get("Retry-After")
                status = int(response.status_code)
            finally:
                response.close()
        except ApiTransportError:
            raise
        except requests.exceptions.ConnectTimeout as exc:
            raise ApiConnectError(request.call, None, "connection timed out") from exc
        except requests.exceptions.Timeout as exc:
            raise ApiTransportError(request.call, None, "timed out waiting for the answer") from exc
        except requests.exceptions.SSLError as exc:
            raise ApiTransportError(request.call, None, f"TLS error: {scrub(_reason(exc))}") from exc
        except requests.exceptions.ConnectionError as exc:
            if _never_connected(exc):
                raise ApiConnectError(request.call, None, f"cannot connect: {scrub(_reason(exc))}") from exc
            raise ApiTransportError(request.call, None, f"connection failed: {scrub(_reason(exc))}") from exc
        except (requests.RequestException, urllib3.exceptions.HTTPError, OSError, ValueError) as exc:
            raise ApiTransportError(
                request.call, None, f"{type(exc).__name__}: {scrub(_reason(exc))}"
            ) from exc
        return HttpReply(status=status, body=body, retry_after=retry_after)

    def _read_body(self, call: str, response: requests.Response) -> str:
        """Read at most ``max_body_bytes`` and decode as UTF-8."""
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_content(_CHUNK):
            size += len(chunk)
            if size > self._max_body_bytes:
                raise ApiTransportError(
                    call, response.status_code, f"response body larger than {self._max_body_bytes} bytes"
                )
            chunks.append(chunk)
        data = b"".join(chunks)
        if not 200 <= response.status_code < 300:
            return data.decode("utf-8", errors="replace")  # an error text stays readable, whatever it is
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ApiTransportError(call, response.status_code, "response body is not UTF-8 text") from exc


def _never_connected(exc: requests.exceptions.ConnectionError) -> bool:
    """True when urllib3 failed before any byte of the request was written (refused, DNS, connect)."""
    cause = exc.args[0] if exc.args else None
    reason = getattr(cause, "reason", cause)
    return isinstance(reason, urllib3.exceptions.NewConnectionError | urllib3.exceptions.ConnectTimeoutError)


def _reason(exc: BaseException) -> str:
    """A short description of a low-level failure (the innermost reason, not requests' long wrapper)."""
    cause = exc.args[0] if exc.args else exc
    reason = getattr(cause, "reason", None)
    text = str(reason if reason is not None else cause)
    return text[:200]
