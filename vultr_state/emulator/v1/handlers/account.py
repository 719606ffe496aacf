"""Account endpoints: account/info and auth/info.

The emulated account has a fixed credit balance and last payment; ``pending_charges`` sums the live servers.
All amounts are strings, as in the late documentation.
"""

from __future__ import annotations

from vultr_state.emulator.v1.handlers.base import Call
from vultr_state.emulator.v1.models import ServerRecord, load_all
from vultr_state.emulator.v1.views import pending_charges
from vultr_state.emulator.v1.wire import Reply, json_reply

BALANCE = "-100.00"
LAST_PAYMENT_DATE = "2020-10-01 09:00:00"
LAST_PAYMENT_AMOUNT = "-100.00"
ACLS = ("subscriptions", "billing", "support", "provisioning", "dns", "upgrade", "manage_users", "abuse")


def account_info(call: Call) -> Reply:
    """GET account/info. No parameters."""
    backend = call.backend
    charges = sum(
        float(pending_charges(server, backend.catalog, call.now))
        for server in load_all(backend.store, ServerRecord)
    )
    return json_reply(
        {
            "balance": BALANCE,
            "pending_charges": f"{charges:.2f}",
            "last_payment_date": LAST_PAYMENT_DATE,
            "last_payment_amount": LAST_PAYMENT_AMOUNT,
        }
    )


def auth_info(call: Call) -> Reply:
    """GET auth/info: the key's ACLs and the account owner. No parameters."""
    return json_reply({"acls": list(ACLS), "email": "emulator@example.com", "name": "Vultr v1 emulator"})
