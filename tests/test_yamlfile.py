"""The YAML reader: values and lines built from parser events, with libyaml or without."""

import pytest
import yaml

from newsclean import yamlfile
from newsclean.errors import ConfigError
from newsclean.yamlfile import YamlList, YamlMap, iter_table_items, parse_yaml, table_items

# PyYAML's own parser always; libyaml's too where PyYAML was built with it
LOADERS = [yaml.SafeLoader] + ([yaml.CSafeLoader] if hasattr(yaml, "CSafeLoader") else [])


@pytest.fixture(params=LOADERS, ids=lambda loader: loader.__name__)
def loader(request, monkeypatch):
    monkeypatch.setattr(yamlfile, "_Loader", request.param)
    return request.param


DOCUMENTS = [
    "a: 1\nb: [x, 'y', \"z\"]\nc: {d: 2.5, e: null, f: true, g: ~}\n",
    "- 1\n- -2\n- 0x1f\n- .inf\n- 'quoted: yes'\n- yes\n- No\n- ''\n- !!str 12\n",
    "entities:\n  - id: a\n    name: Ann Lee\n    aliases: []\n  - {id: b, name: 'Bo'}\n",
    "plain text\n",
    "key: |\n  two\n  lines\nother: >\n  folded\n  text\n",
    "a: &anchor 1\nb: 2\n",
    "",
    "---\n",
]


def plain(value):
    """The value with YamlMap and YamlList as dict and list, for comparing."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


@pytest.mark.parametrize("text", DOCUMENTS)
def test_values_are_what_yaml_safe_load_gives(loader, text):
    assert plain(parse_yaml(text, "t.yaml")) == yaml.safe_load(text)


def test_every_mapping_and_list_knows_its_lines(loader):
    data = parse_yaml("top: 1\nitems:\n  - id: a\n\n    name: A\n  - [1,\n     2]\n", "t.yaml")
    assert isinstance(data, YamlMap) and data.line == 1
    assert data.key_lines == {"top": 1, "items": 2}
    items = data["items"]
    assert isinstance(items, YamlList) and items.line == 3 and items.item_lines == [3, 6]
    assert items[0].key_lines == {"id": 3, "name": 5}
    assert items[1].line == 6


def test_both_parsers_agree():
    text = "\n".join(f"- id: e{i}\n  name: \"N{i}\"\n  aliases: [A{i}, 'B {i}']"
                     for i in range(300))
    results = []
    for loader_class in LOADERS:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(yamlfile, "_Loader", loader_class)
            data = parse_yaml(text, "t.yaml")
        results.append((plain(data), data.item_lines, [item.key_lines for item in data]))
    assert all(result == results[0] for result in results)
    assert results[0][1][-1] == 898


@pytest.mark.parametrize("text, message, line", [
    ("a: &x [1, 2]\nb: *x\n", "anchors and aliases", 2),
    ("a: &x 1\nb: &x 2\n", "the anchor &x is defined twice", 2),
    ("a: 1\n---\nb: 2\n", "expected a single document", 2),
    ("a: !!python/object:os.system {}\n", "the tag 'tag:yaml.org,2002:python/object:os.system'"
     " is not allowed", 1),
    ("a: 1\nb: 2001-01-01\n", "is not allowed", 2),
    ("a: 1\na: 2\n", "the key 'a' is given twice", 2),
    ("? [1, 2]\n: x\n", "keys must be strings", 1),
    ("a: [1, 2\nb: 3\n", "invalid YAML", 2),
    ("a: !!int twelve\n", "invalid value", 1),
])
def test_errors_name_the_line(loader, text, message, line):
    with pytest.raises(ConfigError) as info:
        parse_yaml(text, "t.yaml")
    assert message in str(info.value)
    assert str(info.value).startswith(f"t.yaml:{line}: ")


TABLES = [
    "entities:\n  - a\n  - {b: 1}\n",
    "entities: []\n",
    "entities:\n- x\n",
]


@pytest.mark.parametrize("text", TABLES)
def test_table_items_one_at_a_time_are_the_parsed_ones(loader, text):
    streamed = list(iter_table_items(text, "entities", ("entities",), path="t.yaml",
                                     error=ConfigError, allow_empty=True))
    parsed = table_items(parse_yaml(text, "t.yaml"), "entities", ("entities",), path="t.yaml",
                         error=ConfigError, allow_empty=True)
    assert [(plain(item), line) for item, line in streamed] == \
        [(plain(item), line) for item, line in parsed]


@pytest.mark.parametrize("text, message, line", [
    ("people: []\n", "unknown key 'people'", 1),
    ("entities: []\n", "'entities' must be a non-empty list", 1),
    ("entities: {a: 1}\n", "'entities' must be a non-empty list", 1),
    ("other: 1\n", "unknown key 'other'", 1),
    ("# nothing\n", "a table is a mapping", 1),
    ("\n\n- a\n", "a table is a mapping", 3),
    ("version: 1\n", "'entities' must be a non-empty list", 1),
    # a YAML error anywhere in the mapping comes before what is wrong with its keys
    ("a: &x [1, 2]\nb: *x\n", "anchors and aliases", 2),
    ("entities:\n  - a\n---\nb: 2\n", "expected a single document", 3),
])
def test_table_errors_are_the_parsed_ones(loader, text, message, line):
    for read in (lambda: list(iter_table_items(text, "entities", ("entities", "version"),
                                               path="t.yaml", error=ConfigError)),
                 lambda: table_items(parse_yaml(text, "t.yaml"), "entities",
                                     ("entities", "version"), path="t.yaml",
                                     error=ConfigError)):
        with pytest.raises(ConfigError) as info:
            read()
        assert message in str(info.value)
        assert str(info.value).startswith(f"t.yaml:{line}: ")


def test_table_items_come_before_the_rest_is_parsed(loader):
    items = iter_table_items("entities:\n  - a\n  - b\n  - [c,\n", "entities", ("entities",),
                             path="t.yaml", error=ConfigError)
    assert next(items) == ("a", 2)
    assert next(items) == ("b", 3)
    with pytest.raises(ConfigError, match="invalid YAML"):
        next(items)
