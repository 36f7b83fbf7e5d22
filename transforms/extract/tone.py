"""How charged words are: the tone of a quote, and the polarity of an evaluative word (no Beam).

Two permissively licensed lexicons from the package index, read as they are installed:

- **VADER** (``vaderSentiment`` 3.3.2, MIT; Hutto & Gilbert 2014): 7,500 words and phrases rated from -4 to
  +4 by ten people each. Its ``SentimentIntensityAnalyzer`` gives a text's ``compound`` score in [-1, 1],
  with negation and intensifiers: the ``tone`` of quotes and stances, in the spirit of GDELT's tone.
- **Pattern's adjectives** (``en-sentiment.xml`` as shipped in ``textblob`` 0.20.1, MIT; from Pattern, BSD):
  2,900 adjectives with a polarity in [-1, 1] per WordNet sense, averaged here.

An evaluative word's polarity is VADER's (scaled to [-1, 1]) when it has one, else Pattern's, else the
supplement's (``evaluative.supplement.v1.tsv``: words neither lexicon rates, each with its provenance);
a word counts as evaluative only when the score is clear (:data:`MIN_VALENCE`).
"""
from __future__ import annotations

import importlib.util
import os
import xml.etree.ElementTree as ElementTree
from typing import Dict, Optional

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from transforms.common.data_files import data_lines

DATA = "transforms.extract.data"
SUPPLEMENT_FILE = "evaluative.supplement.v1.tsv"
#: Adjectives that say what a noun's owner prefers, not what the speaker thinks: "Archie's favorite word".
OWNERS_PREFERENCE = frozenset({"favorite", "favourite", "beloved", "preferred", "pet"})
#: The least absolute polarity (in [-1, 1]) that makes a word evaluative.
MIN_VALENCE = 0.45
#: Pattern's words count only when rated this subjective (0: a fact, 1: an opinion).
MIN_SUBJECTIVITY = 0.4


def _pattern_adjectives() -> Dict[str, float]:
    spec = importlib.util.find_spec("textblob")   # the data file only: textblob itself is never imported
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("textblob (for Pattern's en-sentiment.xml) is not installed")
    path = os.path.join(list(spec.submodule_search_locations)[0], "en", "en-sentiment.xml")
    senses: Dict[str, list] = {}
    for word in ElementTree.parse(path).getroot().iter("word"):
        form = word.get("form", "").lower()
        if not form or float(word.get("subjectivity", "0")) < MIN_SUBJECTIVITY:
            continue
        senses.setdefault(form, []).append(float(word.get("polarity", "0")))
    return {form: sum(values) / len(values) for form, values in senses.items()}


def _supplement() -> Dict[str, float]:
    words = {}
    for line in data_lines(DATA, SUPPLEMENT_FILE):
        if not line.strip() or line.startswith("#"):
            continue
        word, score = line.split("\t")[:2]
        words[word.lower()] = float(score)
    return words


class Tone:
    """The lexicons, loaded once per worker."""

    def __init__(self):
        self.analyzer = SentimentIntensityAnalyzer()
        self.vader = {word: score / 4.0 for word, score in self.analyzer.lexicon.items()}
        self.pattern = _pattern_adjectives()
        self.supplement = _supplement()

    def of_text(self, text: str) -> float:
        """The text's tone in [-1, 1] (VADER's compound score): 0 is neutral."""
        return round(float(self.analyzer.polarity_scores(text)["compound"]), 3)

    def of_word(self, word: str, lemma: Optional[str] = None, *, rated_only: bool = False) -> Optional[float]:
        """The polarity of one word (or its lemma) in [-1, 1], or None when it is not clearly evaluative; with
        ``rated_only``, VADER's alone (words people rated)."""
        lexicons = (self.vader,) if rated_only else (self.vader, self.pattern, self.supplement)
        for form in (word.lower(), (lemma or "").lower()):
            if not form:
                continue
            for lexicon in lexicons:
                score = lexicon.get(form)
                if score is not None:
                    return score if abs(score) >= MIN_VALENCE else None
        return None

    def rated(self, token) -> Optional[float]:
        """A word's polarity as people rated it (VADER's lexicon, of the word or its lemma), when clear."""
        return self.of_word(token.text, token.lemma_, rated_only=True)

    def valence(self, token) -> Optional[float]:
        """An evaluation's polarity: its head word's, else its adjectives' ("a great leader")."""
        score = self.of_word(token.text, token.lemma_)
        if score is not None:
            return score
        scores = [self.of_word(c.text, c.lemma_) for c in token.children if c.dep_ in ("amod", "acomp")
                  and c.lower_ not in OWNERS_PREFERENCE]
        scores = [s for s in scores if s is not None]
        return sum(scores) / len(scores) if scores else None
