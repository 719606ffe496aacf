"""``vultr-state show [PATH...]``: a table (or JSON) of the live objects in the account and who owns them.

With a manifest, its project's registry decides "owned" and the reverse-DNS entries it manages are read;
without one, every project's registry found in the account is consulted, so each object shows the
project that owns it or ``unmanaged``. Registry scripts themselves are never listed. Registered by
``vultr_state.cli``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from vultr_state.cli.app import app
from vultr_state.cli.common import (
    ApiKeyFileOption,
    ApiOption,
    ApiUrlOption,
    ConnectionOptions,
    EmulatorOption,
    RateLimitOption,
    VerboseOption,
    emit,
    open_provider,
    owners_by_object,
    setup_logging,
)
from vultr_state.model.desired import Desired

if TYPE_CHECKING:
    from vultr_state.model.live import Live

UNMANAGED = "unmanaged"


@dataclass(frozen=True, slots=True)
class Row:
    """One live object as ``show`` lists it. ``owner`` is the owning project, or None."""

    kind: str
    id: str
    name: str
    status: str
    owner: str | None
    detail: str = ""


@app.command()
def show(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(metavar="PATH", help="Manifest files or directories (optional).", show_default=False),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
    api_url: ApiUrlOption = None,
    api_key_file: ApiKeyFileOption = None,
    emulator: EmulatorOption = False,
    rate_limit: RateLimitOption = None,
    api: ApiOption = None,
    verbose: VerboseOption = False,
) -> None:
    """List the live objects of the account (kind, id, name, status, owner).

    With a manifest, ownership is that of its project and its managed reverse DNS is shown too.
    """
    from vultr_state.manifest import load_manifest
    from vultr_state.providers.base import read_live

    setup_logging(verbose)
    desired = load_manifest([str(p) for p in paths]) if paths else None
    with open_provider(ConnectionOptions(api_url, api_key_file, emulator, rate_limit, api)) as provider:
        live = read_live(provider, desired or Desired(project=""), hide_other_projects=False)
    if desired is not None:
        owners = {(o.kind, o.id): desired.project for o in live.registry.owned}
    else:
        owners = owners_by_object(live.other_registries)
    rows = live_rows(live, owners)
    if as_json:
        emit(rows_json(rows))
    else:
        emit(rows_table(rows))


def live_rows(live: Live, owners: dict[tuple[str, str], str]) -> list[Row]:
    """One row per live object, in kind order then id order (as the reader sorted them)."""
    region_names = {r.id: r.name for r in live.catalog.regions}
    reverse = {r.server_id: r for r in live.reverse_dns}
    rows = [Row("ssh_key", k.id, k.name, "-", owners.get(("ssh_key", k.id))) for k in live.ssh_keys]
    rows += [
        Row("startup_script", s.id, s.name, s.type, owners.get(("startup_script", s.id)))
        for s in live.startup_scripts
    ]
    for s in live.servers:
        parts = [s.main_ip or "no address yet", region_names.get(s.region_id, f"region {s.region_id}")]
        names = reverse.get(s.id)
        if names is not None:
            parts += [f"{ip} → {name}" for ip, name in (*names.ipv4, *names.ipv6) if name]
        status = f"{s.install.phase}/{s.power}"
        rows.append(Row("server", s.id, s.label, status, owners.get(("server", s.id)), ", ".join(parts)))
    rows += [
        Row("snapshot", s.id, s.description, s.state, owners.get(("snapshot", s.id))) for s in live.snapshots
    ]
    return rows


def rows_table(rows: list[Row]) -> str:
    """The rows as an aligned table, followed by a count line."""
    from vultr_state.render import render_table

    if not rows:
        return "The account holds no servers, SSH keys, startup scripts or snapshots.\n"
    cells = [
        [
            r.kind,
            r.id,
            r.name or "(no name)",
            r.status,
            f"owned by {r.owner}" if r.owner else UNMANAGED,
            r.detail,
        ]
        for r in rows
    ]
    owned = sum(1 for r in rows if r.owner)
    table = render_table(["KIND", "ID", "NAME", "STATUS", "OWNER", "DETAIL"], cells)
    return f"{table}\n{len(rows)} objects: {owned} owned, {len(rows) - owned} unmanaged.\n"


def rows_json(rows: list[Row]) -> str:
    """The rows as a JSON document ``{"objects": [...]}``."""
    objects = [
        {"kind": r.kind, "id": r.id, "name": r.name, "status": r.status, "owner": r.owner, "detail": r.detail}
        for r in rows
    ]
    return json.dumps({"objects": objects}, indent=2, ensure_ascii=False) + "\n"
