"""What a page is about, for the events table: sport, music, film, cooking, or public affairs (no Beam).

A feed carries every topic, and the verb dictionary reads a game as a clash between places ("the Bajans will
oppose Antigua and Barbuda"), a foul as an assault, a band's tour as state visits. A page reports no event
between actors when most of its words are of a leisure domain and it names no political actor:

- the domain words are WordNet 3.1's (``domain_words.v1.tsv``, written by ``make_domain_words.py``): words whose
  most frequent sense is in the domain ("inning", "midfielder", "sonata", "braise"), not words with another
  sense first ("serve", "pass", "season");
- a page is of a domain when at least :data:`MIN_WORDS` of its nouns and verbs, and :data:`MIN_SHARE` of them,
  are the domain's, and more of them than of public affairs (law, government, politics, the military);
- a political actor is one whose CAMEO code has a political type (:data:`POLITICAL_TYPES`): a government, a
  legislature, a court, an army, a party; "Trump says the NFL has gone soft" keeps its events.
"""
from __future__ import annotations

from collections import Counter
from typing import Dict, Iterable, Optional

from transforms.common.data_files import classified_rows, data_lines

DATA = "transforms.extract.data"
DOMAIN_FILE = "domain_words.v1.tsv"
LEISURE = frozenset({"sport", "music", "film", "cooking"})
PUBLIC_AFFAIRS = "politics"
#: The least number of a page's nouns and verbs of one leisure domain, and their least share of them.
MIN_WORDS = 6
MIN_SHARE = 0.04
#: CAMEO actor types of public affairs: government, legislature, judiciary, military, police, intelligence,
#: party, elites, opposition, rebels, intergovernmental organisations.
POLITICAL_TYPES = frozenset({"GOV", "LEG", "JUD", "MIL", "COP", "SPY", "PTY", "ELI", "OPP", "REB", "IGO"})


class DomainWords:
    """The domain of each word of ``domain_words.v1.tsv``."""

    def __init__(self, words: Dict[str, str]):
        self.words = dict(words)

    @classmethod
    def load(cls, lines: Optional[Iterable[str]] = None) -> "DomainWords":
        """The packaged table (or ``lines`` in its format).

        Raises:
            ValueError: a row that is not ``word<TAB>domain`` with a known domain.
        """
        words: Dict[str, str] = {}
        rows = data_lines(DATA, DOMAIN_FILE) if lines is None else lines
        for word, domain in classified_rows(rows, DOMAIN_FILE, LEISURE | {PUBLIC_AFFAIRS}):
            words.setdefault(word, domain)
        return cls(words)

    def leisure_domain(self, doc) -> Optional[str]:
        """The leisure domain (sport, music, film, cooking) that ``doc``'s nouns and verbs are mostly of, or None."""
        counts: Counter = Counter()
        total = 0
        for token in doc:
            if token.pos_ in ("NOUN", "VERB"):
                total += 1
                domain = self.words.get(token.lemma_.lower())
                if domain is not None:
                    counts[domain] += 1
        leisure = [(n, domain) for domain, n in counts.items() if domain in LEISURE]
        if not leisure:
            return None
        n, domain = max(leisure)
        if n >= MIN_WORDS and n >= MIN_SHARE * total and n > counts[PUBLIC_AFFAIRS]:
            return domain
        return None


def political(codes: Iterable[Optional[str]]) -> bool:
    """Some code is of a political actor: its type after the country ("USAGOV", "RUSMIL") or alone ("IGO...")."""
    for code in codes:
        if code and (code[3:6] in POLITICAL_TYPES or code[:3] in POLITICAL_TYPES):
            return True
    return False
