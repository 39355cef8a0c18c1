"""What a pattern can match: found by parsing it, used to skip rules cheaply; or found by
trying it on every character, to hand a ``regex`` class to the faster ``re`` module.

Most rules can be ruled out for a line before they are tried: by its length (no rule
matches a 300-character paragraph) or by the words it lacks (a rule for "Please enter
your comment!" needs "please enter your" in the line).
Patterns are parsed with the parser behind Python's ``re``; a pattern that uses syntax
only the ``regex`` module knows counts as "could match anything".
"""

from __future__ import annotations

import math
import re
import warnings
from functools import lru_cache
from typing import Any, Optional

import regex

try:  # the parser behind the re module; its name changed in Python 3.11
    import re._constants as _constants  # type: ignore[import-not-found]
    import re._parser as _parser  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover - Python < 3.11
    import sre_constants as _constants  # type: ignore[no-redef, unused-ignore]
    import sre_parse as _parser  # type: ignore[no-redef, unused-ignore]



@lru_cache(maxsize=4096)
def _parse(pattern: str) -> Any:
    """The parse tree of ``pattern`` (read, never changed, by both analyses below)."""
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


def anchors(pattern: str) -> Optional[frozenset[str]]:
    r"""Lower-case strings one of which every match of ``pattern`` contains; None if unknown.

    A line containing none of them cannot match, so the rule need not be tried on it.

    >>> sorted(anchors(r"(?:[*+] )?please enter your (comment|name)"))
    ['please enter your comment', 'please enter your name']
    >>> sorted(anchors(r"(?=.{0,80}(?:privacy|terms of use)).{1,200}"))
    ['privacy', 'terms of use']
    >>> anchors(r"\d+ .{1,5}") is None
    True
    """
    try:
        found = _anchors(_parse(pattern))
    except Exception:
        return None
    if found is None:
        return None
    lowered = {a.lower() for a in found}
    # a line holding "* please enter your name" holds "please enter your name": one will do
    return frozenset(a for a in lowered if not any(b != a and b in a for b in lowered))


#: Most strings one run of fixed text may stand for ("by (?:using|sending) this form"
#: is two): beyond it, the run is cut and its parts are anchors on their own.
MAX_SPELLINGS = 64
#: Most characters of a class spelled out as a run's letters ("[''’]", "[*+•-]").
MAX_CLASS_SPELLINGS = 8


def _anchors(items: Any) -> Optional[set[str]]:
    """The best anchor set of a sequence of parsed items: the one whose shortest string is
    longest, each candidate being a run of fixed text (literals, and alternatives, optional
    parts and classes of a few literals, spelled out: "(?:if|when) you buy" gives "if you
    buy" and "when you buy") or what a required part gives."""
    c = _constants
    best: Optional[set[str]] = None
    run: set[str] = {""}

    def consider(candidate: Optional[set[str]]) -> None:
        nonlocal best
        if candidate and all(a.strip() for a in candidate) and (
                best is None or min(map(len, candidate)) > min(map(len, best))):
            best = candidate

    for item in items:
        spelled = _spellings([item])
        if spelled is not None and len(run) * len(spelled) <= MAX_SPELLINGS:
            run = {head + tail for head in run for tail in spelled}
            continue
        consider(run)
        run = {""}
        if spelled is not None:  # too many spellings to join the run: a run of its own
            run = spelled
            continue
        op, av = item
        if op is c.BRANCH:
            branches = [_anchors(branch) for branch in av[1]]
            if all(b is not None for b in branches):
                consider(set().union(*branches))  # type: ignore[arg-type]
        elif op is c.SUBPATTERN:
            consider(_anchors(av[-1]))
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT) and av[0] >= 1:
            consider(_anchors(av[2]))
        elif op is c.ASSERT:  # a lookahead's text must be in the line too
            consider(_anchors(av[1]))
    consider(run)
    return best


def _spellings(items: Any) -> Optional[set[str]]:
    """Every string a sequence of parsed items matches, when they are few (at most
    :data:`MAX_SPELLINGS`) and known: literals, alternatives of such, optional parts and
    classes of a few literals; None otherwise.

    >>> sorted(_spellings(_parse(r"(?:if|when) you( buy)?")))
    ['if you', 'if you buy', 'when you', 'when you buy']
    >>> _spellings(_parse(r"ab+")) is None
    True
    """
    c = _constants
    found = {""}
    for op, av in items:
        if op is c.LITERAL:
            options: Optional[set[str]] = {chr(av)}
        elif op is c.IN:
            literal = all(kind is c.LITERAL for kind, _ in av)
            options = ({chr(code) for _, code in av}
                       if literal and len(av) <= MAX_CLASS_SPELLINGS else None)
        elif op is c.SUBPATTERN:
            options = _spellings(av[-1])
        elif op is c.BRANCH:
            options = set()
            for branch in av[1]:
                spelled = _spellings(branch)
                if spelled is None:
                    return None
                options |= spelled
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT) and av[0] == 0 and av[1] == 1:
            inner = _spellings(av[2])
            options = None if inner is None else inner | {""}
        else:
            return None
        if options is None or len(found) * len(options) > MAX_SPELLINGS:
            return None
        found = {head + tail for head in found for tail in options}
    return found


def re_class(pattern: regex.Pattern[str], limit: int) -> str:
    r"""The characters before code point ``limit`` that ``pattern`` matches on their own,
    as ranges to put in brackets: a class of the ``re`` module that matches, in text of
    such characters only, the characters ``pattern`` does.

    The ``re`` module runs a class faster than ``regex`` runs ``\w`` or ``\W``, and the
    two modules disagree on which characters those are (combining marks, for one).

    >>> re_class(regex.compile(r"[a-c\d]+"), 128)
    '0-9a-c'
    """
    ranges: list[list[int]] = []
    for code in range(limit):
        if pattern.fullmatch(chr(code)):
            if ranges and ranges[-1][1] == code - 1:
                ranges[-1][1] = code
            else:
                ranges.append([code, code])
    return "".join(re.escape(chr(low)) if low == high else
                   f"{re.escape(chr(low))}-{re.escape(chr(high))}" for low, high in ranges)


#: Where the classes of :func:`word_class` end: every alphabetic script, general
#: punctuation and symbols lie before U+3000; CJK and the astral planes from there on.
CLASS_LIMIT = 0x3000
#: A character at or beyond :data:`CLASS_LIMIT`: text that holds one is left to ``regex``.
BEYOND_CLASS = re.compile(f"[^\x00-{chr(CLASS_LIMIT - 1)}]")


@lru_cache(maxsize=1)
def word_class() -> str:
    r"""The letters and digits before :data:`CLASS_LIMIT` (what ``regex`` calls
    ``[^\W_]``), for the inside of a class of the ``re`` module; with ``_`` added, its
    ``\w`` there."""
    return re_class(regex.compile(r"[^\W_]"), CLASS_LIMIT)
