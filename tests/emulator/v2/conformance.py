"""Check v2 answers against the published OpenAPI document (vendored in ``fixtures/openapi``), following
the recordings where they contradict it.

Used by the ``V2`` test client on every response it receives, so each v2 test also checks conformance,
and by ``test_schema_fuzz``. An answer conforms when:

* its operation exists in the document (unknown paths and methods may only answer 404/405 JSON errors);
* a documented 2xx with content has ``Content-Type: application/json`` and a body valid against the
  response schema; a documented status without content has neither body nor Content-Type;
* an error (4xx/5xx) is ``{"error": str, "status": <the HTTP status>}`` as ``application/json`` (the 429
  keeps its recorded key order and spacing); its status is documented for the operation, or listed in
  ``RECORDED_BEYOND_SCHEMA``, the cases where recordings show what the document does not.

``RECORDED_BEYOND_SCHEMA`` and ``FIELDS_BEYOND_SCHEMA`` are the list of recording-vs-schema contradictions
(quoted in the emulator's v2 package docstring).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema

DOCUMENT = json.loads((Path(__file__).parent / "fixtures/openapi/vultr-v2.paths-in-scope.json").read_text())

# Error statuses the recordings (or the reference built from them) show on operations whose document
# entry does not list them, with the reason; such an answer must still be the JSON error shape.
RECORDED_BEYOND_SCHEMA: dict[int, str] = {
    429: "the rate limit answers 429 on every endpoint (recorded body); the document lists 429 nowhere",
    500: "'Server is currently locked' is a recorded HTTP 500 (DELETE right after create, reinstall); the "
    "document lists no 500 (power actions, resizes and restores of a locked instance answer the same "
    "family; fault injection answers 500 anywhere)",
    401: "a missing or wrong key is 401 everywhere (recorded); several operations do not list 401",
    404: "unknown ids answer 404 (recorded texts) also where the document lists only 200 (user-data, ipv6 "
    "reverse list, availability of an unknown region)",
    400: "malformed ids and bodies answer 400 (recorded texts) also where the document lists only 200",
}

# Field-level contradictions, followed as recorded (not checked by the schema, listed for the report):
FIELDS_BEYOND_SCHEMA = (
    "instance: v6_network, v6_main_ip and v6_network_size are sent (every recording); the document's "
    "v6_networks array never appeared live and is not sent",
    "instance: tag (deprecated) is still sent beside tags, as the 2021 recordings have it",
    "instance: default_password is the last key of the create answer (recorded), and also in single "
    "reads for ten minutes (2025 behaviour), never in lists",
    "plans: no name field in the recorded plans, though the document lists one",
    "snapshots: description is recorded but absent from the document's snapshot schema; no compressed_size "
    "in the 2021 recordings",
    "startup scripts: list items omit script (documented example) while the schema lists it",
    "PATCH /instances: os_id is typed string in the document and integer on create; both are accepted",
    "POST /instances/{instance-id}/ipv4: the document's 202 schema is an empty object; the emulator "
    'answers {"ipv4": {...}} like the documented example',
    "GET /regions/{id}/availability: the recorded list for ams differs from the recorded plans' locations; "
    "the availability recording is served",
)

# Operations the emulator serves beyond the document, for Vultr's own Node.js client (v2/routes.py):
# answers there are checked for the JSON error shape only.
CLIENT_ALIASES = (
    ("POST", re.compile(r"^/startup-scripts/[^/]+$")),
    ("DELETE", re.compile(r"^/instances/[^/]+/ipv6/[^/]+$")),
)

_OPERATIONS: list[tuple[str, re.Pattern[str], str, dict[str, Any]]] = [
    (method.upper(), re.compile("^" + re.sub(r"\{[^/]+\}", "[^/]+", template) + "$"), template, operation)
    for template, item in DOCUMENT["paths"].items()
    for method, operation in item.items()
    if method != "parameters"
]


def _resolve(node: Any) -> Any:
    """The schema with every local ``$ref`` inlined (the in-scope document has no cycles)."""
    if isinstance(node, dict):
        if "$ref" in node:
            target: Any = DOCUMENT
            for part in node["$ref"].lstrip("#/").split("/"):
                target = target[part]
            return _resolve(target)
        return {key: _resolve(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_resolve(item) for item in node]
    return node


def find_operation(method: str, path: str) -> tuple[str, dict[str, Any]] | None:
    """The (template, operation) of a request path below ``/v2``, literal segments winning."""
    candidates = [(t, op) for m, pattern, t, op in _OPERATIONS if m == method.upper() and pattern.match(path)]
    if not candidates:
        return None
    return max(candidates, key=lambda c: sum(not part.startswith("{") for part in c[0].split("/")))


def problems(method: str, path: str, status: int, headers: dict[str, str], body: bytes) -> list[str]:
    """What is wrong with one answer (empty when it conforms)."""
    content_type = next((value for name, value in headers.items() if name.lower() == "content-type"), None)
    found = find_operation(method, path)
    label = f"{method} {path} → {status}"
    alias = found is None and any(
        m == method.upper() and pattern.match(path) for m, pattern in CLIENT_ALIASES
    )
    if status >= 400:
        return _error_problems(label, found, status, content_type, body, alias=alias)
    if alias:
        return []
    if found is None:
        return [f"{label}: no such operation in the document"]
    template, operation = found
    response = operation.get("responses", {}).get(str(status))
    if response is None:
        return [f"{label}: status not documented for {method} {template}"]
    schema = response.get("content", {}).get("application/json", {}).get("schema")
    if not response.get("content"):
        if body or content_type:
            return [f"{label}: documented without content but answered {content_type!r} {body[:80]!r}"]
        return []
    if content_type != "application/json":
        return [f"{label}: content type {content_type!r}, documented application/json"]
    errors = sorted(jsonschema.Draft7Validator(_resolve(schema)).iter_errors(json.loads(body)), key=str)
    return [f"{label}: {error.json_path}: {error.message}" for error in errors[:5]]


def _error_problems(
    label: str,
    found: tuple[str, dict[str, Any]] | None,
    status: int,
    content_type: str | None,
    body: bytes,
    *,
    alias: bool,
) -> list[str]:
    if content_type != "application/json":
        return [f"{label}: error content type {content_type!r}"]
    try:
        value = json.loads(body)
    except ValueError:
        return [f"{label}: error body is not JSON: {body[:80]!r}"]
    if not (isinstance(value, dict) and set(value) == {"error", "status"} and value["status"] == status):
        return [f"{label}: error body {value!r}"]
    if not isinstance(value["error"], str) or not value["error"]:
        return [f"{label}: empty error text"]
    if found is None:
        return [] if alias or status in (404, 405) else [f"{label}: no such operation in the document"]
    template, operation = found
    if str(status) in operation.get("responses", {}) or status in RECORDED_BEYOND_SCHEMA:
        return []
    return [f"{label}: status {status} neither documented for {template} nor recorded"]
