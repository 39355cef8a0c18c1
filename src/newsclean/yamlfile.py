"""Safe YAML loading that remembers line numbers, for the alias and rule tables.

Only plain YAML is accepted: mappings, sequences and scalars of the standard tags.
Anchors and aliases (``&a`` / ``*a``) are refused, so a "billion laughs" file cannot
expand, and tags such as ``!!python/object`` are refused before anything is built.
"""

from __future__ import annotations

from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any, Iterator, Optional, Union

import yaml

from .errors import ConfigError

_PLAIN_TAGS = {
    "tag:yaml.org,2002:" + name
    for name in ("str", "int", "float", "bool", "null", "map", "seq")
}


class YamlMap(dict):  # type: ignore[type-arg]
    """A mapping that knows the line (1-based) of itself and of each of its keys."""

    __slots__ = ("key_lines", "line")
    line: int
    key_lines: dict[str, int]


class YamlList(list):  # type: ignore[type-arg]
    """A sequence that knows its own line and the line of each item."""

    __slots__ = ("item_lines", "line")
    line: int
    item_lines: list[int]


#: libyaml's parser when PyYAML has it (several times faster), else PyYAML's own. Either
#: way the values are built from the parser's events, which carry their lines; a tree of
#: YAML nodes first would take gigabytes for a table of a million names.
_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_STR = "tag:yaml.org,2002:str"


def read_text(path: Union[str, Path], error: type[ConfigError] = ConfigError) -> str:
    """The text of ``path``, or ``error`` saying why it cannot be read."""
    try:
        return Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise error(f"cannot read: {reason}", path=path) from exc


def load_yaml(path: Union[str, Path], error: type[ConfigError] = ConfigError) -> Any:
    """Read ``path`` into :class:`YamlMap`, :class:`YamlList` and plain scalars."""
    return parse_yaml(read_text(path, error), Path(path), error)


def parse_yaml(text: str, path: Union[str, Path], error: type[ConfigError] = ConfigError,
               *, bundled: bool = False) -> Any:
    """Parse YAML ``text``; ``path`` only names it in messages.

    ``bundled`` is accepted for compatibility: every table is parsed the same way now.
    """
    loader = _Loader(text)
    try:
        with _yaml_errors(path, error, text, loader):
            return _document(loader, path, error)
    finally:
        loader.dispose()


def iter_table_items(
    text: str,
    list_key: str,
    allowed: tuple[str, ...],
    *,
    path: Union[str, Path],
    error: type[ConfigError],
    allow_empty: bool = False,
) -> Iterator[tuple[Any, int]]:
    """What :func:`table_items` gives for the parsed ``text``, one item at a time as it is
    parsed: a large table never stands in memory twice, as YAML and as what it is made into.
    """
    what, must = _table_messages(list_key, allowed, allow_empty)
    loader = _Loader(text)
    try:
        with _yaml_errors(path, error, text, loader):
            loader.get_event()  # the stream starts
            if loader.check_event(yaml.StreamEndEvent):
                raise error(what, path=path, line=1)
            loader.get_event()  # the document starts
            event = loader.get_event()
            table_line = event.start_mark.line + 1
            if not isinstance(event, yaml.MappingStartEvent):
                value = _build(loader, event, path, error, set())
                raise error(what, path=path, line=getattr(value, "line", 1))
            _check_tag(loader, event, path, error)
            anchors: set[str] = set()
            keys: set[str] = set()
            # what is wrong with the mapping is said once it is all read, so that a YAML
            # error anywhere in it comes first, as it does for a parsed table
            problem: Optional[ConfigError] = None
            while not loader.check_event(yaml.MappingEndEvent):
                key_event = loader.get_event()
                key_line = key_event.start_mark.line + 1
                key = _build(loader, key_event, path, error, anchors)
                if not isinstance(key, str):
                    raise error(f"keys must be strings, not {key!r}", path=path, line=key_line)
                if key in keys:
                    raise error(f"the key {key!r} is given twice", path=path, line=key_line)
                keys.add(key)
                if key not in allowed and problem is None:
                    problem = error(f"unknown key {key!r}; allowed: {', '.join(allowed)}",
                                    path=path, line=key_line)
                event = loader.get_event()
                if key != list_key or not isinstance(event, yaml.SequenceStartEvent):
                    _build(loader, event, path, error, anchors)
                    if key == list_key and problem is None:
                        problem = error(must, path=path, line=key_line)
                    continue
                _check_tag(loader, event, path, error)
                count = 0
                while not loader.check_event(yaml.SequenceEndEvent):
                    item_event = loader.get_event()
                    item = _build(loader, item_event, path, error, anchors)
                    yield item, item_event.start_mark.line + 1
                    count += 1
                loader.get_event()
                if not (count or allow_empty) and problem is None:
                    problem = error(must, path=path, line=key_line)
            loader.get_event()  # the mapping ends
            _document_end(loader, path, error)
            if problem is not None:
                raise problem
            if list_key not in keys:
                raise error(must, path=path, line=table_line)
    finally:
        loader.dispose()


