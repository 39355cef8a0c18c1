"""Boilerplate rule tables: YAML data, checked and compiled once when loaded.

A rule table is a YAML file::

    language: en
    rules:
      - id: comment-form/prompt
        why: Comment-form prompts of the tagDiv Newspaper theme
        pattern: 'please enter your (comment|name)( here)?\\s*!?'
        examples:
          drop: ["Please enter your comment!"]
          keep: ["Please enter your comments by Friday, the ministry said."]

Each ``pattern`` must match a whole normalised line (``regex.fullmatch``), case-insensitively
unless the rule says ``case_sensitive: true``. A rule whose own examples fail is refused.
"""

from __future__ import annotations

import bisect
import itertools
import time
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Iterable, Optional, Sequence, Union

import ahocorasick
import regex

from ..errors import RuleTableError
from ..yamlfile import YamlMap, check_mapping, load_yaml, parse_yaml, table_items
from .patterns import anchors, max_width

#: Longest time one line may spend in the rule patterns before it is given up on.
MATCH_TIMEOUT = 0.25

#: How long a user's rule may take on one of :func:`adversarial_lines` before it is refused.
PROBE_TIMEOUT = 0.05
#: Longest pattern accepted, in characters.
MAX_PATTERN_LENGTH = 5000

_RULE_KEYS = ("id", "why", "pattern", "examples", "case_sensitive", "scope")
SCOPES = ("line", "rest")
_TABLE_KEYS = ("language", "rules")
_ID = regex.compile(r"[a-z0-9]+(?:[-_][a-z0-9]+)*(?:/[a-z0-9]+(?:[-_][a-z0-9]+)*)+")


@dataclass(frozen=True)
class Rule:
    """One line rule, with where it was defined."""

    id: str
    why: str
    pattern: str
    case_sensitive: bool
    drop_examples: tuple[str, ...]
    keep_examples: tuple[str, ...]
    path: str
    line: int
    scope: str = "line"


class RuleSet:
    """Compiled rules: :meth:`match` names the rule a line matches, or returns None.

    >>> rules = RuleSet.load()
    >>> rules.match("Please enter your comment!")
    'comment-form/prompt'
    >>> rules.match("The minister said he would comment on Monday.") is None
    True
    """

    def __init__(self, rules: Sequence[Rule]) -> None:
        self.rules = tuple(rules)
        self._matchers = {scope: _Matcher([r for r in self.rules if r.scope == scope])
                          for scope in SCOPES}

    @classmethod
    def load(
        cls, paths: Optional[Iterable[Union[str, Path]]] = None, *, bundled: bool = True
    ) -> RuleSet:
        """The tables at ``paths``, then the bundled ones (when ``bundled``).

        A line goes by the first rule that matches it, so a user's rules come first.
        """
        rules: list[Rule] = []
        for path in paths or ():
            rules.extend(_parse_table(load_yaml(path, RuleTableError), str(path), probe=True))
        if bundled:
            for name, data in bundled_tables():
                rules.extend(_parse_table(data, f"newsclean/data/rules/{name}"))
        seen: dict[str, Rule] = {}
        for rule in rules:
            if rule.id in seen:
                first = seen[rule.id]
                raise RuleTableError(
                    f"rule id {rule.id!r} is defined twice (first at {first.path}:{first.line});"
                    " rename one", path=rule.path, line=rule.line)
            seen[rule.id] = rule
        return cls(rules)

    def match(self, line: str, scope: str = "line") -> Optional[str]:
        """The id of the first rule of ``scope`` whose pattern matches the whole of ``line``.

        ``scope`` "line" rules remove the line; "rest" rules mark a heading after which the
        rest of the document goes (a comment section).
        """
        return self._matchers[scope].match(line)

    def match_lines(self, lines: Sequence[str], scope: str = "line") -> list[Optional[str]]:
        """:meth:`match` of each of ``lines``, searched for anchors all at once.

        >>> RuleSet.load().match_lines(["Share this:", "The minister said so."])
        ['share/share-this', None]
        """
        return self._matchers[scope].match_lines(lines)


