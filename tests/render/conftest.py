"""Hand-built plans for the renderer and plan-file tests: every action type and change class, with
secret bodies inside the specs so the tests can prove no renderer ever prints them."""

from __future__ import annotations

import pytest

from vultr_state.model.plan import (
    Action,
    ActionType,
    ChangeClass,
    FieldChange,
    Kind,
    Permission,
    Plan,
    Refusal,
    ServerSpec,
    SshKeySpec,
    StartupScriptSpec,
)

SCRIPT_BODY = "#!/bin/sh\necho TOP-SECRET-SCRIPT-BODY > /root/token\n"
KEY_BODY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAISECRETKEYBODYxyz deploy@ci"
SECRETS = (SCRIPT_BODY, KEY_BODY, "TOP-SECRET-SCRIPT-BODY", "AAAAC3NzaC1lZDI1NTE5AAAAISECRETKEYBODYxyz")

DIGEST_OLD = "sha256:1111111111111111"
DIGEST_NEW = "sha256:2222222222222222"


def make_full_plan() -> Plan:
    """A plan holding one action of every type and a change of every class."""
    web_spec = ServerSpec(
        label="web-1",
        region_id="1",
        plan_id="201",
        os_id="387",
        ssh_keys=("deploy",),
        startup_script="bootstrap",
        ipv6=True,
        create_digest="c0ffee",
        region_name="New Jersey",
        os_name="CentOS 7 x64",  # plan 201 has no name here: shown by id
    )
    return Plan(
        project="web",
        actions=(
            Action(
                key="ssh_key:deploy",
                kind=Kind.SSH_KEY,
                name="deploy",
                type=ActionType.CREATE,
                spec=SshKeySpec(name="deploy", public_key=KEY_BODY),
            ),
            Action(
                key="startup_script:bootstrap",
                kind=Kind.STARTUP_SCRIPT,
                name="bootstrap",
                type=ActionType.UPDATE,
                live_id="7",
                changes=(
                    FieldChange("script", DIGEST_OLD, DIGEST_NEW, ChangeClass.IN_PLACE, sensitive=True),
                ),
                spec=StartupScriptSpec(name="bootstrap", type="boot", script=SCRIPT_BODY),
            ),
            Action(
                key="server:web-1",
                kind=Kind.SERVER,
                name="web-1",
                type=ActionType.CREATE,
                spec=web_spec,
                depends_on=("ssh_key:deploy", "startup_script:bootstrap"),
            ),
            Action(
                key="server:api-1",
                kind=Kind.SERVER,
                name="api-1",
                type=ActionType.UPDATE,
                live_id="576965",
                changes=(
                    FieldChange("label", "api-old", "api-1", ChangeClass.IN_PLACE),
                    FieldChange("protect", False, True, ChangeClass.REGISTRY),
                ),
            ),
            Action(
                key="server:db-1",
                kind=Kind.SERVER,
                name="db-1",
                type=ActionType.REPLACE,
                live_id="576966",
                changes=(
                    FieldChange("region", "New Jersey", "Frankfurt", ChangeClass.REPLACE),
                    FieldChange(
                        "ssh_keys", DIGEST_OLD, DIGEST_NEW, ChangeClass.CREATE_TIME_ONLY, sensitive=True
                    ),
                ),
                requires=Permission.REPLACE,
            ),
            Action(
                key="server:cache-1",
                kind=Kind.SERVER,
                name="cache-1",
                type=ActionType.REINSTALL,
                live_id="576967",
                changes=(FieldChange("os", "CentOS 7 x64", "Ubuntu 22.04 x64", ChangeClass.REINSTALL),),
                requires=Permission.REINSTALL,
            ),
            Action(
                key="server:old-box",
                kind=Kind.SERVER,
                name="old-box",
                type=ActionType.DESTROY,
                live_id="576968",
                requires=Permission.DESTROY,
                protect=True,
            ),
            Action(
                key="server:x",
                kind=Kind.SERVER,
                name="x",
                type=ActionType.PRUNE,
                live_id="576969",
                requires=Permission.PRUNE,
                reason="owned, but no longer in the manifest",
            ),
            Action(
                key="ssh_key:ops",
                kind=Kind.SSH_KEY,
                name="ops",
                type=ActionType.ADOPT,
                live_id="5806ab4970aba",
                reason="matches by identity; not yet owned by project 'web'",
            ),
        ),
        refusals=(
            Refusal("server:old-box", "it is protected; remove `protect: true` from its entry first"),
            Refusal("server:x", "pruning needs an explicit permission", needs=Permission.PRUNE),
        ),
        unmanaged=(("server", 3), ("ssh_key", 1), ("snapshot", 0)),
        owned_count=6,
        fingerprints=(("server:576965", "f1"), ("server:576966", "f2")),
        warnings=("plan 200 is no longer sold; keeping it for db-1",),
    )


@pytest.fixture
def full_plan() -> Plan:
    return make_full_plan()


@pytest.fixture
def plan_factory():
    """Builds a fresh, equal copy of the full plan on each call."""
    return make_full_plan


@pytest.fixture
def secrets() -> tuple[str, ...]:
    """Secret bodies (and fragments of them) that must never appear in any rendering."""
    return SECRETS


@pytest.fixture
def empty_plan() -> Plan:
    return Plan(project="web", owned_count=4)
