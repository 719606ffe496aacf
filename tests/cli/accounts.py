"""Set-up helpers for CLI tests: put objects (and ownership registries) into an emulated account."""

from __future__ import annotations

from vultr_state.model.registry import OwnedObject, Registry
from vultr_state.providers.v1.client import VultrClient
from vultr_state.registry import encode_registry, registry_script_name

DEPLOY_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGm9t3g0ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghij deploy@ci"
OPS_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKx8c2d0ZYXWVUTSRQPONMLKJIHGFEDCBAzyxwvutsrq ops@laptop"
SCRIPT_BODY = "#!/bin/sh\n# TOP-SECRET-BOOTSTRAP\necho hello > /root/hello\n"


def write_registry(client: VultrClient, project: str, owned: list[tuple[str, str, str]]) -> None:
    """Record ``(kind, id, name)`` objects as owned by ``project`` in the account's registry script."""
    registry = Registry(
        project=project, owned=tuple(OwnedObject(kind, oid, name) for kind, oid, name in owned)
    )
    for part, body in enumerate(encode_registry(registry)):
        client.startupscript_create(registry_script_name(project, part), body)


def make_server(client: VultrClient, label: str, *, ipv6: bool = False) -> str:
    """Create a New Jersey / 1 GB / Ubuntu server and return its SUBID."""
    return client.server_create(1, 201, 387, label=label, enable_ipv6=ipv6)
