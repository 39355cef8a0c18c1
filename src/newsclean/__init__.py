"""newsclean: clean scraped news text and resolve the names in it to canonical entities."""

import logging

from .config import CleanConfig
from .entities.aliases import AliasTable
from .errors import AliasTableError, ConfigError, InputError, NewscleanError, RuleTableError
from .pipeline import Pipeline, clean
from .result import Document, Entity, Failure, Match, Removal, Result

__version__ = "0.2.0"

__all__ = [
    "AliasTable",
    "AliasTableError",
    "CleanConfig",
    "ConfigError",
    "Document",
    "Entity",
    "Failure",
    "InputError",
    "Match",
    "NewscleanError",
    "Pipeline",
    "Removal",
    "Result",
    "RuleTableError",
    "__version__",
    "clean",
]

logging.getLogger(__name__).addHandler(logging.NullHandler())
