"""Pure tests of ``vultr_state.cli.exporter.build_export`` on hand-built live states."""

from __future__ import annotations

from vultr_state.cli.exporter import build_export
from vultr_state.model.live import Catalog, CatalogOs, CatalogPlan, CatalogRegion, Live, LiveServer
from vultr_state.model.server import BootKind, InstallState, PowerState


def _server(server_id: str, label: str, status: str, main_ip: str | None) -> LiveServer:
    return LiveServer(
        id=server_id, label=label, region_id="1", plan_id="201", os_id="1743", os_name="Ubuntu 22.04 x64",
        boot=BootKind.OS, install=InstallState.PENDING if status == "pending" else InstallState.READY,
        power=PowerState.RUNNING,
        main_ip=main_ip, v6_main_ip=None, v6_network=None, internal_ip=None, auto_backups=False,
    )  # fmt: skip


CATALOG = Catalog(
    regions=(CatalogRegion("1", "New Jersey"),),
    plans=(CatalogPlan("201", "1024 MB RAM,25 GB SSD,1.00 TB BW", ("1",)),),
    oses=(CatalogOs("1743", "Ubuntu 22.04 x64"),),
)


def test_a_server_still_being_installed_is_skipped_with_a_warning():
    live = Live(
        catalog=CATALOG,
        servers=(
            _server("30000001", "ready", "active", "192.0.2.2"),
            _server("30000002", "fresh", "pending", None),
        ),
    )
    exported = build_export("web", live, {})
    assert "label: ready" in exported.manifest
    assert "fresh" not in exported.manifest
    assert exported.warnings == (
        "server 30000002 ('fresh') is still being installed (status pending); skipped: export again once "
        "it is active",
    )
    assert dict(exported.counts)["server"] == 1
