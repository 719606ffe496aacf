"""The Vultr v1 API below the provider boundary: the seed's API, fully supported.

``client/`` speaks the wire (the v1 dialect of ``vultr_state.http``, the endpoint table, normalisers,
one typed method per endpoint); ``convert`` turns wire records into the neutral model; ``operations``
carries out typed actions (and decides "gone"); ``capabilities`` says what the planner must know;
``provider.V1Provider`` puts them together. v1's ids, field names and pseudo OS ids stop here.
"""

from vultr_state.providers.v1.provider import V1Provider

__all__ = ["V1Provider"]
