"""A griffe extension for the API pages: doctest examples as code, Sphinx roles as code.

newsclean's docstrings are written for ``pytest --doctest-modules`` and read as plain
text: examples start with ``>>>`` (which Markdown would take for nested quotes) and
names are marked ``:class:`Name```. mkdocstrings renders docstrings as Markdown, so this
extension (named in mkdocs.yml) fences each run of example lines and their output as a
``pycon`` block, and turns roles into code spans.
"""

from __future__ import annotations

import re
from typing import Any

import griffe

_ROLE = re.compile(
    r":(?:class|meth|func|attr|data|mod|exc|obj):`~?(?:([^`<]+?)\s*<[^`>]+>|([^`]+))`")


def fence_examples(text: str) -> str:
    """Wrap each block of ``>>>`` lines, with the output lines after them, in a fence."""
    out: list[str] = []
    inside = False
    for line in text.split("\n"):
        if line.startswith(">>>") and not inside:
            out.append("```pycon")
            inside = True
        elif inside and not line.strip():
            out.append("```")
            inside = False
        out.append(line)
    if inside:
        out.append("```")
    return "\n".join(out)


def roles_as_code(text: str) -> str:
    """``:class:`Name``` and ``:meth:`shown <target>``` become code spans.

    >>> roles_as_code("See :meth:`Pipeline.pipe <newsclean.Pipeline.pipe>` and :class:`~a.B`.")
    'See `Pipeline.pipe` and `a.B`.'
    """
    return _ROLE.sub(lambda m: f"`{(m.group(1) or m.group(2)).strip()}`", text)


class DoctestBlocks(griffe.Extension):
    """Rewrites every docstring of the loaded objects for Markdown."""

    def on_instance(self, *, obj: Any, **kwargs: Any) -> None:
        if obj.docstring is not None:
            obj.docstring.value = roles_as_code(fence_examples(obj.docstring.value))
