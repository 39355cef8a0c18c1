"""Safe YAML loading that remembers line numbers, for the alias and rule tables.

Only plain YAML is accepted: mappings, sequences and scalars of the standard tags.
Anchors and aliases (``&a`` / ``*a``) are refused, so a "billion laughs" file cannot
expand, and tags such as ``!!python/object`` are refused before anything is built.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Optional, Union

import yaml

from .errors import ConfigError

_PLAIN_TAGS = {
    "tag:yaml.org,2002:" + name
    for name in ("str", "int", "float", "bool", "null", "map", "seq")
}


class YamlMap(dict):  # type: ignore[type-arg]
    """A mapping that knows the line (1-based) of itself and of each of its keys."""

    line: int
    key_lines: dict[str, int]


class YamlList(list):  # type: ignore[type-arg]
    """A sequence that knows its own line and the line of each item."""

    line: int
    item_lines: list[int]


class _Loader(yaml.SafeLoader):
    """A safe loader that stops at the first alias (``*name``), where it stands."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            raise yaml.composer.ComposerError(
                None, None, "anchors and aliases (&name, *name) are not supported",
                self.peek_event().start_mark)  # type: ignore[no-untyped-call]
        return super().compose_node(parent, index)


def load_yaml(path: Union[str, Path], error: type[ConfigError] = ConfigError) -> Any:
    """Read ``path`` into :class:`YamlMap`, :class:`YamlList` and plain scalars."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise error(f"cannot read: {reason}", path=path) from exc
    return parse_yaml(text, path, error)


def parse_yaml(text: str, path: Union[str, Path], error: type[ConfigError] = ConfigError,
               *, bundled: bool = False) -> Any:
    """Parse YAML ``text``; ``path`` only names it in messages.

    ``bundled`` tables (newsclean's own, tested) are parsed by libyaml when PyYAML has it:
    several times faster, but it reports an alias where its anchor stands.
    """
    fast = getattr(yaml, "CSafeLoader", None) if bundled else None
    loader = None
    try:
        loader = fast(text) if fast is not None else _Loader(text)
        node = loader.get_single_node()
        return None if node is None else _build(node, loader, path, error, set())
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = exc.problem or exc.context or "invalid YAML"
        raise error(f"invalid YAML: {problem}", path=path, line=line) from exc
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow
        line = text.count("\n", 0, exc.position) + 1
        char = exc.character
        what = f"U+{char:04X}" if isinstance(char, int) else f"byte {char!r}"
        raise error(f"invalid YAML: {exc.reason} ({what})", path=path, line=line) from exc
    except yaml.YAMLError as exc:
        raise error(f"invalid YAML: {exc}", path=path) from exc
    except RecursionError as exc:  # the parser and the builder recurse once per level
        line = getattr(loader, "line", None)  # where the reader stopped (0-based)
        raise error("invalid YAML: nested too deeply", path=path,
                    line=line + 1 if isinstance(line, int) else None) from exc
    finally:
        if loader is not None:
            loader.dispose()


def _build(
    node: yaml.Node,
    loader: Any,
    path: Union[str, Path],
    error: type[ConfigError],
    seen: set[int],
) -> Any:
    line = node.start_mark.line + 1
    if id(node) in seen:
        raise error("anchors and aliases (&name, *name) are not supported", path=path, line=line)
    seen.add(id(node))
    if node.tag not in _PLAIN_TAGS:
        raise error(f"the tag {node.tag!r} is not allowed", path=path, line=line)
    if isinstance(node, yaml.MappingNode):
        mapping = YamlMap()
        mapping.line, mapping.key_lines = line, {}
        for key_node, value_node in node.value:
            key = _build(key_node, loader, path, error, seen)
            if not isinstance(key, str):
                raise error(f"keys must be strings, not {key!r}", path=path,
                            line=key_node.start_mark.line + 1)
            if key in mapping:
                raise error(f"the key {key!r} is given twice", path=path,
                            line=key_node.start_mark.line + 1)
            mapping[key] = _build(value_node, loader, path, error, seen)
            mapping.key_lines[key] = key_node.start_mark.line + 1
        return mapping
    if isinstance(node, yaml.SequenceNode):
        items = YamlList()
        items.line = line
        items.item_lines = [item.start_mark.line + 1 for item in node.value]
        items.extend(_build(item, loader, path, error, seen) for item in node.value)
        return items
    try:
        return loader.construct_object(node, deep=True)
    except yaml.YAMLError as exc:
        raise error(f"invalid value: {exc}", path=path, line=line) from exc


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
    table = check_mapping(data, allowed, f"a table is a mapping with the keys {', '.join(allowed)}",
                          path=path, line=1, error=error)
    items = table.get(list_key)
    if not isinstance(items, YamlList) or not (items or allow_empty):
        raise error(f"'{list_key}' must be a {'' if allow_empty else 'non-empty '}list", path=path,
                    line=table.key_lines.get(list_key, table.line))
    return list(zip(items, items.item_lines))