@contextmanager
def _yaml_errors(path: Union[str, Path], error: type[ConfigError],
                 text: Optional[str] = None, loader: Any = None) -> Iterator[None]:
    """The parser's errors as ``error``, with the line (``text`` places a bad character,
    ``loader`` says where it stopped)."""
    try:
        yield
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = exc.problem or exc.context or "invalid YAML"
        if "nesting depth" in problem:  # libyaml's own limit (PyYAML 6.0.4 and later)
            problem = "nested too deeply"
        raise error(f"invalid YAML: {problem}", path=path, line=line) from exc
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow
        line = text.count("\n", 0, exc.position) + 1 if text is not None else None
        char = exc.character
        what = f"U+{char:04X}" if isinstance(char, int) else f"byte {char!r}"
        raise error(f"invalid YAML: {exc.reason} ({what})", path=path, line=line) from exc
    except yaml.YAMLError as exc:
        raise error(f"invalid YAML: {exc}", path=path) from exc
    except RecursionError as exc:  # the builder recurses once per level of nesting
        line = None
        with suppress(Exception):  # if the parser gave up too, there is no line
            line = loader.peek_event().start_mark.line + 1
        raise error("invalid YAML: nested too deeply", path=path, line=line) from exc


def _document(loader: Any, path: Union[str, Path], error: type[ConfigError]) -> Any:
    """The single document of the stream, or None when there is none."""
    loader.get_event()  # the stream starts
    if loader.check_event(yaml.StreamEndEvent):
        return None
    loader.get_event()  # the document starts
    value = _build(loader, loader.get_event(), path, error, set())
    _document_end(loader, path, error)
    return value


def _document_end(loader: Any, path: Union[str, Path], error: type[ConfigError]) -> None:
    loader.get_event()  # the document ends
    if not loader.check_event(yaml.StreamEndEvent):
        raise error("invalid YAML: expected a single document in the stream, but found another"
                    " document", path=path, line=loader.peek_event().start_mark.line + 1)


