"""Renderers: pure string builders that turn a ``Plan`` (or rows of live objects) into text.

``render_text`` (terminal / log), ``render_json`` (documented by ``schemas/plan.schema.json``),
``render_markdown`` (pull-request comments) and ``render_table`` (``show``). Callers decide where the
text goes and whether colour is wanted; renderers never print and never read a secret body.
"""

from vultr_state.render.json_doc import FORMAT_VERSION, plan_to_dict, render_json
from vultr_state.render.markdown import render_markdown
from vultr_state.render.table import render_table
from vultr_state.render.text import render_text

__all__ = ["FORMAT_VERSION", "plan_to_dict", "render_json", "render_markdown", "render_table", "render_text"]