class _Matcher:
    """Rules of one scope, tried on a line only when the line could match them.

    A rule is tried only if the line is no longer than the longest line it can match and
    holds one of its anchors (or it has none); an Aho-Corasick automaton finds every
    anchor of a line in one pass. A long line is searched only for the anchors of the
    rules that can match lines that long (one automaton per band of :data:`WIDTH_BANDS`).
    """

    def __init__(self, rules: Sequence[Rule]) -> None:
        self.rules = tuple(rules)
        self._compiled = [
            regex.compile(rule.pattern, 0 if rule.case_sensitive else regex.IGNORECASE)
            for rule in self.rules]
        self._widths = [max_width(rule.pattern) for rule in self.rules]
        self._always: list[int] = []
        by_anchor: dict[str, list[int]] = {}
        for i, rule in enumerate(self.rules):
            found = anchors(rule.pattern)
            if found is None:
                self._always.append(i)
            for word in found or ():
                by_anchor.setdefault(word, []).append(i)
        # _automata[k] holds the anchors of the rules that match lines of WIDTH_BANDS[k]
        # characters or more: enough for any line at least that long.
        self._automata: list[Optional[Any]] = []
        for band in WIDTH_BANDS:
            automaton = None
            for word, members in by_anchor.items():
                wide = tuple(i for i in members if self._widths[i] >= band)
                if wide:
                    if automaton is None:
                        automaton = ahocorasick.Automaton()
                    automaton.add_word(word, wide)
            if automaton is not None:
                automaton.make_automaton()
            self._automata.append(automaton)

    def match(self, line: str) -> Optional[str]:
        candidates = set(self._always)
        automaton = self._automata[_band(len(line))]
        if automaton is not None:
            for _end, members in automaton.iter(line.lower()):
                candidates.update(members)
        return self._first(line, candidates)

    def match_lines(self, lines: Sequence[str]) -> list[Optional[str]]:
        """:meth:`match` for each line; the anchors are searched for in all the lines of a
        band of lengths at once (lower-cased, joined by line breaks, which no anchor
        holds), and only the lines that hold one, when every rule has anchors, are tried."""
        if self._always or len(lines) < 2:
            return [self.match(line) for line in lines]
        bands: dict[int, list[int]] = {}
        for index, line in enumerate(lines):
            bands.setdefault(_band(len(line)), []).append(index)
        candidates: dict[int, set[int]] = {}
        for band, members in bands.items():
            automaton = self._automata[band]
            if automaton is None:
                continue
            lowered = [lines[index].lower() for index in members]
            ends = list(itertools.accumulate(len(line) + 1 for line in lowered))
            for end, rules in automaton.iter("\n".join(lowered)):
                index = members[bisect.bisect_right(ends, end)]
                candidates.setdefault(index, set()).update(rules)
        found: list[Optional[str]] = [None] * len(lines)
        for index, rules in candidates.items():
            found[index] = self._first(lines[index], rules)
        return found

    def _first(self, line: str, candidates: set[int]) -> Optional[str]:
        """The id of the first of the ``candidates`` rules that matches ``line``."""
        for i in sorted(candidates):
            if len(line) > self._widths[i]:
                continue
            try:
                if self._compiled[i].fullmatch(line, timeout=MATCH_TIMEOUT) is not None:
                    return self.rules[i].id
            except TimeoutError:
                continue
        return None


#: Line lengths from which a line is searched only for the anchors of the rules that can
#: match a line that long (see :class:`_Matcher`).
WIDTH_BANDS = (0, 64, 128, 256, 512, 1024)


def _band(length: int) -> int:
    """The index in :data:`WIDTH_BANDS` of the band of lines ``length`` characters long."""
    return bisect.bisect_right(WIDTH_BANDS, length) - 1


def bundled_tables() -> list[tuple[str, Any]]:
    """(file name, parsed YAML) of every bundled rule table, sorted by name."""
    folder = resources.files("newsclean") / "data" / "rules"
    tables = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".yaml"):
            text = entry.read_text("utf-8")
            tables.append((entry.name, parse_yaml(text, entry.name, RuleTableError,
                                                  bundled=True)))
    return tables


def _parse_table(data: Any, path: str, *, probe: bool = False) -> list[Rule]:
    items = table_items(data, "rules", _TABLE_KEYS, path=path, error=RuleTableError)
    return [_parse_rule(item, path, line, probe) for item, line in items]