def _build(
    loader: Any,
    event: Any,
    path: Union[str, Path],
    error: type[ConfigError],
    anchors: set[str],
) -> Any:
    """The value that starts with ``event``, read from the ``loader``'s events."""
    line = event.start_mark.line + 1
    if isinstance(event, yaml.AliasEvent):
        raise error("invalid YAML: anchors and aliases (&name, *name) are not supported",
                    path=path, line=line)
    anchor = getattr(event, "anchor", None)
    if anchor is not None:
        if anchor in anchors:
            raise error(f"invalid YAML: the anchor &{anchor} is defined twice", path=path,
                        line=line)
        anchors.add(anchor)
    tag = _check_tag(loader, event, path, error)
    if tag == _STR:
        return event.value
    if isinstance(event, yaml.MappingStartEvent):
        mapping = YamlMap()
        mapping.line, mapping.key_lines = line, {}
        while not loader.check_event(yaml.MappingEndEvent):
            key_event = loader.get_event()
            key_line = key_event.start_mark.line + 1
            key = _build(loader, key_event, path, error, anchors)
            if not isinstance(key, str):
                raise error(f"keys must be strings, not {key!r}", path=path, line=key_line)
            if key in mapping:
                raise error(f"the key {key!r} is given twice", path=path, line=key_line)
            mapping[key] = _build(loader, loader.get_event(), path, error, anchors)
            mapping.key_lines[key] = key_line
        loader.get_event()
        return mapping
    if isinstance(event, yaml.SequenceStartEvent):
        items = YamlList()
        items.line, items.item_lines = line, []
        while not loader.check_event(yaml.SequenceEndEvent):
            item_event = loader.get_event()
            items.item_lines.append(item_event.start_mark.line + 1)
            items.append(_build(loader, item_event, path, error, anchors))
        loader.get_event()
        return items
    node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark,
                           style=event.style)
    try:
        return loader.construct_object(node, deep=True)
    except (yaml.YAMLError, ValueError) as exc:  # ValueError: "!!int twelve"
        raise error(f"invalid value: {exc}", path=path, line=line) from exc


def _check_tag(loader: Any, event: Any, path: Union[str, Path],
               error: type[ConfigError]) -> str:
    """The tag of the node ``event`` starts, resolved as PyYAML's composer does; ``error``
    unless it is one of the plain ones."""
    tag = event.tag
    if tag is None or tag == "!":
        if isinstance(event, yaml.ScalarEvent):
            if not event.implicit[0] or (event.value[:1] not in loader.yaml_implicit_resolvers
                                         and None not in loader.yaml_implicit_resolvers):
                return _STR  # quoted, or no implicit type begins so: what resolve() says, sooner
            tag = loader.resolve(yaml.ScalarNode, event.value, event.implicit)
        elif isinstance(event, yaml.MappingStartEvent):
            tag = loader.resolve(yaml.MappingNode, None, event.implicit)
        else:
            tag = loader.resolve(yaml.SequenceNode, None, event.implicit)
    if tag not in _PLAIN_TAGS:
        raise error(f"the tag {tag!r} is not allowed", path=path,
                    line=event.start_mark.line + 1)
    return str(tag)


def check_mapping(
    value: Any,
    allowed: tuple[str, ...],
    what: str,
    *,
    path: Union[str, Path],
    line: Optional[int],
    error: type[ConfigError],
) -> YamlMap:
    """``value`` if it is a mapping with only ``allowed`` keys; else ``error`` at its line."""
    if not isinstance(value, YamlMap):
        raise error(what, path=path, line=getattr(value, "line", line))
    for key in value:
        if key not in allowed:
            raise error(f"unknown key {key!r}; allowed: {', '.join(allowed)}", path=path,
                        line=value.key_lines[key])
    return value


def table_items(
    data: Any,
    list_key: str,
    allowed: tuple[str, ...],
    *,
    path: Union[str, Path],
    error: type[ConfigError],
    allow_empty: bool = False,
) -> list[tuple[Any, int]]:
    """The ``(item, line)`` pairs of a table's list under ``list_key``, after checking the top."""
    what, must = _table_messages(list_key, allowed, allow_empty)
    table = check_mapping(data, allowed, what, path=path, line=1, error=error)
    items = table.get(list_key)
    if not isinstance(items, YamlList) or not (items or allow_empty):
        raise error(must, path=path, line=table.key_lines.get(list_key, table.line))
    return list(zip(items, items.item_lines))


def _table_messages(list_key: str, allowed: tuple[str, ...], allow_empty: bool
                    ) -> tuple[str, str]:
    """What is said of a table that is not a mapping, and of its list that is not a list."""
    return (f"a table is a mapping with the keys {', '.join(allowed)}",
            f"'{list_key}' must be a {'' if allow_empty else 'non-empty '}list")
