"""``vultr-state api METHOD PATH [PARAM=VALUE...]``: one raw v1 call, its body printed.

A debugging aid: the call goes through the same client as everything else (auth, rate limit, retries,
error mapping), and a JSON body is pretty-printed. Secret fields in the answer (``default_password``,
startup-script bodies, user data) are masked unless ``--show-secrets`` is given, so pasting the output
into a CI log or an issue cannot leak them by accident. Registered by ``vultr_state.cli``.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer

from vultr_state.cli.app import app
from vultr_state.cli.common import (
    ApiKeyFileOption,
    ApiUrlOption,
    ConnectionOptions,
    EmulatorOption,
    RateLimitOption,
    VerboseOption,
    open_client,
    setup_logging,
)

MASK = "***"
SECRET_FIELDS = frozenset({"default_password", "script", "userdata"})


@app.command()
def api(
    method: Annotated[str, typer.Argument(metavar="METHOD", help="GET or POST.", show_default=False)],
    path: Annotated[
        str, typer.Argument(metavar="PATH", help="The v1 endpoint, e.g. server/list.", show_default=False)
    ],
    params: Annotated[
        list[str] | None,
        typer.Argument(metavar="PARAM=VALUE", help="Request parameters.", show_default=False),
    ] = None,
    show_secrets: Annotated[
        bool, typer.Option("--show-secrets", help="Show default passwords and script bodies instead of ***.")
    ] = False,
    api_url: ApiUrlOption = None,
    api_key_file: ApiKeyFileOption = None,
    emulator: EmulatorOption = False,
    rate_limit: RateLimitOption = None,
    verbose: VerboseOption = False,
) -> None:
    """Make one raw v1 API call and print its body (JSON pretty-printed).

    Example: vultr-state api GET server/list SUBID=576965
    """
    setup_logging(verbose)
    pairs = parse_params(params or [])
    options = ConnectionOptions(api_url, api_key_file, emulator, rate_limit)
    with open_client(options, require_key=False) as client:
        response = client.raw(method, path, pairs)
    text = format_body(response.body, show_secrets=show_secrets)
    if text:
        typer.echo(text)


def parse_params(items: list[str]) -> dict[str, str]:
    """``["SUBID=1", "label=a=b"]`` → ``{"SUBID": "1", "label": "a=b"}``.

    Raises:
        typer.BadParameter: an item without ``=`` or with an empty name (a usage error, exit 64).
    """
    pairs: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise typer.BadParameter(f"{item!r} is not PARAM=VALUE", param_hint="PARAM=VALUE")
        pairs[name.strip()] = value
    return pairs


def format_body(body: str, *, show_secrets: bool) -> str:
    """A response body for printing: pretty JSON when it parses, secret fields masked unless asked."""
    from vultr_state.http.redact import redact_body_text

    try:
        document = json.loads(body)
    except ValueError:
        return body if show_secrets else redact_body_text(body)
    if not show_secrets:
        document = mask_secrets(document)
    return json.dumps(document, indent=2, ensure_ascii=False)


def mask_secrets(value: Any) -> Any:
    """A copy of a JSON value with every non-empty string under a secret field name replaced by ***."""
    if isinstance(value, dict):
        return {
            key: MASK
            if key.lower() in SECRET_FIELDS and isinstance(item, str) and item
            else mask_secrets(item)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [mask_secrets(item) for item in value]
    return value
