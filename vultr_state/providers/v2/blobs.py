"""The registry's ``BlobStore`` on v2: startup scripts named ``vultr-state:<project>[:<part>]``.

Called by the registry store (executor) through ``V2Provider.blobs``. A blob is a ``boot`` startup
script; its body is the registry document as text, sent and read back base64-encoded as v2 requires.
v2 lists omit bodies, so ``list`` costs one call per page plus one ``GET`` per matching script.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from vultr_state.errors import ObjectGone
from vultr_state.http.retry import CallKind
from vultr_state.model.live import id_order
from vultr_state.model.registry import Blob
from vultr_state.providers.v2 import convert
from vultr_state.providers.v2.api import V2Api
from vultr_state.providers.v2.reader import read_script_body


class V2BlobStore:
    """``BlobStore`` over one ``V2Api``."""

    def __init__(self, api: V2Api):
        self._api = api
        self._dates: Mapping[str, str] = MappingProxyType({})

    def list(self, prefix: str) -> tuple[Blob, ...]:
        """Every startup script whose name starts with ``prefix``, bodies decoded, by ``id_order``."""
        scripts = self._api.list("startup-scripts", "startup_scripts", convert.startup_script)
        self._dates = MappingProxyType({s.id: s.date_modified or "" for s in scripts})
        matching = sorted((s for s in scripts if s.name.startswith(prefix)), key=lambda s: id_order(s.id))
        blobs = []
        for script in matching:
            try:
                blobs.append(
                    Blob(id=script.id, name=script.name, body=read_script_body(self._api, script.id))
                )
            except ObjectGone:  # deleted between the list and the read (e.g. a lock-race loser's script)
                continue
        return tuple(blobs)

    def modified_dates(self) -> Mapping[str, str]:
        """``date_modified`` of every startup script the last ``list`` showed, by id."""
        return self._dates

    def create(self, name: str, body: str) -> str:
        """``POST /startup-scripts`` (sent once); the new script's id."""
        encoded = convert.encode_script(body)
        created = self._api.create(
            "startup-scripts", {"name": name, "type": "boot", "script": encoded}, "startup_script",
            secrets=(encoded,),
        )  # fmt: skip
        return convert.startup_script(created).id

    def update(self, blob_id: str, name: str, body: str) -> None:
        """``PATCH /startup-scripts/{id}`` with the name and the base64 body (idempotent)."""
        encoded = convert.encode_script(body)
        self._api.write(
            "PATCH", f"startup-scripts/{blob_id}", CallKind.IDEMPOTENT, {"name": name, "script": encoded},
            secrets=(encoded,),
        )  # fmt: skip

    def delete(self, blob_id: str) -> None:
        """``DELETE /startup-scripts/{id}``.

        Raises:
            ObjectGone: it was already gone.
        """
        self._api.write("DELETE", f"startup-scripts/{blob_id}", CallKind.DESTROY)
