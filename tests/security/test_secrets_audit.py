"""Secrets audit: every CLI command, verbose where it can be, as a subprocess against an emulator on a real
port, with a distinctive API key and distinctive startup-script bodies. Neither the key, nor any
``default_password`` the emulator handed out, nor any script body (nor its distinctive line alone) may
appear in stdout, stderr, or any file the commands wrote (saved plans, exported manifests, anything else
under the working directory). The failure paths are covered too: an apply refused midway by an emulator
that echoes the posted script body back in its 412 text, an invalid API key, a missing key, a refused
destroy, a raw call refused by the API.
"""

from __future__ import annotations

import base64
import io
import os
import re
import secrets
import signal
import subprocess
import sys
from dataclasses import replace
from pathlib import Path
from urllib.parse import parse_qsl

import pytest
import requests

from benchmarks.drills.scenario import build_scenario, script_body
from vultr_state.emulator import Emulator, EmulatorConfig, EmulatorServer
from vultr_state.emulator.v1.wire import error_reply

API_KEY = "AUDIT" + secrets.token_hex(12).upper()
SECRET_MARK = re.compile(r"drill-script-secret-[-\w]+")


class EchoingFailure:
    """WSGI middleware: while armed, ``startupscript/update`` of a user script fails with a 412 whose text
    repeats the posted body, as a careless server might."""

    def __init__(self, app):
        self.app = app
        self.armed = False

    def __call__(self, environ, start_response):
        if self.armed and environ.get("PATH_INFO") == "/v1/startupscript/update":
            length = int(environ.get("CONTENT_LENGTH") or 0)
            body = environ["wsgi.input"].read(length)
            params = dict(parse_qsl(body.decode(), keep_blank_values=True))
            if not params.get("name", "").startswith("vultr-state:"):
                reply = error_reply(
                    412, f"Unable to update script: invalid script {params.get('script', '')}"
                )
                headers = [("Content-Type", "text/plain"), ("Content-Length", str(len(reply.body)))]
                start_response("412 Precondition Failed", headers)
                return [reply.body]
            environ["wsgi.input"] = io.BytesIO(body)
        return self.app(environ, start_response)


class Audit:
    """Runs the CLI and keeps everything it printed; collects the secrets to look for."""

    def __init__(self, workdir: Path, url: str, emulator: Emulator):
        self.workdir, self.url, self.emulator = workdir, url, emulator
        self.outputs: list[tuple[str, str]] = []
        self.passwords: set[str] = set()
        self.bodies: set[str] = set()

    def run(self, *args: str, env: dict[str, str] | None = None, expect: int | None = 0) -> str:
        if args[0] not in ("validate", "schema"):
            args = (*args, "--rate-limit", "0")
        environ = {k: v for k, v in os.environ.items() if not k.startswith("VULTR_")}
        environ.update(VULTR_API_URL=self.url, VULTR_API_KEY=API_KEY, VULTR_API_VERSION="v1", NO_COLOR="1")
        environ.update(env or {})
        done = subprocess.run(
            [sys.executable, "-m", "vultr_state", *args],
            cwd=self.workdir,
            env=environ,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=120,
        )
        self.outputs.append((" ".join(args), done.stdout + "\n" + done.stderr))
        if expect is not None:
            assert done.returncode == expect, (args, done.stdout, done.stderr)
        assert "Traceback" not in done.stderr, done.stderr
        self.collect()
        return done.stdout + done.stderr

    def collect(self) -> None:
        self.passwords |= {
            s["default_password"] for s in self.emulator.servers() if s.get("default_password")
        }
        self.bodies |= {
            s["script"] for s in self.emulator.startup_scripts() if SECRET_MARK.search(s["script"])
        }

    def leaks(self, inputs: set[Path]) -> list[str]:
        texts = list(self.outputs)
        for path in sorted(self.workdir.rglob("*")):
            # export writes each script body to scripts/NAME.sh next to its manifest: that is its job.
            exported_body = path.suffix == ".sh" and path.parent.name == "scripts"
            if path.is_file() and path not in inputs and not exported_body:
                texts.append((str(path.relative_to(self.workdir)), path.read_text("utf-8", "replace")))
        marks = {m for body in self.bodies for m in SECRET_MARK.findall(body)}
        found = []
        for where, text in texts:
            for name, values in (("API key", {API_KEY}), ("password", self.passwords), ("script", marks)):
                found += [f"{name} {value[:6]}... in {where}" for value in values if value in text]
            found += [f"script body in {where}" for body in self.bodies if body in text]
        return found


