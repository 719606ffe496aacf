"""Loading manifests: YAML files describing a project's desired state, checked and built into ``Desired``.

Public API: ``load_manifest(paths, env=None) -> Desired`` (raises ``ManifestError`` listing every
problem with file:line:column) and ``schema_text()`` (the manifest JSON Schema). The modules, in
pipeline order: ``files`` → ``yaml_source`` → ``interpolate`` → ``schema_check`` → ``merge`` →
``semantics`` → ``build`` (with ``pubkey``), driven by ``load``.
"""

from vultr_state.manifest.load import load_manifest
from vultr_state.manifest.schema_check import schema_text

__all__ = ["load_manifest", "schema_text"]
