"""A spaCy component that starts a sentence at every line break (no Beam).

Article text keeps one paragraph, heading or quote per line; a sentence never spans two
lines, so a heading is never glued to the paragraph under it.
"""
from spacy.language import Language

NAME = "newline_sentences"


@Language.component(NAME)
def newline_sentences(doc):
    for token in doc[:-1]:
        if "\n" in token.text_with_ws and not token.is_space:
            doc[token.i + 1].is_sent_start = True
        elif token.is_space and "\n" in token.text:
            doc[token.i + 1].is_sent_start = True
    return doc
