"""Loading manifests: YAML files describing a project's desired state, checked and built into ``Desired``.

Public API: ``load_manifest(paths, env=None) -> Desired`` (raises ``ManifestError`` listing every
problem with file:line:column), ``manifest_digest(desired)`` (what a saved plan records of it) and
``schema_text()`` (the manifest JSON Schema). The modules, in
pipeline order: ``files`` → ``yaml_source`` → ``interpolate`` → ``schema_check`` → ``merge`` →
``semantics`` → ``build`` (with ``pubkey``), driven by ``load``.
"""

from vultr_state.manifest.digest import manifest_digest
from vultr_state.manifest.load import load_manifest
from vultr_state.manifest.schema_check import schema_text

__all__ = ["load_manifest", "manifest_digest", "schema_text"]
