"""The Vultr v2 provider: the API real accounts use today (``https://api.vultr.com/v2``).

``convert`` and ``catalog`` turn v2 wire records into the neutral live model; the dialect, reader,
operations and capabilities build on them. Nothing here imports ``providers.v1``.
"""
