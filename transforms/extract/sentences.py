"""The spaCy components around the parser: sentence starts and titles before it, one repair after it (no Beam).

- Article text keeps one paragraph, heading or quote per line; a sentence never spans two lines, so a heading
  is never glued to the paragraph under it.
- An abbreviated title ("Sen.", "Lt.", and its plural "Sens.") is one token, and the name after it never starts
  a sentence, nor does the title after a proper noun: "including Gov. Jack Markell and Sens. Tom Carper and
  Chris Coons" and "Minnesota Gov. Mark Dayton is backing Clinton" are one sentence each. The titles
  are the packaged AP Stylebook list (``title_abbreviations.v1.tsv``); the model's own tokenizer knows only some
  of them ("Sen.", not "Lt." or "Sens.").
- After the parser: a finite verb with no subject that the model coordinated with an infinitive or a bare
  participle ("went after Clinton for following Obama's refusal to use the term and called for her to quit") is
  the conjunct of the nearest verb above that has a subject or is finite ("went ... and called"). A finite verb
  cannot share an infinitive's missing subject; the grammar rule, not a word list, decides.
"""
from typing import Dict

from spacy.language import Language
from spacy.symbols import ORTH

from transforms.common.data_files import data_lines

NAME = "newline_sentences"
REPAIR = "finite_conjuncts"
_FINITE = frozenset({"VBD", "VBZ", "VBP", "MD"})
_SUBJECTS = frozenset({"nsubj", "nsubjpass", "csubj", "expl"})
_PROPER = frozenset({"NNP", "NNPS"})
DATA = "transforms.extract.data"
TITLES_FILE = "title_abbreviations.v1.tsv"


def title_abbreviations() -> Dict[str, str]:
    """Abbreviated titles, singular and plural, and the role noun each stands for ("sen." and "sens." ->
    "senator"), read from the packaged file."""
    pairs = [line.split("\t") for line in data_lines(DATA, TITLES_FILE) if line.strip() and not line.startswith("#")]
    titles = {}
    for abbreviation, noun in pairs:
        abbreviation, noun = abbreviation.strip().lower(), noun.strip().lower()
        titles[abbreviation] = noun
        titles[abbreviation[:-1] + "s."] = noun   # the plural before several names: "Sens."
    return titles


def add_title_tokens(nlp, titles: Dict[str, str]) -> None:
    """Make every abbreviated title in ``titles``, as written before a name ("Lt.", "Sens."), one token of ``nlp``
    (not in capitals: "SEC." is the commission at a sentence's end)."""
    for title in titles:
        nlp.tokenizer.add_special_case(title.capitalize(), [{ORTH: title.capitalize()}])


class NewlineSentences:
    """The component before the parser; holds the titles, read once when the model is loaded."""

    def __init__(self, titles: Dict[str, str]):
        self.titles = frozenset(titles)

    def __call__(self, doc):
        for token in doc[:-1]:
            following = doc[token.i + 1]
            if "\n" in token.text_with_ws and not token.is_space:
                following.is_sent_start = True
            elif token.is_space and "\n" in token.text:
                following.is_sent_start = True
            elif token.lower_ in self.titles and following.tag_ in _PROPER:
                following.is_sent_start = False   # "Sens. Tom Carper": the title's name
                before = doc[token.i - 1] if token.i else None
                if before is not None and before.tag_ in _PROPER and "\n" not in before.text_with_ws:
                    token.is_sent_start = False   # "Minnesota Gov. Mark Dayton": the governor's state
        return doc


@Language.factory(NAME)
def newline_sentences(nlp, name):
    """Sentence starts at line breaks and around abbreviated titles; the titles' tokens are added to ``nlp``."""
    titles = title_abbreviations()
    add_title_tokens(nlp, titles)
    return NewlineSentences(titles)


def _non_finite(verb) -> bool:
    """An infinitive with "to" or a participle with no auxiliary and no subject, below another clause."""
    if verb.dep_ == "ROOT" or verb.head.i == verb.i:
        return False
    children = list(verb.children)
    if verb.tag_ == "VB":
        return any(c.dep_ == "aux" and c.lower_ == "to" for c in children)
    return verb.tag_ == "VBG" and not any(c.dep_ in ("aux", "auxpass") or c.dep_ in _SUBJECTS for c in children)


def _clause_above(verb):
    """The nearest verb above ``verb`` that has a subject or is finite (None when there is none)."""
    current = verb.head
    for _ in range(8):
        if current.tag_[:2] in ("VB", "MD") and (current.tag_ in _FINITE or any(
                c.dep_ in _SUBJECTS or c.dep_ == "aux" and c.lower_ != "to" for c in current.children)):
            return current
        if current.head.i == current.i:
            return None
        current = current.head
    return None


@Language.component(REPAIR)
def finite_conjuncts(doc):
    for token in doc:
        if token.dep_ != "conj" or token.tag_ not in ("VBD", "VBZ") or any(c.dep_ in _SUBJECTS for c in token.children):
            continue
        head = token.head
        if not _non_finite(head):
            continue
        above = _clause_above(head)
        if above is None:
            continue
        for word in head.children:   # the "and" moves with its conjunct
            if word.dep_ == "cc" and head.i < word.i < token.i:
                word.head = above
        token.head = above
    return doc
