"""Load the spaCy pipeline: the statistical English model with our components around it.

The model is a setting, not a constant: ``load_nlp(model)``, else the environment variable
``NEWSARCHIVE_SPACY_MODEL``, else ``DEFAULT_MODEL``. ``en_core_web_sm``/``md``/``lg``/``trf``
drop in where installed. Loaded pipelines are cached per model name, so workers and tests
load each model once.
"""

from __future__ import annotations

import logging
from functools import lru_cache

import spacy
from spacy.language import Language

import newsarchive.nlp.entities.components  # noqa: F401  (registers the factories even without the entry point)
from newsarchive.nlp.entities.model import DEFAULT_MODEL, MODEL_ENV_VAR, model_name  # noqa: F401  (re-exported)

#: Texts are cut into pieces of at most this many characters (at paragraph, line or
#: sentence ends) before spaCy sees them: far under spaCy's ``max_length``, and about the
#: size of a long article, so that a batch of pieces of a huge text costs no more memory
#: than a batch of articles (``nlp.pipe`` batches count texts, not characters: 32 pieces of
#: 100,000 characters took 9.8 GB for a 5 MB text, of 10,000 characters 1.2 GB).
CHUNK_CHARS = 10_000

logger = logging.getLogger("newsarchive.nlp.entities.extract")


def add_components(nlp: Language) -> Language:
    """Put our components around the statistical model: countries and well-known organisations
    before ``ner``, domains last.

    :param nlp: a loaded pipeline; changed in place and returned
    """
    if "newsarchive_countries" not in nlp.pipe_names:
        where = {"before": "ner"} if "ner" in nlp.pipe_names else {"last": True}
        nlp.add_pipe("newsarchive_countries", **where)
    if "newsarchive_organisations" not in nlp.pipe_names:
        nlp.add_pipe("newsarchive_organisations", after="newsarchive_countries")
    if "newsarchive_domains" not in nlp.pipe_names:
        nlp.add_pipe("newsarchive_domains", last=True)
    return nlp


@lru_cache(maxsize=4)
def _load(name: str) -> Language:
    logger.info("loading spaCy model %s", name)
    nlp = spacy.load(name)
    if "ner" not in nlp.pipe_names:
        logger.warning("model %s has no 'ner': only countries and domains will be found", name)
    return add_components(nlp)


def load_nlp(model: str | None = None) -> Language:
    """The pipeline for ``model`` with our components, loaded once per model name.

    :param model: a spaCy package name or path; default from :func:`model_name`
    """
    return _load(model_name(model))
