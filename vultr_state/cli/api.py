"""``vultr-state api METHOD PATH [ARG...]``: one raw API call, its body printed.

A debugging aid, on v2 by default and on v1 with ``--api v1``: the call goes through the same pipeline as
everything else (auth, rate limit, retries, error mapping), and a JSON body is pretty-printed.

- v2: ``vultr-state api GET /instances``, ``api GET /instances per_page=10``,
  ``api POST /ssh-keys name=deploy "ssh_key=ssh-ed25519 AAAA..."``, ``api PATCH /instances/ID
  '{"label": "web-2"}'``, ``api DELETE /ssh-keys/ID``. ``NAME=VALUE`` is a query parameter of a GET or
  DELETE and a string member of the JSON body of a write; ``NAME:=JSON`` a typed member
  (``enable_ipv6:=true``); a single argument that is a JSON object is the whole body.
- v1: ``vultr-state api GET server/list SUBID=576965 --api v1`` (``NAME=VALUE`` query or form
  parameters; GET and POST only).

Secret fields in the answer (``http.redact.SENSITIVE_FIELDS``, the one list: passwords, console URLs
with their tokens, user data, script bodies) are masked unless ``--show-secrets`` is given, so pasting
the output into a CI log or an issue cannot leak them by accident. Registered by ``vultr_state.cli``.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer

from vultr_state.cli.app import app
from vultr_state.cli.common import (
    DEFAULT_API,
    ApiKeyFileOption,
    ApiOption,
    ApiUrlOption,
    ConnectionOptions,
    EmulatorOption,
    RateLimitOption,
    VerboseOption,
    open_raw,
    setup_logging,
)

_WRITES = ("POST", "PATCH", "PUT")


@app.command()
def api(
    method: Annotated[
        str,
        typer.Argument(
            metavar="METHOD", help="GET, POST, PATCH, PUT or DELETE (v1: GET or POST).", show_default=False
        ),
    ],
    path: Annotated[
        str,
        typer.Argument(
            metavar="PATH",
            help="The endpoint: v2 /instances, /ssh-keys/ID...; v1 server/list.",
            show_default=False,
        ),
    ],
    args: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[NAME=VALUE | NAME:=JSON | JSON]...",
            help="Query parameters, or the JSON body of a v2 write (see the command's help).",
            show_default=False,
        ),
    ] = None,
    show_secrets: Annotated[
        bool,
        typer.Option(
            "--show-secrets", help="Show passwords, console URLs, user data and script bodies instead of ***."
        ),
    ] = False,
    api_url: ApiUrlOption = None,
    api_key_file: ApiKeyFileOption = None,
    emulator: EmulatorOption = False,
    rate_limit: RateLimitOption = None,
    api: ApiOption = None,
    verbose: VerboseOption = False,
) -> None:
    """Make one raw API call (v2 by default) and print its body (JSON pretty-printed, secrets masked).

    v2: NAME=VALUE is a query parameter (GET, DELETE) or a string member of the JSON body (POST, PATCH,
    PUT); NAME:=JSON a typed member; one JSON object argument the whole body. v1 (--api v1): NAME=VALUE
    query or form parameters.

    Examples: vultr-state api GET /instances; vultr-state api PATCH /instances/ID '{"label": "web-2"}';
    vultr-state api GET server/list SUBID=576965 --api v1
    """
    setup_logging(verbose)
    chosen = api or DEFAULT_API
    verb = method.upper()
    params, body = parse_arguments(args or [], json_body=chosen != "v1" and verb in _WRITES)
    options = ConnectionOptions(api_url, api_key_file, emulator, rate_limit, api)
    with open_raw(options, require_key=False) as call:
        answer = call(verb, path, params, body)
    text = format_body(answer.body, show_secrets=show_secrets)
    if text:
        typer.echo(text)


def parse_arguments(items: list[str], *, json_body: bool) -> tuple[dict[str, str], dict[str, Any] | None]:
    """The command's arguments as (query or form parameters, JSON body).

    With ``json_body`` (a v2 write) every argument goes into the body: ``NAME=VALUE`` as a string,
    ``NAME:=JSON`` as that JSON value, or one argument that is a whole JSON object. Otherwise each is a
    ``NAME=VALUE`` parameter and there is no body.

    Raises:
        typer.BadParameter: a malformed argument (a usage error, exit 64).
    """
    hint = "NAME=VALUE | NAME:=JSON | JSON"
    if json_body and len(items) == 1 and items[0].lstrip().startswith("{"):
        try:
            document = json.loads(items[0])
        except ValueError as exc:
            raise typer.BadParameter(f"the body is not valid JSON: {exc}", param_hint=hint) from None
        if not isinstance(document, dict):
            raise typer.BadParameter("the body must be a JSON object", param_hint=hint)
        return {}, document
    pairs: dict[str, str] = {}
    body: dict[str, Any] = {}
    for item in items:
        name, sep, value = item.partition("=")
        typed = json_body and name.endswith(":")
        name = name.removesuffix(":").strip() if typed else name.strip()
        if not sep or not name:
            raise typer.BadParameter(f"{item!r} is not NAME=VALUE", param_hint=hint)
        if typed:
            try:
                body[name] = json.loads(value)
            except ValueError:
                raise typer.BadParameter(
                    f"{item!r}: the value after := is not JSON", param_hint=hint
                ) from None
        elif json_body:
            body[name] = value
        else:
            pairs[name] = value
    return pairs, (body if json_body else None)


def format_body(body: str, *, show_secrets: bool) -> str:
    """A response body for printing: pretty JSON when it parses, secret fields masked unless asked."""
    from vultr_state.http.redact import mask_secrets, redact_body_text

    try:
        document = json.loads(body)
    except ValueError:
        return body if show_secrets else redact_body_text(body)
    if not show_secrets:
        document = mask_secrets(document)
    return json.dumps(document, indent=2, ensure_ascii=False)
