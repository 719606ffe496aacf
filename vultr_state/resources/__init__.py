"""One module per resource kind: identity, compared fields and how each change is classified.

The planner calls each kind module's ``compare`` and ``to_spec`` functions directly (``server``,
``ssh_key``, ``startup_script``, ``snapshot``, ``reverse_dns``); ``base`` holds what they share.
"""
