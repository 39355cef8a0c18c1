"""Errors newsclean raises at its users, each with a one-line message that says how to fix it."""

from __future__ import annotations

from pathlib import Path
from typing import Optional, Union


class NewscleanError(Exception):
    """Base of every error newsclean raises on purpose; ``str(err)`` is one line."""


class ConfigError(NewscleanError):
    """Bad configuration: an alias or rule table, an option, a model. The CLI exits 2.

    ``path`` and ``line`` (1-based) point at the offending place when it is known.
    """

    def __init__(
        self,
        message: str,
        *,
        path: Optional[Union[str, Path]] = None,
        line: Optional[int] = None,
    ) -> None:
        self.path = str(path) if path is not None else None
        self.line = line
        self.message = message
        where = ""
        if self.path is not None:
            where = f"{self.path}:{line}: " if line is not None else f"{self.path}: "
        super().__init__(f"{where}{message}")


class AliasTableError(ConfigError):
    """An alias table that cannot be loaded: syntax, unknown keys, duplicate ids, shared names."""


class RuleTableError(ConfigError):
    """A boilerplate rule table that cannot be loaded, or whose own examples fail."""


class ModelError(ConfigError):
    """The spaCy pipeline cannot be loaded or has no ``ner`` component."""


class InputError(NewscleanError):
    """One input document cannot be read or processed; the others still are. The CLI exits 1."""
