"""What a rule pattern can match, found by parsing it: used to skip rules cheaply.

Rules are tried as one alternation per group of rules, and most lines can be ruled out
before that: by their length (no rule matches a 300-character paragraph) or by their
first character (no rule starts with "T" and a paragraph "The minister said..." does).
Patterns are parsed with the parser behind Python's ``re``; a pattern that uses syntax
only the ``regex`` module knows counts as "could match anything".
"""

from __future__ import annotations

import math
import warnings
from typing import Any, Optional

try:  # the parser behind the re module; its name changed in Python 3.11
    import re._constants as _constants  # type: ignore[import-not-found]
    import re._parser as _parser  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover - Python < 3.11
    import sre_constants as _constants  # type: ignore[no-redef, unused-ignore]
    import sre_parse as _parser  # type: ignore[no-redef, unused-ignore]

#: Character classes larger than this count as "any character".
_MAX_CLASS = 256


def _parse(pattern: str) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return _parser.parse(pattern)


def max_width(pattern: str) -> float:
    """The longest string ``pattern`` can match, or infinity when unbounded or not known.

    >>> max_width(r"share this:?"), max_width(r"read more: .{1,80}"), max_width(r"a+")
    (11, 91, inf)
    """
    try:
        width = _parse(pattern).getwidth()[1]
    except Exception:  # syntax only the regex module knows (\p{L}...)
        return math.inf
    return math.inf if width >= _constants.MAXREPEAT else width


def first_chars(pattern: str, *, ignore_case: bool) -> Optional[frozenset[str]]:
    """The characters a match of ``pattern`` can start with; None if any (or not known).

    >>> sorted(first_chars(r"(?:[*+] )?(share|like) this", ignore_case=False))
    ['*', '+', 'l', 's']
    >>> first_chars(r".{1,80} photo", ignore_case=True) is None
    True
    """
    try:
        chars, nullable = _first(_parse(pattern))
    except Exception:
        return None
    if chars is None or nullable:
        return None
    if ignore_case:
        chars = chars | {c.upper() for c in chars} | {c.lower() for c in chars}
    return frozenset(chars)


def _first(items: Any) -> tuple[Optional[set[str]], bool]:
    """First characters of a sequence of parsed items, and whether it can match ''."""
    found: set[str] = set()
    for op, av in items:
        chars, nullable = _first_of_item(op, av)
        if chars is None:
            return None, False
        found |= chars
        if not nullable:
            return found, False
    return found, True


def _first_of_item(op: Any, av: Any) -> tuple[Optional[set[str]], bool]:
    c = _constants
    if op is c.LITERAL:
        return {chr(av)}, False
    if op is c.IN:
        chars: set[str] = set()
        for kind, value in av:
            if kind is c.LITERAL:
                chars.add(chr(value))
            elif kind is c.RANGE and value[1] - value[0] < _MAX_CLASS:
                chars.update(chr(code) for code in range(value[0], value[1] + 1))
            else:  # negation, categories (\w, \d), wide ranges
                return None, False
        return chars, False
    if op is c.BRANCH:
        union: set[str] = set()
        any_nullable = False
        for branch in av[1]:
            branch_chars, nullable = _first(branch)
            if branch_chars is None:
                return None, False
            union |= branch_chars
            any_nullable = any_nullable or nullable
        return union, any_nullable
    if op is c.SUBPATTERN:
        return _first(av[-1])
    if op in (c.MAX_REPEAT, c.MIN_REPEAT):
        inner, nullable = _first(av[2])
        return inner, nullable or av[0] == 0
    if op in (c.AT, c.ASSERT, c.ASSERT_NOT):
        return set(), True  # zero width
    return None, False