@pytest.fixture
def audit_env(tmp_path):
    emulator = Emulator(
        EmulatorConfig(api_keys=(API_KEY,), rate_limit=0, provision_seconds=0.2, snapshot_seconds=0.2)
    )
    echo = EchoingFailure(emulator)
    server = EmulatorServer(echo).start()  # type: ignore[arg-type]  (WSGI middleware)
    try:
        yield Audit(tmp_path, server.url, emulator), echo
    finally:
        server.stop()
        emulator.close()


def test_no_command_leaks_the_key_a_password_or_a_script_body(audit_env, tmp_path):
    audit, echo = audit_env
    scenario = replace(build_scenario(21, servers=2, project="audit"), snapshots=())  # no snapshot wait
    manifest = scenario.write(tmp_path / "manifest.yaml")
    key_file = tmp_path / "api.key"
    key_file.write_text(API_KEY + "\n")
    inputs = {manifest, key_file}

    audit.run("validate", "manifest.yaml")
    audit.run("schema")
    audit.run("plan", "manifest.yaml", "-v")
    audit.run("plan", "manifest.yaml", "--json", "-v")
    audit.run("plan", "manifest.yaml", "--format", "markdown", "-v")
    audit.run("plan", "manifest.yaml", "--out", "saved.plan.json", "-v")
    audit.run("apply", "saved.plan.json", "--auto-approve", "-v")
    assert audit.passwords and audit.bodies  # the emulator handed out passwords; the scripts are there
    audit.run("apply", "manifest.yaml", "--auto-approve", "-v")
    audit.run("plan", "manifest.yaml", "--detailed-exitcode", "-v")
    audit.run("show", "-v", env={"VULTR_API_KEY": ""}, expect=None)  # no key: a clear refusal
    audit.run("show", "--api-key-file", "api.key", "-v")
    audit.run("show", "--json", "-v")
    audit.run("export", "--project", "audit", "--out", "exported.yaml", "-v")
    audit.run("export", "--project", "audit", "--overwrite", "-v")
    subid = audit.emulator.servers()[0]["SUBID"]
    audit.run("api", "GET", "server/list", "-v")
    audit.run("api", "GET", "server/list", f"SUBID={subid}", "-v")
    audit.run("api", "GET", "startupscript/list", "-v")
    audit.run("api", "GET", "sshkey/list", "-v")
    audit.run("api", "POST", "server/label_set", f"SUBID={subid}", "label=web-0", "-v")
    audit.run("api", "POST", "server/label_set", "SUBID=999", "label=x", "-v", expect=1)

    # A failing apply: the emulator refuses the script update and echoes the new body back.
    changed = replace(
        scenario,
        scripts=tuple(replace(s, body=script_body(21, i, 9)) for i, s in enumerate(scenario.scripts)),
    )
    changed.write(manifest)
    echo.armed = True
    failed = audit.run("apply", "manifest.yaml", "--auto-approve", "-v", expect=1)
    assert "Unable to update script" in failed
    audit.bodies |= set(changed.secrets())
    echo.armed = False
    audit.run("apply", "manifest.yaml", "--auto-approve", "-v")
    audit.run("plan", "manifest.yaml", "-v", env={"VULTR_API_KEY": "WRONG" + API_KEY[5:]}, expect=1)
    audit.run("destroy", "manifest.yaml", "--auto-approve", "-v", expect=1)  # needs --allow-destroy
    audit.run("destroy", "manifest.yaml", "--auto-approve", "--allow-destroy", "--force", "-v")
    assert audit.emulator.servers() == []

    assert len(audit.outputs) == 25  # every command above ran
    assert audit.leaks(inputs) == []
    # The detector itself works: a password, the key and a script's secret line are each found.
    audit.outputs.append(
        ("planted", f"{min(audit.passwords)} {API_KEY} {SECRET_MARK.search(min(audit.bodies))[0]}")
    )
    assert [leak.split()[0] for leak in audit.leaks(inputs)] == ["API", "password", "script"]


