"""Sentence starts and titles, set before the parser (no Beam).

- Article text keeps one paragraph, heading or quote per line; a sentence never spans two lines, so a heading
  is never glued to the paragraph under it.
- An abbreviated title ("Sen.", "Lt.", and its plural "Sens.") is one token, and the name after it never starts
  a sentence: "including Gov. Jack Markell and Sens. Tom Carper and Chris Coons" is one sentence. The titles
  are the packaged AP Stylebook list (``title_abbreviations.v1.tsv``); the model's own tokenizer knows only some
  of them ("Sen.", not "Lt." or "Sens.").
"""
from functools import lru_cache
from typing import Dict

from spacy.language import Language
from spacy.symbols import ORTH

from transforms.common.data_files import data_lines

NAME = "newline_sentences"
DATA = "transforms.extract.data"
TITLES_FILE = "title_abbreviations.v1.tsv"


@lru_cache(maxsize=1)
def title_abbreviations() -> Dict[str, str]:
    """Abbreviated titles, singular and plural, and the role noun each stands for ("sen." and "sens." ->
    "senator")."""
    pairs = [line.split("\t") for line in data_lines(DATA, TITLES_FILE) if line.strip() and not line.startswith("#")]
    titles = {}
    for abbreviation, noun in pairs:
        abbreviation, noun = abbreviation.strip().lower(), noun.strip().lower()
        titles[abbreviation] = noun
        titles[abbreviation[:-1] + "s."] = noun   # the plural before several names: "Sens."
    return titles


def add_title_tokens(nlp) -> None:
    """Make every abbreviated title, as written before a name ("Lt.", "Sens."), one token of ``nlp`` (not in
    capitals: "SEC." is the commission at a sentence's end)."""
    for title in title_abbreviations():
        nlp.tokenizer.add_special_case(title.capitalize(), [{ORTH: title.capitalize()}])


@Language.component(NAME)
def newline_sentences(doc):
    titles = title_abbreviations()
    for token in doc[:-1]:
        following = doc[token.i + 1]
        if "\n" in token.text_with_ws and not token.is_space:
            following.is_sent_start = True
        elif token.is_space and "\n" in token.text:
            following.is_sent_start = True
        elif token.lower_ in titles and following.tag_ in ("NNP", "NNPS"):
            following.is_sent_start = False   # "Sens. Tom Carper": the title's name
    return doc
