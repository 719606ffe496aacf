"""The providers: one package per Vultr API, each behind the interface of ``providers.base``.

``base`` is the contract (``Provider``, ``Operations``, ``BlobStore``, ``ReadScope``); ``v1/`` speaks the
seed's API, ``v2/`` the current one. Only the CLI picks a provider; everything above the boundary sees
``base`` and ``vultr_state.model`` alone.
"""
