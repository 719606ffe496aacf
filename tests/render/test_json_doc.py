"""The JSON renderer: stable, documented by schemas/plan.schema.json, no secrets."""

from __future__ import annotations

import json
from importlib import resources

import pytest
from jsonschema import Draft202012Validator

from vultr_state.render import FORMAT_VERSION, render_json


@pytest.fixture(scope="module")
def schema() -> dict:
    text = resources.files("vultr_state").joinpath("schemas/plan.schema.json").read_text(encoding="utf-8")
    return json.loads(text)


def test_schema_is_valid_draft_2020_12(schema):
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)


def _walk_properties(node, path="$"):
    if isinstance(node, dict):
        for name, sub in node.get("properties", {}).items():
            yield f"{path}.{name}", sub
        for key, value in node.items():
            yield from _walk_properties(value, f"{path}/{key}")
    elif isinstance(node, list):
        for i, item in enumerate(node):
            yield from _walk_properties(item, f"{path}[{i}]")


def test_every_property_has_a_description(schema):
    missing = [path for path, sub in _walk_properties(schema) if "description" not in sub]
    assert missing == []
    assert all("description" in d for d in schema["$defs"].values())


def test_output_validates_against_the_schema(schema, full_plan, empty_plan):
    validator = Draft202012Validator(schema)
    for plan in (full_plan, empty_plan):
        document = json.loads(render_json(plan))
        errors = [e.message for e in validator.iter_errors(document)]
        assert errors == []


def test_document_content(full_plan):
    doc = json.loads(render_json(full_plan))
    assert doc["format_version"] == FORMAT_VERSION == 1
    assert doc["summary"] == {
        "create": 2,
        "update": 2,
        "replace": 1,
        "reinstall": 1,
        "destroy": 1,
        "prune": 1,
        "adopt": 1,
    }
    assert doc["unmanaged"] == {"server": 3, "ssh_key": 1, "snapshot": 0}
    by_key = {a["key"]: a for a in doc["actions"]}
    assert [a["key"] for a in doc["actions"]] == [a.key for a in full_plan.actions]
    assert by_key["server:x"]["refused"] is True and by_key["server:x"]["requires"] == "allow-prune"
    assert by_key["server:api-1"]["refused"] is False
    assert by_key["server:db-1"]["changes"][1] == {
        "field": "ssh_keys",
        "old": "sha256:1111111111111111",
        "new": "sha256:2222222222222222",
        "class": "create-time-only",
        "sensitive": True,
    }
    assert by_key["ssh_key:deploy"]["spec"] == {
        "fields": {"name": "deploy"},
        "sensitive_fields": ["public_key"],
    }
    assert by_key["server:web-1"]["spec"]["fields"] == {
        "label": "web-1",
        "region_id": "1",
        "plan_id": "201",
        "os_id": "387",
        "ssh_keys": ["deploy"],
        "startup_script": "bootstrap",
        "ipv6": True,
        "private_network": False,
        "auto_backups": False,
        "power": "running",
        "region_name": "New Jersey",
        "os_name": "CentOS 7 x64",
    }  # ids with their catalog names; the internal create_digest is left out
    assert by_key["server:web-1"]["depends_on"] == ["ssh_key:deploy", "startup_script:bootstrap"]
    assert doc["refusals"][1] == {
        "action_key": "server:x",
        "message": "pruning needs an explicit permission",
        "needs": "allow-prune",
    }


def test_no_secret_body(full_plan, secrets):
    text = render_json(full_plan)
    for secret in secrets:
        assert secret not in text
        assert json.dumps(secret)[1:-1] not in text  # not even JSON-escaped


def test_byte_stable(full_plan, plan_factory):
    assert render_json(full_plan) == render_json(plan_factory())
    assert render_json(full_plan).endswith("}\n")
