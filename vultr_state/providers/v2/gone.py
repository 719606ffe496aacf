"""The typed "gone" error of v2 (a 404: the object was deleted or never existed).

Raised by ``check`` and caught by whoever asked for an object that may have left the account. It is an
``ApiRequestFailed`` (Vultr answered and refused), so code that handles refusals keeps working. It is
defined here until the provider boundary (``providers/base.py``) offers the shared one; it then becomes
an alias of that.
"""

from __future__ import annotations

from vultr_state.errors import ApiRequestFailed


class ApiGone(ApiRequestFailed):
    """404: the object does not exist (any more)."""
