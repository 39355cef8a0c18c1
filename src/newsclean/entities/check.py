"""Every problem of a set of alias tables, not only the first (``newsclean aliases check``).

:meth:`AliasTable.load <newsclean.entities.aliases.AliasTable.load>` stops at the first
problem; :func:`check_tables` goes on and returns them all, each an
:class:`~newsclean.errors.AliasTableError` with its file and line. A set of tables with
no problem is one that ``AliasTable.load`` accepts.
"""

from __future__ import annotations

from pathlib import Path
from typing import Union

from ..errors import AliasTableError
from ..yamlfile import load_yaml, table_items
from .aliases import Entry, _parse_entry, _validated

#: Problems reported at most; a table with more is broken beyond a list.
MAX_PROBLEMS = 1000


def check_tables(*paths: Union[str, Path], shared: str = "error") -> list[AliasTableError]:
    """The problems of the tables at ``paths``, taken together as ``AliasTable.load`` does.

    A file that cannot be read or parsed is one problem; otherwise every entry is checked,
    then ids and shared names across all entries. ``shared`` is as in ``AliasTable.load``.
    """
    if shared not in ("error", "ambiguous"):
        raise ValueError("shared must be 'error' or 'ambiguous'")
    problems: list[AliasTableError] = []
    entries: list[Entry] = []
    for path in paths:
        try:
            items = table_items(load_yaml(path, AliasTableError), "entities", ("entities",),
                                path=str(path), error=AliasTableError, allow_empty=True)
        except AliasTableError as exc:
            problems.append(exc)
            continue
        for item, line in items:
            try:
                entries.append(_parse_entry(item, str(path), line))
            except AliasTableError as exc:
                problems.append(exc)
    # Checks across entries stop at the first problem: set its entry aside and go on.
    while len(problems) < MAX_PROBLEMS:
        try:
            _validated(entries, shared_ok=shared == "ambiguous")
        except AliasTableError as exc:
            problems.append(exc)
            culprit = next((i for i, e in enumerate(entries)
                            if e.path == exc.path and e.line == exc.line), None)
            if culprit is None:
                break
            del entries[culprit]
        else:
            break
    order = {str(path): number for number, path in enumerate(paths)}
    return sorted(problems, key=lambda p: (order.get(p.path or "", len(order)), p.line or 0))
