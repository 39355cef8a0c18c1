"""Fuzz the YAML loader and the alias and rule tables built on it.

Run by hand, not in CI (see docs/reliability.md)::

    pip install -e '.[fuzz]'
    python fuzz/fuzz_yaml.py -max_total_time=600 -rss_limit_mb=4096 /tmp/corpus-yaml fuzz/seeds/yaml

A table may be refused only with a ConfigError whose message is one line and names the
file; anything else (another exception, a hang, memory without bound) is a crash.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import atheris

with atheris.instrument_imports():
    from newsclean.boilerplate.rules import RuleSet
    from newsclean.entities.aliases import AliasTable
    from newsclean.errors import ConfigError
    from newsclean.yamlfile import load_yaml

FOLDER = Path(tempfile.mkdtemp(prefix="newsclean-fuzz-"))


def test_one(data: bytes) -> None:
    if not data:
        return
    path = FOLDER / "table.yaml"
    path.write_bytes(data[1:])
    load = (load_yaml, AliasTable.load, lambda p: RuleSet.load([p], bundled=False))[data[0] % 3]
    try:
        load(path)
    except ConfigError as exc:
        message = str(exc)
        assert message.startswith(str(path)), message


if __name__ == "__main__":
    atheris.Setup(sys.argv, test_one)
    atheris.Fuzz()
