"""Options and helpers shared by every command that talks to the API (``plan``, ``apply``, ``show``,
``export``, ``api``...).

Commands declare the option aliases below (``ApiUrlOption``, ``EmulatorOption``...), bundle them into a
``ConnectionOptions`` and open a ready provider with ``open_provider`` (the raw ``api`` command:
``open_raw``, a function sending one call on the chosen API). ``PROVIDERS`` is the table of APIs: the
one place in vultr-state that picks a provider. ``--emulator`` runs the
embedded emulator in process (through ``EmulatorAdapter``, no socket) with its SQLite state in
``.vultr-state/emulator.sqlite`` under the working directory, so consecutive commands see one account.
The API key is never a command-line value: it comes from ``VULTR_API_KEY`` or ``--api-key-file``.
Also here: logging set-up for ``-v`` and the colour decision (``--no-color``, ``NO_COLOR``, terminal).
Providers, the emulator and the codecs are imported inside the functions that use them, so that
commands which need none of them (``version``, shell completion, ``--help``) start fast.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TextIO

import typer

from vultr_state.errors import ConfigError

if TYPE_CHECKING:  # providers, the emulator and the registry codec are imported when a command runs
    from vultr_state.emulator import EmulatorConfig
    from vultr_state.http.settings import ClientSettings
    from vultr_state.http.transport import Session
    from vultr_state.model.desired import Desired
    from vultr_state.model.registry import Registry
    from vultr_state.providers.base import Provider

STATE_DIR = ".vultr-state"
EMULATOR_STATE_FILE = "emulator.sqlite"
_GITIGNORE = "# Written by vultr-state --emulator: the emulator's local account state, never committed.\n*\n"
EMULATOR_URL = "https://emulator.invalid"  # never resolved: the adapter answers every call in process
EMULATOR_PROVISION_SECONDS = 3.0

log = logging.getLogger(__name__)

_PANEL = "Connection"

ApiUrlOption = Annotated[
    str | None,
    typer.Option(
        "--api-url",
        envvar="VULTR_API_URL",
        show_default=False,
        help="Base URL of the Vultr API, without the version (default: https://api.vultr.com).",
        rich_help_panel=_PANEL,
    ),
]
ApiKeyFileOption = Annotated[
    Path | None,
    typer.Option(
        "--api-key-file",
        show_default=False,
        help="Read the API key from this file (otherwise from the VULTR_API_KEY environment variable).",
        rich_help_panel=_PANEL,
    ),
]
EmulatorOption = Annotated[
    bool,
    typer.Option(
        "--emulator",
        help=(
            "Run against the embedded Vultr emulator (v1 and v2 accounts, state kept in ./.vultr-state/), "
            "no account needed; --api-url and VULTR_API_KEY are then ignored."
        ),
        rich_help_panel=_PANEL,
    ),
]
ApiOption = Annotated[
    str | None,
    typer.Option(
        "--api",
        envvar="VULTR_API_VERSION",
        show_default=False,
        metavar="v1|v2",
        help="The Vultr API to use (default: v2, the API real accounts use; v1 for the old API and its "
        "emulator).",
        rich_help_panel=_PANEL,
    ),
]
RateLimitOption = Annotated[
    float | None,
    typer.Option(
        "--rate-limit",
        min=0,
        show_default=False,
        help="API requests per second (default: 2 on v1, 30 on v2; unlimited with --emulator); 0 disables "
        "the limit.",
        rich_help_panel=_PANEL,
    ),
]
VerboseOption = Annotated[
    bool,
    typer.Option("-v", "--verbose", help="Log every API call and error details to stderr (secrets masked)."),
]
NoColorOption = Annotated[
    bool,
    typer.Option("--no-color", help="Never colour the output (NO_COLOR in the environment does the same)."),
]
AllowOutsideFilesOption = Annotated[
    bool,
    typer.Option(
        "--allow-outside-files",
        help="Let body files (script_file, public_key_file...) lie outside the directory of the manifest "
        "file naming them (absolute paths, '..', symbolic links leading out); refused by default.",
    ),
]


@dataclass(frozen=True, slots=True)
class ConnectionOptions:
    """Where and how to reach the API, as given on the command line.

    Attributes:
        api_url: ``--api-url`` (or ``VULTR_API_URL``, which the option reads).
        api_key_file: ``--api-key-file``.
        emulator: ``--emulator``.
        rate_limit: ``--rate-limit`` (None = the default for the target and API).
        api: ``--api`` (or ``VULTR_API_VERSION``); None = ``DEFAULT_API``.
    """

    api_url: str | None = None
    api_key_file: Path | None = None
    emulator: bool = False
    rate_limit: float | None = None
    api: str | None = None


def target_option(help_text: str) -> Any:
    """The repeatable ``--target KIND.NAME`` option of plan, apply and destroy, with its help."""
    return Annotated[
        list[str] | None,
        typer.Option("--target", metavar="KIND.NAME", show_default=False, help=help_text),
    ]


def resolve_settings(
    options: ConnectionOptions, env: Mapping[str, str], *, require_key: bool
) -> ClientSettings:
    """Turn command-line options and the environment into client settings.

    Args:
        options: The connection options.
        env: The environment (``VULTR_API_KEY``, ``VULTR_API_URL``).
        require_key: Refuse to go on without an API key (every command but ``api`` needs one).

    Raises:
        ConfigError: conflicting options, an unreadable key file, or no key where one is needed.
    """
    from vultr_state.emulator import DEFAULT_API_KEY
    from vultr_state.http.settings import ClientSettings

    if options.emulator:
        if options.api_key_file is not None:
            raise ConfigError(
                "--emulator and --api-key-file do not go together: the emulator has its own key"
            )
        return ClientSettings.resolve(
            api_key=DEFAULT_API_KEY,
            api_url=EMULATOR_URL,
            env={},
            rate_limit=0.0 if options.rate_limit is None else options.rate_limit,
        )
    rate_limit = options.rate_limit
    if rate_limit is None:
        rate_limit = DEFAULT_RATE_LIMITS.get(options.api or DEFAULT_API)
    settings = ClientSettings.resolve(
        api_key_file=options.api_key_file, api_url=options.api_url, env=env, rate_limit=rate_limit
    )
    if require_key and settings.api_key is None:
        raise ConfigError(
            "no API key: set VULTR_API_KEY, pass --api-key-file FILE, or add --emulator to use the "
            "embedded emulator"
        )
    return settings


def emulator_config(workdir: Path) -> EmulatorConfig:
    """The configuration of the ``--emulator`` account kept under ``workdir/.vultr-state/``.

    Provisioning is short (a new user's first apply should be quick) and the emulator does not rate
    limit: the client paces itself with ``--rate-limit``. The directory gets a ``.gitignore`` that
    ignores everything in it, so trying the tour inside a repository never commits the emulator's state.
    """
    from vultr_state.emulator import EmulatorConfig

    state_dir = workdir / STATE_DIR
    try:
        state_dir.mkdir(exist_ok=True)
        ignore = state_dir / ".gitignore"
        if not ignore.exists():
            ignore.write_text(_GITIGNORE, encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot create the emulator state directory {str(state_dir)!r}: {exc}") from exc
    return EmulatorConfig(
        state_file=str(state_dir / EMULATOR_STATE_FILE),
        rate_limit=0.0,
        provision_seconds=EMULATOR_PROVISION_SECONDS,
        snapshot_seconds=EMULATOR_PROVISION_SECONDS,
    )


def _v1(settings: ClientSettings, session: Session | None) -> Provider:
    from vultr_state.providers.v1 import V1Provider
    from vultr_state.providers.v1.client import VultrClient

    return V1Provider(VultrClient(settings, session=session))


def _v2(settings: ClientSettings, session: Session | None) -> Provider:
    from vultr_state.providers.v2.provider import V2Provider

    return V2Provider(settings, session=session)


# The table of providers: API name -> how to build one over resolved settings and a session (None: the
# provider pools its own connections). The one place that picks a provider.
ProviderFactory = Callable[["ClientSettings", "Session | None"], "Provider"]
PROVIDERS: dict[str, ProviderFactory] = {"v1": _v1, "v2": _v2}
DEFAULT_API = "v2"  # the API real accounts use (v1 shut down in 2023); v1 is one flag away
# Requests per second when --rate-limit is not given (None: the settings' default, v1's 2/s).
DEFAULT_RATE_LIMITS: dict[str, float | None] = {"v1": None, "v2": 30.0}


@contextmanager
def _connection(
    options: ConnectionOptions, *, require_key: bool, env: Mapping[str, str] | None
) -> Iterator[tuple[ClientSettings, Session | None]]:
    """Settings and, with ``--emulator``, a session answered by the in-process emulator."""
    settings = resolve_settings(options, os.environ if env is None else env, require_key=require_key)
    if not options.emulator:
        yield settings, None
        return
    from vultr_state.emulator import Emulator, EmulatorAdapter
    from vultr_state.http.transport import build_session

    emulator = Emulator(emulator_config(Path.cwd()))
    session = build_session()
    session.mount(EMULATOR_URL + "/", EmulatorAdapter(emulator))
    try:
        yield settings, session
    finally:
        session.close()
        emulator.close()


def _chosen_api(options: ConnectionOptions) -> str:
    """The API the options name (``DEFAULT_API`` when none).

    Raises:
        ConfigError: an API the table does not know.
    """
    api = options.api or DEFAULT_API
    if api not in PROVIDERS:
        raise ConfigError(f"unknown API {api!r}: expected one of {', '.join(sorted(PROVIDERS))}")
    return api


@contextmanager
def open_provider(options: ConnectionOptions, *, env: Mapping[str, str] | None = None) -> Iterator[Provider]:
    """A ready provider of ``options.api`` for the options; closed (with its emulator) on exit.

    Raises:
        ConfigError: see ``resolve_settings``; an API the table does not know.
    """
    factory = PROVIDERS[_chosen_api(options)]
    with _connection(options, require_key=True, env=env) as (settings, session):
        provider = factory(settings, session)
        try:
            yield provider
        finally:
            provider.close()


@dataclass(frozen=True, slots=True)
class RawAnswer:
    """The answer to one raw call: status and body text."""

    status: int
    body: str = field(repr=False)


# One raw call: (method, path, query or v1 form parameters, v2 JSON body) -> the answer.
RawCall = Callable[[str, str, "Mapping[str, str]", "Mapping[str, object] | None"], RawAnswer]


@contextmanager
def open_raw(
    options: ConnectionOptions, *, require_key: bool = True, env: Mapping[str, str] | None = None
) -> Iterator[RawCall]:
    """A function making one raw call on ``options.api`` (the ``api`` command); closed on exit.

    v1 takes GET/POST with form or query parameters (a body is refused); v2 takes GET/POST/PATCH/PUT/
    DELETE with query parameters and a JSON body.

    Raises:
        ConfigError: see ``resolve_settings``; an API the table does not know.
    """
    api = _chosen_api(options)
    with _connection(options, require_key=require_key, env=env) as (settings, session):
        if api == "v1":
            from vultr_state.providers.v1.client import VultrClient

            client = VultrClient(settings, session=session)

            def v1_call(method: str, path: str, params: Mapping[str, str], body: object) -> RawAnswer:
                if body is not None:
                    raise ConfigError("v1 takes PARAM=VALUE parameters, not a JSON body")
                answer = client.raw(method, path, params)
                return RawAnswer(answer.status, answer.body)

            try:
                yield v1_call
            finally:
                client.close()
            return
        from vultr_state.providers.v2.provider import V2Provider

        provider = V2Provider(settings, session=session)

        def v2_call(method: str, path: str, params: Mapping[str, str], body: object) -> RawAnswer:
            answer = provider.api.raw(method, path, body if isinstance(body, Mapping) else None, params)
            return RawAnswer(answer.status, answer.body)

        try:
            yield v2_call
        finally:
            provider.close()


class _StderrHandler(logging.Handler):
    """Writes to whatever ``sys.stderr`` is when a record arrives (test runners swap it)."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            sys.stderr.write(self.format(record) + "\n")
        except Exception:  # logging must never break the command
            self.handleError(record)


_handler: logging.Handler | None = None


def setup_logging(verbose: bool) -> None:
    """Send ``vultr_state`` log records to stderr: DEBUG with ``-v``, warnings only otherwise.

    Safe to call once per command invocation (the previous handler is replaced, never duplicated).
    """
    global _handler
    logger = logging.getLogger("vultr_state")
    if _handler is not None:
        logger.removeHandler(_handler)
    _handler = _StderrHandler()
    _handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    logger.addHandler(_handler)
    logger.setLevel(logging.DEBUG if verbose else logging.WARNING)


def want_color(no_color: bool, stream: TextIO | None = None, env: Mapping[str, str] | None = None) -> bool:
    """Whether to colour output: only on a terminal, never with ``--no-color``, ``NO_COLOR`` or TERM=dumb."""
    environ = os.environ if env is None else env
    if no_color or environ.get("NO_COLOR") or environ.get("TERM") == "dumb":
        return False
    target = sys.stdout if stream is None else stream
    isatty = getattr(target, "isatty", None)
    return bool(isatty and isatty())


def show_manifest_warnings(desired: Desired) -> None:
    """Print the manifest's warnings (allowed but probably not meant) on stderr, one located line each."""
    for warning in desired.warnings:
        typer.echo(f"Warning: {warning}", err=True)


def emit(text: str) -> None:
    """Write a rendered text (which ends with its own newline) to stdout."""
    typer.echo(text, nl=False)


def owners_by_object(registries: Iterable[Registry]) -> dict[tuple[str, str], str]:
    """``(kind, id) → project`` for every object some registry owns."""
    return {(o.kind, o.id): reg.project for reg in registries for o in reg.owned}
