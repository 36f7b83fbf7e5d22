"""Extraction: plain functions over a parsed article (a spaCy ``Doc``), no Beam.

:func:`analyse` gives what one article yields (entities, events, stances) from the
:class:`Resources` a worker loads once. The dictionaries and lexicons it reads are data in
``data/``, with their provenance. Imports ``common`` and ``schemas`` only.
"""
from transforms.extract.analyse import ArticleOutputs, Resources, analyse
from transforms.extract.model import ANALYSIS_COMPONENTS, DEFAULT_MODEL, ModelError, load_model

__all__ = ["ANALYSIS_COMPONENTS", "ArticleOutputs", "DEFAULT_MODEL", "ModelError", "Resources", "analyse",
           "load_model"]
