"""The executor's default limits, in a module that imports nothing: the CLI shows them as its
``--parallelism`` and ``--wait-timeout`` defaults without loading the executor (so ``version``, ``--help``
and shell completion start fast). Used by ``executor.runner`` and ``cli.apply``."""

DEFAULT_PARALLELISM = 10  # steps running at once
DEFAULT_WAIT_TIMEOUT = 1800.0  # seconds a server or snapshot may take to become ready