def test_emulator_serve_never_prints_its_key(tmp_path):
    environ = {k: v for k, v in os.environ.items() if not k.startswith("VULTR_")}
    environ.update(VULTR_EMULATOR_API_KEY=API_KEY, NO_COLOR="1")
    process = subprocess.Popen(
        [sys.executable, "-m", "vultr_state", "emulator", "serve", "--port", "0", "--access-log"],
        cwd=tmp_path,
        env=environ,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        url = process.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:")
        answer = requests.get(url + "/v1/server/list", params={"api_key": API_KEY}, timeout=10)
        assert answer.status_code == 200
        process.send_signal(signal.SIGTERM)
        stdout, stderr = process.communicate(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0
    assert API_KEY not in url + stdout + stderr
    assert "Traceback" not in stderr


USER_DATA_MARK = "audit-user-data-secret-" + secrets.token_hex(6)


def test_no_command_leaks_a_secret_on_v2(tmp_path):
    """The same audit on v2: the key (a Bearer token), default passwords, user data and script bodies,
    plain and base64, in no output and no file the commands wrote."""
    emulator = Emulator(
        EmulatorConfig(api_keys=(API_KEY,), rate_limit=0, provision_seconds=0.2, snapshot_seconds=0.2)
    )
    server = EmulatorServer(emulator).start()
    try:
        audit = Audit(tmp_path, server.url, emulator)
        scenario = replace(build_scenario(22, servers=2, project="audit"), snapshots=())
        manifest = scenario.write(tmp_path / "manifest.yaml")
        text = manifest.read_text().replace(
            "  ipv6: true\n", f"  ipv6: true\n  user_data: '#cloud-config {USER_DATA_MARK}'\n"
        )
        manifest.write_text(text)
        v2 = {"VULTR_API_VERSION": "v2"}
        for args in (
            ("plan", "manifest.yaml", "-v"),
            ("plan", "manifest.yaml", "--json", "-v"),
            ("plan", "manifest.yaml", "--format", "markdown", "-v"),
            ("plan", "manifest.yaml", "--out", "saved.plan.json", "-v"),
            ("apply", "saved.plan.json", "--auto-approve", "-v"),
            ("apply", "manifest.yaml", "--auto-approve", "-v"),
            ("show", "-v"),
            ("show", "--json", "-v"),
            ("export", "--project", "audit", "--out", "exported.yaml", "-v"),
            ("api", "GET", "/instances", "-v"),
            ("api", "GET", "/startup-scripts", "-v"),
        ):
            audit.run(*args, env=v2)
        instances = [emulator.v2.instance(i["id"]) for i in emulator.v2.instances()]
        passwords = {i["default_password"] for i in instances if i and i.get("default_password")}
        scripts = [
            s
            for s in emulator.v2.startup_scripts()
            if SECRET_MARK.search(base64.b64decode(s["script"]).decode())
        ]
        assert passwords and len(scripts) == 2 and USER_DATA_MARK in text
        values = {API_KEY, USER_DATA_MARK, *passwords, *(s["script"] for s in scripts)}
        values |= {m for s in scripts for m in SECRET_MARK.findall(base64.b64decode(s["script"]).decode())}
        written = [
            p.read_text("utf-8", "replace")
            for p in tmp_path.rglob("*")
            if p.is_file() and p != manifest and not (p.suffix == ".sh" and p.parent.name == "scripts")
        ]
        found = [v[:8] for v in values for _where, out in audit.outputs if v in out]
        found += [v[:8] for v in values for body in written if v in body]
        assert found == []
        assert len(written) >= 2  # the saved plan and the exported manifest were searched
        planted = f"{min(passwords)} {USER_DATA_MARK}"  # the detector itself finds what it looks for
        assert sum(v in planted for v in values) == 2
    finally:
        server.stop()
        emulator.close()