def _parse_rule(item: Any, path: str, line: int, probe: bool = False) -> Rule:
    def fail(message: str, at: Optional[str] = None) -> RuleTableError:
        where = item.key_lines.get(at, line) if isinstance(item, YamlMap) and at else line
        return RuleTableError(message, path=path, line=where)

    item = check_mapping(item, _RULE_KEYS, "each rule is a mapping with id, why, pattern and"
                         " examples", path=path, line=line, error=RuleTableError)
    for key in ("id", "why", "pattern"):
        if not isinstance(item.get(key), str) or not item[key].strip():
            raise fail(f"'{key}' must be a non-empty string", key)
    rule_id = item["id"]
    if not _ID.fullmatch(rule_id):
        raise fail(f"rule id {rule_id!r} must look like 'category/name' (a-z, 0-9, -)", "id")
    case_sensitive = item.get("case_sensitive", False)
    if not isinstance(case_sensitive, bool):
        raise fail("'case_sensitive' must be true or false", "case_sensitive")
    flags = 0 if case_sensitive else regex.IGNORECASE
    if len(item["pattern"]) > MAX_PATTERN_LENGTH:
        raise fail(f"rule {rule_id!r}: the pattern is longer than {MAX_PATTERN_LENGTH}"
                   " characters", "pattern")
    try:
        compiled = regex.compile(item["pattern"], flags)
    except (regex.error, OverflowError, RecursionError, MemoryError) as exc:
        raise fail(f"rule {rule_id!r}: invalid pattern: {exc}", "pattern") from exc
    if compiled.fullmatch(""):
        raise fail(f"rule {rule_id!r}: the pattern matches an empty line", "pattern")
    examples = item.get("examples")
    if not isinstance(examples, YamlMap) or set(examples) != {"drop", "keep"}:
        raise fail(f"rule {rule_id!r}: 'examples' needs a 'drop' and a 'keep' list", "examples")
    drop, keep = examples["drop"], examples["keep"]
    for name, values in (("drop", drop), ("keep", keep)):
        if (not isinstance(values, list) or not values
                or not all(isinstance(v, str) and v.strip() for v in values)):
            raise fail(f"rule {rule_id!r}: examples.{name} must be a non-empty list of strings",
                       "examples")
    slow = (f"rule {rule_id!r}: the pattern backtracks catastrophically (it takes more than"
            f" {PROBE_TIMEOUT:g} s on %r); rewrite it without nested or overlapping repeats")
    try:
        for text in drop:
            if compiled.fullmatch(text, timeout=MATCH_TIMEOUT) is None:
                raise fail(f"rule {rule_id!r}: the drop example {text!r} does not match",
                           "examples")
        for text in keep:
            if compiled.fullmatch(text, timeout=MATCH_TIMEOUT) is not None:
                raise fail(f"rule {rule_id!r}: the keep example {text!r} matches", "examples")
    except TimeoutError as exc:
        raise fail(slow.replace("%r", "one of its examples"), "pattern") from exc
    if probe:
        text = too_slow(compiled, adversarial_lines(item["pattern"], drop))
        if text is not None:
            shown = text if len(text) < 40 else f"{text[:30]}... ({len(text)} characters)"
            raise fail(slow % shown, "pattern")
    scope = item.get("scope", "line")
    if scope not in SCOPES:
        raise fail(f"rule {rule_id!r}: 'scope' must be one of {', '.join(SCOPES)}", "scope")
    return Rule(rule_id, item["why"].strip(), item["pattern"], case_sensitive,
                tuple(drop), tuple(keep), path, line, scope)


def adversarial_lines(pattern: str, examples: Sequence[str] = (), *, size: int = 10000
                      ) -> list[str]:
    r"""Lines that make a pattern prone to catastrophic backtracking show it.

    Backtracking blows up on a long run of what a repeated part matches, followed by
    something that makes the whole match fail. So: runs of letters, digits, spaces,
    punctuation and of the pattern's own literal characters, and the rule's examples
    repeated, each ending in a character no rule expects.

    >>> import regex
    >>> bad = regex.compile(r"(?:a|aa)+")
    >>> too_slow(bad, adversarial_lines(bad.pattern))[:10]
    'aaaaaaaaaa'
    >>> too_slow(regex.compile("share this:?"), adversarial_lines("share this:?")) is None
    True
    """
    literals = sorted({ch for ch in pattern if ch.isalnum() or ch in " -_:,.!?/'"})
    units = ["a", "1", " ", "a ", "ab", ".", "-", "\t", "A1 ", *literals,
             "".join(literals[:8]), *(f"{example} " for example in examples), *examples]
    lines = []
    for unit in dict.fromkeys(units):
        if unit:
            run = unit * max(1, size // len(unit))
            lines += [run + "\x00", run + "!", run]
    return lines


def too_slow(compiled: regex.Pattern[str], lines: Iterable[str],
             limit: float = PROBE_TIMEOUT) -> Optional[str]:
    """The first of ``lines`` on which ``compiled.fullmatch`` takes longer than ``limit``
    seconds, or None. Time is measured as well as limited: the regex module checks its
    timeout only at some steps, and a pattern that is merely quadratic can run on."""
    for line in lines:
        start = time.perf_counter()
        try:
            compiled.fullmatch(line, timeout=limit)
        except TimeoutError:
            return line
        if time.perf_counter() - start > limit:
            return line
    return None
