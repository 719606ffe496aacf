"""The ownership registry: which live objects a project owns, kept in the account itself.

One package, API-neutral: ``codec`` (script names, encoding, splitting, decoding), ``digests`` (short
digests and the registry-state digest), ``ownership`` (pure updates, and what a project may see) and
``store`` (reading and writing it during an apply, with its advisory lock, over the provider's
``BlobStore``). The value objects are in ``vultr_state.model.registry``.
"""

from vultr_state.registry.codec import (
    decode_registry,
    encode_registry,
    is_registry_script,
    parse_registry_script_name,
    registry_script_name,
)
from vultr_state.registry.digests import registry_state_digest, short_digest
from vultr_state.registry.ownership import visible, with_lock, with_owned, without_lock, without_owned

__all__ = [
    "decode_registry",
    "encode_registry",
    "is_registry_script",
    "parse_registry_script_name",
    "registry_script_name",
    "registry_state_digest",
    "short_digest",
    "visible",
    "with_lock",
    "with_owned",
    "without_lock",
    "without_owned",
]
