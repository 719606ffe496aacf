"""Server change classes on both APIs, through the real CLI (in process, ``main``) against the emulator
served over HTTP on an ephemeral port: a plan upgrade, enabling IPv6, backups on and off and (v2) tags
are one in-place call on the same server (same id, same main IP, no ``--allow-replace``); a downgrade
and turning IPv6 off are replaces that need ``--allow-replace``; a hostname change reinstalls on v2; the
snapshot example plans no changes after its apply on either API. Every write the apply sends is
counted (registry writes left out), so an in-place change that became a replace fails the test."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from vultr_state.cli import main
from vultr_state.emulator import DEFAULT_API_KEY, Emulator, EmulatorConfig, EmulatorServer

SMALL, BIG = "1024 MB RAM,25 GB SSD,1.00 TB BW", "2048 MB RAM,55 GB SSD,2.00 TB BW"
_REGISTRY_PATHS = ("startupscript", "startup-scripts")


class Writes:
    """WSGI middleware: counts every non-GET request by (method, path), registry writes left out."""

    def __init__(self, app):
        self.app = app
        self.counts: Counter[tuple[str, str]] = Counter()
        self._lock = threading.Lock()

    def __call__(self, environ, start_response):
        method, path = environ.get("REQUEST_METHOD", ""), environ.get("PATH_INFO", "")
        if method != "GET" and not any(part in path for part in _REGISTRY_PATHS):
            with self._lock:
                self.counts[(method, path)] += 1
        return self.app(environ, start_response)

    def take(self) -> Counter[tuple[str, str]]:
        with self._lock:
            counts, self.counts = self.counts, Counter()
        return counts


@dataclass
class Account:
    """A served emulator, the write log in front of it, and the API the CLI is told to use."""

    emulator: Emulator
    writes: Writes
    api: str
    manifest: Path

    def run(self, capsys, *args: str) -> tuple[int, str]:
        with pytest.raises(SystemExit) as exited:
            main([*args, "--api", self.api, "--rate-limit", "0"])
        out = capsys.readouterr()
        return int(exited.value.code or 0), out.out + out.err

    def server(self) -> dict:
        """The one server of the account, in neutral words: id, main IP, plan, IPv6, backups, tags."""
        if self.api == "v1":
            (s,) = self.emulator.servers()
            return {"id": s["SUBID"], "ip": s["main_ip"], "plan": s["VPSPLANID"],
                    "ipv6": bool(s["v6_network"]), "backups": s["auto_backups"] == "yes",
                    "tags": [s["tag"]] if s["tag"] else []}  # fmt: skip
        (s,) = self.emulator.v2.instances()
        return {"id": s["id"], "ip": s["main_ip"], "plan": s["plan"],
                "ipv6": "ipv6" in s["features"], "backups": "auto_backups" in s["features"],
                "hostname": s["hostname"],
                "tags": [t for t in s["tags"] if not t.startswith("vultr-state:")]}  # fmt: skip

    def write(self, **fields: object) -> None:
        lines = [f"  - label: web-1\n    plan: {fields.pop('plan', SMALL)}"]
        lines += [f"    {name}: {value}" for name, value in fields.items()]
        self.manifest.write_text(
            "project: classes\ndefaults:\n  region: New Jersey\n  os: Ubuntu 22.04 x64\nservers:\n"
            + "\n".join(lines)
            + "\n"
        )


@pytest.fixture(params=["v1", "v2"])
def account(request, tmp_path, monkeypatch) -> Iterator[Account]:
    emulator = Emulator(EmulatorConfig(rate_limit=0, provision_seconds=0, snapshot_seconds=0))
    writes = Writes(emulator)
    server = EmulatorServer(writes).start()  # type: ignore[arg-type]  (a WSGI wrapper serves like the app)
    monkeypatch.setenv("VULTR_API_URL", server.url)
    monkeypatch.setenv("VULTR_API_KEY", DEFAULT_API_KEY)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.chdir(tmp_path)
    try:
        yield Account(emulator, writes, request.param, tmp_path / "manifest.yaml")
    finally:
        server.stop()
        emulator.close()


def _apply(account: Account, capsys, *flags: str) -> tuple[int, str]:
    return account.run(capsys, "apply", str(account.manifest), "--auto-approve", *flags)


def _plan(account: Account, capsys) -> tuple[int, str]:
    return account.run(capsys, "plan", str(account.manifest), "--detailed-exitcode")


def _settled(account: Account, capsys) -> None:
    code, out = _plan(account, capsys)
    assert code == 0, out


def _upgrade_calls(api: str, server_id: str) -> Counter[tuple[str, str]]:
    if api == "v1":
        return Counter({("POST", "/v1/server/upgrade_plan"): 1})
    return Counter({("PATCH", f"/v2/instances/{server_id}"): 1})


def test_a_plan_upgrade_is_one_call_on_the_same_server_and_a_downgrade_a_replace(account, capsys):
    account.write()
    assert _apply(account, capsys)[0] == 0
    before = account.server()
    account.writes.take()

    account.write(plan=BIG)
    code, out = _plan(account, capsys)
    assert code == 2 and "~ server.web-1 (update in place)" in out and "(in-place)" in out, out
    code, out = _apply(account, capsys)  # no --allow-replace
    assert code == 0, out
    after = account.server()
    assert (after["id"], after["ip"]) == (before["id"], before["ip"]) and after["plan"] != before["plan"]
    upgrade_calls = account.writes.take()
    if account.api == "v1":
        upgrade_calls.pop(("POST", "/v1/server/upgrade_plan_list"), None)  # the executor's check is a GET
    assert upgrade_calls == _upgrade_calls(account.api, before["id"])
    _settled(account, capsys)

    account.write(plan=SMALL)
    code, out = _plan(account, capsys)
    assert code == 2 and "-/+ server.web-1 (replace: plan)" in out and "REFUSED" in out, out
    assert _apply(account, capsys)[0] == 1
    assert account.server()["id"] == before["id"]  # refused: nothing happened
    assert _apply(account, capsys, "--allow-replace")[0] == 0
    replaced = account.server()
    assert replaced["id"] != before["id"] and replaced["plan"] == before["plan"]
    _settled(account, capsys)


def test_enabling_ipv6_is_in_place_and_turning_it_off_a_replace(account, capsys):
    account.write(ipv6="false")
    assert _apply(account, capsys)[0] == 0
    before = account.server()
    account.writes.take()

    account.write(ipv6="true")
    code, out = _apply(account, capsys)
    assert code == 0, out
    after = account.server()
    assert after["ipv6"] and (after["id"], after["ip"]) == (before["id"], before["ip"])
    writes = account.writes.take()
    expected = (
        ("POST", "/v1/server/ipv6_enable")
        if account.api == "v1"
        else ("PATCH", f"/v2/instances/{before['id']}")
    )
    assert writes == Counter({expected: 1})
    _settled(account, capsys)

    account.write(ipv6="false")
    code, out = _plan(account, capsys)
    assert code == 2 and "-/+ server.web-1 (replace: ipv6)" in out, out
    assert _apply(account, capsys, "--allow-replace")[0] == 0
    assert account.server()["id"] != before["id"] and not account.server()["ipv6"]


def test_backups_go_on_and_off_in_place(account, capsys):
    account.write()
    assert _apply(account, capsys)[0] == 0
    server_id = account.server()["id"]
    account.writes.take()
    for wanted, v1_call in ((True, "backup_enable"), (False, "backup_disable")):
        account.write(auto_backups=str(wanted).lower())
        code, out = _apply(account, capsys)
        assert code == 0, out
        assert account.server()["backups"] is wanted and account.server()["id"] == server_id
        expected = (
            ("POST", f"/v1/server/{v1_call}")
            if account.api == "v1"
            else ("PATCH", f"/v2/instances/{server_id}")
        )
        assert account.writes.take() == Counter({expected: 1})
        _settled(account, capsys)


def test_tags_change_in_place_on_v2_keeping_the_owner_tag_and_v1_takes_one(account, capsys):
    account.write(tags="[blue, web]")
    if account.api == "v1":  # one tag per server: a plan problem, not a failure midway through apply
        code, out = _plan(account, capsys)
        assert code == 1 and "v1 servers carry at most 1 tag(s), not 2" in out, out
        assert account.emulator.servers() == []
        return
    assert _apply(account, capsys)[0] == 0
    server_id = account.server()["id"]
    assert sorted(account.server()["tags"]) == ["blue", "web"]
    account.writes.take()
    account.write(tags="[green]")
    code, out = _apply(account, capsys)
    assert code == 0, out
    assert account.server()["tags"] == ["green"] and account.server()["id"] == server_id
    assert account.writes.take() == Counter({("PATCH", f"/v2/instances/{server_id}"): 1})
    (instance,) = account.emulator.v2.instances()
    assert "vultr-state:classes" in instance["tags"]
    _settled(account, capsys)


def test_a_hostname_change_reinstalls_on_v2_and_is_create_time_only_on_v1(account, capsys):
    account.write(hostname="web-1.example.com")
    assert _apply(account, capsys)[0] == 0
    server_id = account.server()["id"]
    account.writes.take()
    account.write(hostname="www-1.example.com")
    code, out = _plan(account, capsys)
    assert code == 2, out
    if account.api == "v1":
        assert "hostname = (set at creation)" in out and "create-time-only" in out, out
        return
    assert "! server.web-1 (reinstall: hostname)" in out and "REFUSED" in out, out
    code, out = _apply(account, capsys, "--allow-reinstall")
    assert code == 0, out
    assert account.server()["hostname"] == "www-1.example.com" and account.server()["id"] == server_id
    assert account.writes.take() == Counter({("POST", f"/v2/instances/{server_id}/reinstall"): 1})
    _settled(account, capsys)


def test_the_snapshot_example_plans_no_changes_after_its_apply(account, capsys, tmp_path):
    examples = Path(__file__).resolve().parents[2] / "examples"
    (tmp_path / "keys").mkdir()
    (tmp_path / "keys" / "deploy.pub").write_text((examples / "keys" / "deploy.pub").read_text())
    manifest = tmp_path / "from-snapshot.yaml"
    manifest.write_text((examples / "from-snapshot.yaml").read_text())
    code, out = account.run(capsys, "apply", str(manifest), "--auto-approve")
    assert code == 0, out
    code, out = account.run(capsys, "plan", str(manifest), "--detailed-exitcode")
    assert code == 0 and "No changes" in out, out


def test_an_export_keeps_the_tags_and_host_name_so_its_plan_shows_no_changes(account, capsys, tmp_path):
    if account.api == "v1":  # one tag; a host name v1 never reads back, recalled from the digest
        account.write(tags="[blue]", hostname="web-1")
    else:  # v2 reads both back
        account.write(tags="[blue, web]", hostname="app-1.internal")
    assert _apply(account, capsys)[0] == 0
    out = tmp_path / "export"
    code, text = account.run(capsys, "export", "--project", "classes", "--out", str(out))
    assert code == 0, text
    exported = (out / "classes.yaml").read_text()
    if account.api == "v2":
        assert "app-1.internal" in exported and "- blue" in exported and "- web" in exported, exported
    code, text = account.run(capsys, "plan", str(out / "classes.yaml"), "--detailed-exitcode")
    assert code == 0 and "No changes" in text, text
