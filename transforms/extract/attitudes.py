"""Stances read from the parse: attitude words, their holder and target, and the scope that cancels them (no Beam).

An attitude word (``attitude_predicates.v2.tsv``: "endorsed", "criticized", "called for", "opposition to",
"critical of", "vowed to") states its holder's support or opposition; the parse gives the holder (the subject,
the agent of a passive, the possessor of a noun, the subject a clause inherits) and the target (the object, or
the object of the word's preposition, cut to its smallest noun phrase; or the act of an infinitive). What
whoever says the words holds (evaluations, obligations) is read in ``transforms.extract.evaluations`` with the
parse helpers and the scope rules of this module.

The same scope rules hold for all:

- negation ("did not endorse", "never backed", "no longer supports", "used to support", "has yet to endorse",
  "refused to endorse") cancels the stance,
  and so do avoidance ("avoided direct criticism of", "stopped short of endorsing") and a lowered degree ("less
  confident in");
- a question, a condition ("if", "unless", "whether") or a mere possibility ("could", "might", "may") cancels it;
- a reported denial ("denied that he supports") cancels it;
- a stance inside someone else's claim ("Trump said Clinton wants to abolish it", or a third party named
  inside a quote) belongs to no one: the person it is attributed to did not say it here;
- "I" and "we" inside a quote are the quote's speaker.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, Iterable, List, Optional, Tuple

from transforms.common.data_files import data_lines
from transforms.extract.entities import person_names_in
from transforms.extract.modality import CONDITIONAL_MARKS, DENYING, permitted, undone
from transforms.extract.phrasal import particle_of
from transforms.extract.tokens import tokens_with

DATA = "transforms.extract.data"
PREDICATES_FILE = "attitude_predicates.v2.tsv"

NEGATIONS = frozenset({"not", "n't", "never", "no", "neither", "nor", "hardly", "barely"})
POSSIBILITY = frozenset({"could", "might", "may"})
DENIALS = DENYING | {"reject"}   # "denied that he supports", "rejected the notion that"
#: Verbs whose clause is a wish or a guess about a stance, not one held.
SPECULATIVE = frozenset({"hope", "wish", "expect", "predict", "anticipate", "assume", "speculate", "wonder", "doubt",
                         "bet", "guess", "imagine", "suspect"})
#: Verbs that withhold the act of their clause: "refused to endorse", "declined to back", "failed to condemn".
WITHHOLDING = frozenset({"refuse", "decline", "fail", "hesitate", "stop", "cease", "quit"})
#: Verbs of avoiding (VerbNet 3.3 avoid-52, with "refrain" and "resist"): what they take is not done, "avoided
#: direct criticism of the group", "refrained from endorsing", "sidestepped questions about".
AVOIDING = frozenset({"avoid", "dodge", "duck", "elude", "escape", "evade", "eschew", "shun", "sidestep", "refrain",
                      "resist"})
#: Verbs whose clause is someone's claim: a stance inside it is the claimant's only if the claimant holds it.
CLAIM_VERBS = frozenset({"say", "tell", "claim", "allege", "suggest", "believe", "think", "argue", "insist", "add",
                         "write", "tweet", "report", "state", "note", "assert", "contend", "charge", "accuse",
                         "predict", "warn", "hope", "fear", "expect", "know", "hear", "feel", "worry", "stress",
                         "emphasize", "emphasise", "maintain", "demand", "declare", "explain", "remark"})
#: Copulas an evaluation hangs on: "X is a disaster", "X seems wrong", "X remains essential".
COPULAS = frozenset({"be", "seem", "look", "remain", "become", "sound", "appear"})
_CONTRACTED_BE = frozenset({"'m", "'s", "'re", "’m", "’s", "’re"})


def is_copula(token) -> bool:
    """A form of "be" (the model leaves "’m" and "’re" with typographic apostrophes unlemmatised) or a
    verb like it."""
    return token.lemma_ in COPULAS or (token.pos_ in ("AUX", "VERB") and token.lower_ in _CONTRACTED_BE)


#: Verbs that name their object by an evaluation: "called the plan a disaster", "described it as wrong".
NAMING_VERBS = frozenset({"call", "label", "brand", "describe", "deem", "consider", "see", "view", "regard",
                          "characterize", "characterise", "term", "dub"})
#: Verbs whose object is an attitude someone else holds: "drew the support of", "won the backing of".
RECEIVING = frozenset({"win", "receive", "get", "earn", "gain", "draw", "secure", "land", "attract", "seek", "want",
                       "court", "lose", "need", "have", "enjoy", "welcome", "capture", "garner", "collect", "amass",
                       "face", "lack"})
#: Of those, the ones whose subject wants or lacks the attitude, which its holder therefore does not hold:
#: "sought the support of", "lost the backing of", "lacks the endorsement of".
NOT_HELD = frozenset({"seek", "want", "court", "need", "lose", "lack"})
#: Verbs that take back or keep back the attitude they govern: "withdrew his support for", "withheld praise".
RETRACTING = frozenset({"withdraw", "withhold", "rescind", "revoke", "retract"})
#: Attitude nouns whose "of" or "from" after a receiving verb names who holds them: "won the support of voters",
#: "welcomed support from the Tea Party", "drew criticism from".
SUPPORT_RECEIVED = frozenset({"support", "backing", "endorsement", "praise"})
RECEIVED = SUPPORT_RECEIVED | {"criticism", "condemnation", "opposition"}
#: Words that make received attitudes a tally: "the most endorsements from", "more support from".
TALLY = frozenset({"most", "more", "fewer", "few", "least", "less"})
#: Adjectives that hedge the clause they take when negated ("not sure she can vote for"), or always.
HEDGES = frozenset({"sure", "certain", "convinced"})
UNSURE = frozenset({"unsure", "uncertain", "unconvinced", "undecided"})
FIRST_PERSON = frozenset({"i", "we", "me", "us", "my", "our"})
PLACEHOLDERS = frozenset({"it", "this", "that", "these", "those", "they", "them", "what", "which", "something",
                          "anything", "everything", "nothing", "one", "thing", "things", "who", "whom", "whose",
                          "some", "both", "all", "many", "most", "none", "each", "either", "neither", "few",
                          "several", "any", "another", "others"})
_NP_LEFT = frozenset({"det", "poss", "amod", "compound", "nummod", "nmod", "quantmod", "case", "advmod", "npadvmod"})


@dataclass(frozen=True)
class Predicate:
    lemma: str
    pos: str          # VERB | NOUN | ADJ
    target: str       # obj | prep:WORD
    polarity: str     # support | oppose


#: How a verb of naming is held: by its subject (the agent of a passive).
NAMING = Predicate("call", "VERB", "obj", "support")


@dataclass(frozen=True)
class Attitude:
    """One stance the parse shows: who (a token), about what (a span of tokens), which way, and the words."""
    holder: Optional[object]       # the token that names the holder; None: whoever says the words (an evaluation)
    target: Tuple[int, int]        # token range of the target's noun phrase
    polarity: str
    cue: str
    anchor: int                    # the cue's token index
    kind: str = "attitude"   # attitude | act | evaluation | attribution | clause_evaluation | obligation | label


def load_predicates() -> Dict[Tuple[str, str], List[Predicate]]:
    predicates: Dict[Tuple[str, str], List[Predicate]] = {}
    for line in data_lines(DATA, PREDICATES_FILE):
        if not line.strip() or line.startswith("#"):
            continue
        lemma, pos, target, polarity = line.split("\t")[:4]
        if polarity not in ("support", "oppose") or pos not in ("VERB", "NOUN", "ADJ"):
            raise ValueError(f"{PREDICATES_FILE}: bad line {line!r}")
        predicates.setdefault((lemma, pos), []).append(Predicate(lemma, pos, target, polarity))
    return predicates


# --- the parse ----------------------------------------------------------------------------------------------

def dependents(token, *deps):
    """The children of ``token`` with one of the dependency labels ``deps``."""
    return [c for c in token.children if c.dep_ in deps]


def noun_phrase(token, *, clauses: bool = True) -> Tuple[int, int]:
    """The smallest noun phrase headed by ``token``: its determiners, possessors, adjectives and compounds,
    and an "of" phrase ("the repeal of the law"), without relative clauses, appositions or conjuncts; with
    ``clauses``, its infinitive or participle ("his refusal to accept"; not for a holder, "the most labor
    unions backing him", whose participle is the stance itself)."""
    left, right = token.i, token.i

    def extend(head):
        nonlocal left, right
        for child in head.children:
            if child.dep_ in _NP_LEFT and child.i < head.i:
                left = min(left, child.left_edge.i if child.dep_ in ("poss", "compound", "nmod") else child.i)
                if child.dep_ == "amod":
                    left = min(left, child.left_edge.i)
            elif child.dep_ == "prep" and child.lower_ == "of" and child.i > head.i:
                objects = dependents(child, "pobj")
                if objects:
                    right = max(right, objects[0].i)
                    extend(objects[0])
            elif child.dep_ in ("compound", "amod", "nummod") and child.i > head.i:
                right = max(right, child.i)
            elif (child.dep_ == "prep" and child.lower_ in ("to", "on", "for", "against") and child.i > head.i
                  and head.pos_ == "NOUN"):
                objects = [o for o in dependents(child, "pobj") if o.pos_ in ("NOUN", "PROPN")
                           and o.ent_type_ not in ("DATE", "TIME")]
                if objects:   # "a path to citizenship", "a ban on Muslims", "a tax on carbon"
                    right = max(right, noun_phrase(objects[0])[1] - 1)
            elif (clauses and child.dep_ == "acl" and child.i > head.i and head.i == token.i and head.pos_ == "NOUN"
                  and (child.tag_ == "VBG" or any(a.lower_ == "to" for a in dependents(child, "aux")))):
                # "his refusal to accept the status quo", "people trying to bring attention to AIDS"
                right = max(right, act_span(child)[1] - 1)
            elif (clauses and child.i > head.i and head.i == token.i and head.lemma_.lower() in PROPOSITIONS
                  and child == _content_clause(head)):
                # "dismisses accusations that Trump has exploited racial tensions": what the proposition holds
                right = max(right, act_span(child)[1] - 1)
            elif (clauses and child.dep_ == "relcl" and child.i > head.i and head.i == token.i and head.pos_ == "NOUN"
                  and not any(c.dep_ in ("det", "poss", "amod", "compound", "nummod", "prep") for c in head.children)):
                # "supported legislation that would target the power of accreditation bodies": a bare noun says
                # what it is by its clause
                right = max(right, act_span(child)[1] - 1)
    extend(token)
    doc = token.doc
    while right > left and doc[right].is_punct:
        right -= 1
    while left < right and doc[left].is_punct:
        left += 1
    return left, right + 1


#: Dependents that end an act's words: a further clause, a conjunct, an aside.
_ACT_STOP = frozenset({"advcl", "conj", "cc", "punct", "parataxis", "mark", "relcl", "appos", "npadvmod", "dep"})
#: How many words an act or a clause target keeps.
MAX_ACT_WORDS = 16


#: Acts of going, meeting and taking part: what someone plans or wants to do, not a position ("wanted to attend
#: the convention", "plans to visit Iowa").
MUNDANE_ACTS = frozenset({"attend", "visit", "travel", "meet", "go", "come", "return", "leave", "stay", "sit", "watch",
                          "hear", "speak", "talk", "see", "reach", "join", "appear", "spend", "be"})


def act_span(verb, *, with_subject: bool = False) -> Tuple[int, int]:
    """The words of an act: the verb with its objects, particles and phrases ("end that war", "have our teams
    start negotiations"), without a further clause or conjunct; from its subject on with ``with_subject``."""
    kept = [c for c in verb.children if c.dep_ not in _ACT_STOP and c.i > verb.i]
    end = max([c.right_edge.i for c in kept] + [verb.i]) + 1
    start = verb.i
    if with_subject:
        subjects = dependents(verb, "nsubj", "nsubjpass", "csubj")
        if subjects:
            start = subjects[0].left_edge.i
    else:
        # "getting rid of the department": a passive auxiliary is a word of the act
        start = min([c.i for c in verb.children if c.dep_ in ("neg", "prt", "auxpass") and c.i < verb.i] + [verb.i])
    doc = verb.doc
    end = min(end, start + MAX_ACT_WORDS)
    while end > start + 1 and (doc[end - 1].is_punct or doc[end - 1].dep_ in ("cc", "mark")):
        end -= 1
    return start, end


def _clause_target(token) -> Tuple[int, int]:
    """A gerund or clause target ("called for repealing the law"): the verb and its object."""
    objects = dependents(token, "dobj", "attr", "pobj")
    end = noun_phrase(objects[0])[1] if objects else token.i + 1
    if token.pos_ in ("VERB", "AUX"):   # "called for getting rid of the department": the act's words
        start, act_end = act_span(token)
        return start, max(end, act_end)
    return token.i, end


def targets_of(token, predicate: Predicate) -> List[Tuple[int, int]]:
    """Where the predicate's target is, and its conjuncts ("criticized the bill and the budget")."""
    heads = []
    if predicate.target == "compound":   # "an Obama supporter": a name before the noun; not a place ("his New
        heads = [c for c in dependents(token, "compound") if c.pos_ == "PROPN" and c.i < token.i   # Jersey critics")
                 and c.ent_type_ not in ("GPE", "LOC", "NORP")]
        return [(head.i, head.i + 1) for head in heads[-1:]]
    if predicate.target == "xcomp":      # "vowed to repeal the law": the act
        return [act_span(verb) for verb in dependents(token, "xcomp") if verb.pos_ in ("VERB", "AUX")
                and verb.lemma_.lower() not in MUNDANE_ACTS
                and any(c.lower_ == "to" for c in dependents(verb, "aux"))][:1]
    if predicate.target == "obj":
        if token.pos_ == "VERB" and dependents(token, "auxpass"):
            heads = dependents(token, "nsubjpass")
            if heads and heads[0].lower_ in RELATIVES and token.dep_ == "relcl":
                heads = [_who(token.head)]   # "Wasserman Schultz, who is reviled by progressives"
        else:
            heads = dependents(token, "dobj") or _shared_object(token)
    else:
        word = predicate.target.split(":", 1)[1]
        preps = [c for c in token.children if c.dep_ in ("prep", "agent", "dative") and c.lower_ == word]
        if token.pos_ == "VERB":   # "called a rough week for Trump": a naming's phrase, no "call for"
            preps = [p for p in preps if not any(c.i < p.i for c in dependents(token, "oprd"))]
        for particle in dependents(token, "prt", "advmod"):   # "lash out at", "speak out against"
            preps += [c for c in particle.children if c.dep_ == "prep" and c.lower_ == word]
        for prep in preps:
            heads += dependents(prep, "pobj")
            for clause in dependents(prep, "pcomp"):
                return [_clause_target(clause)]
            infinitives = [c for c in dependents(token, "advcl") if not dependents(c, "nsubj", "nsubjpass")
                           and any(a.lower_ == "to" for a in dependents(c, "aux"))]
            objects = dependents(prep, "pobj")
            if objects and infinitives and infinitives[0].i > objects[0].i and (
                    objects[0].pos_ in ("PROPN", "PRON") or objects[0].ent_type_ in ("PERSON", "ORG", "GPE", "NORP")):
                # "called for Fahie and Maynard to be afforded due process": the act asked for, not its beneficiary
                return [(objects[0].left_edge.i, act_span(infinitives[0])[1])]
        if word == "for":
            for clause in dependents(token, "advcl", "ccomp"):
                if any(m.dep_ == "mark" and m.lower_ == "for" for m in clause.children) and dependents(
                        clause, "nsubj", "nsubjpass"):
                    return [act_span(clause, with_subject=True)]   # "called for the president to resign", "for
                    # Clinton to be prosecuted"
    found = []
    for head in heads:
        if not nameable(head):
            continue
        found.append(noun_phrase(head))
        found += [noun_phrase(c) for c in head.conjuncts if c.i > head.i and nameable(c)]
    return found


def _shared_object(verb) -> list:
    """The object a verb shares with the verb conjoined after it: "Sanders endorsed and has fundraised for
    Canova", "criticized and mocked the plan" (only for a verb with no object or clause of its own)."""
    if verb.pos_ != "VERB" or dependents(verb, "ccomp", "xcomp", "prep", "dative"):
        return []
    for other in dependents(verb, "conj"):
        if other.pos_ != "VERB" or dependents(other, "nsubj"):
            continue   # "Trump spoke and Clinton answered questions": another subject, another act
        objects = dependents(other, "dobj") or [p for prep in dependents(other, "prep") for p in dependents(prep, "pobj")]
        if objects:
            return objects[:1]
    return []


#: Heads that name a proposition, not a thing one can be for or against ("rejected the notion that ...").
PROPOSITIONS = frozenset({"notion", "idea", "claim", "suggestion", "accusation", "allegation", "report", "assertion",
                          "characterization", "premise", "question", "fact", "possibility", "argument", "rumor",
                          "speculation", "impression", "perception", "view", "thing", "way", "one", "lot", "part"})


def nameable(head) -> bool:
    """A target head that names something: a noun or name (or a pronoun the caller may resolve), not a
    number, an adjective, a quantity ("some of them"), a relative ("whose dynamism") or a proposition alone; a
    proposition with its content ("dismisses accusations that Trump has exploited racial tensions") names it."""
    if head.pos_ not in ("NOUN", "PROPN", "PRON") or head.like_num or head.lower_ in PLACEHOLDERS - {"it", "them"}:
        return False
    if any(c.dep_ == "poss" and c.lower_ in RELATIVES for c in head.children):
        return False
    return head.lemma_.lower() not in PROPOSITIONS or _content_clause(head) is not None


def _content_clause(noun):
    """The "that" clause saying what a noun of a proposition holds ("the perception that Trump is racist")."""
    return next((c for c in noun.children if c.dep_ in ("acl", "ccomp") and any(
        m.dep_ == "mark" and m.lower_ == "that" for m in c.children)), None)


RELATIVES = frozenset({"who", "that", "which", "whom", "whose"})


def _named(token):
    """A noun with the name it is in apposition to or said of: "the co-founder" in "Robert Mercer, the
    co-founder", "a Virginia resident" in "Raynard Jackson is a Virginia resident who ..."."""
    if token.dep_ == "appos" and token.head.pos_ == "PROPN":
        return token.head
    if token.dep_ == "attr" and is_copula(token.head):
        subjects = [c for c in token.head.children if c.dep_ == "nsubj" and c.pos_ == "PROPN"]
        if subjects:
            return subjects[0]
    return token


def _who(noun):
    """The person "who" stands for: the noun it follows, or, when that noun names no person ("the president of
    the Foundation for Middle East Peace, who"), the person the phrase describes."""
    word = noun
    for _ in range(6):
        if word.ent_type_ == "PERSON" or word.ent_type_ in ("", "NORP") and word.pos_ in ("NOUN", "PRON"):
            return _named(word)
        if word.dep_ in ("pobj", "prep", "appos", "compound") and word.head.i != word.i:
            word = word.head
            continue
        break
    return _named(noun)


def _subject(token) -> Optional[object]:
    """The subject of a verb, or the one it inherits: a conjoined, infinitive or participle verb's head's,
    a relative clause's noun."""
    for _ in range(5):
        subjects = dependents(token, "nsubj")
        if subjects:
            subject = subjects[0]
            if subject.lower_ not in RELATIVES:
                return subject
            while token.dep_ == "conj" and token.head.i != token.i:
                token = token.head
            if token.dep_ != "relcl":
                return None
            return _who(token.head) if subject.lower_ == "who" else _named(token.head)
        if token.dep_ == "relcl":
            return _named(token.head)
        if token.dep_ == "xcomp" and any(c.dep_ == "dobj" and c.i < token.i for c in token.head.children):
            return None   # "can ask them to support another candidate": a request, not their stance yet
        if token.dep_ in ("conj", "xcomp", "advcl", "acl") and token.head.i != token.i:
            if token.dep_ == "acl" and token.head.pos_ in ("NOUN", "PROPN"):
                return token.head
            token = token.head
            continue
        return None
    return None


def holder_of(token, predicate: Predicate):
    """The token naming who holds the attitude."""
    if predicate.pos == "VERB":
        if dependents(token, "auxpass"):
            agents = [p for a in dependents(token, "agent") for p in dependents(a, "pobj")]
            if not agents and predicate.target == "obj":   # "Mr. Sanders is revered among Democratic activists"
                agents = [p for a in dependents(token, "prep") if a.lower_ == "among" for p in dependents(a, "pobj")]
            if agents:
                return agents[0]
            if predicate.target != "obj":     # "is opposed to the deal": the subject holds it
                passive = dependents(token, "nsubjpass")
                return passive[0] if passive else None
            return None
        return _subject(token)
    if predicate.pos == "NOUN":
        while token.dep_ == "conj" and token.head.pos_ in ("NOUN", "ADJ") and token.head.i != token.i and not (
                dependents(token, "poss")):   # "Barney Frank, a former congressman and fierce critic of"
            token = token.head
        owners = [o for o in dependents(token, "poss") if o.lower_ not in RELATIVES]
        if owners and predicate.target != "compound":   # "his critics" are not his: a critic's possessor is
            return owners[0]                            # whom they criticise
        if token.dep_ == "appos":         # "Barney Frank, a fierce critic of Mr. Sanders"; "Naureen Jahangir, a
            return token.head             # Sanders supporter from Hemet": where one is from holds nothing
        if token.dep_ in ("attr", "acomp") and is_copula(token.head):   # "who has been a critic of Trump"
            return _subject(token.head)
        for prep in dependents(token, "prep"):
            if prep.lower_ in ("by", "from"):
                objects = dependents(prep, "pobj")
                if objects:
                    return objects[0]
        if token.dep_ == "dobj" and token.head.pos_ == "VERB" and token.head.lemma_ not in RECEIVING:
            return _subject(token.head)   # "expressed support for", "voiced criticism of"
        if token.dep_ == "pobj" and token.head.lower_ == "with" and token.head.head.pos_ == "VERB":
            return _subject(token.head.head)   # "friends speak with admiration of Mr. Bush"
        return None
    # ADJ: "X is critical of Y"
    head = token.head
    if token.dep_ in ("acomp", "attr", "oprd") and is_copula(head):
        return _subject(head)
    return None


def cancelled(token, *, own_negation: bool = True) -> bool:
    """Negation, a question, a condition, a possibility or a denial over the cue ``token`` (without its own
    "not" when ``own_negation`` is False: "must not" is a stance of its own, "is not a racist" an evaluation)."""
    sentence = token.sent
    if sentence.text.rstrip().rstrip("\"”’'").endswith("?"):
        return True
    if any(t.lower_ == "if" for t in sentence) and any(t.lower_ in ("would", "'d", "’d")
                                                       and t.head.i in (token.i, token.head.i) for t in sentence):
        return True   # "the media would call him a chicken if he did not go"
    word = token
    # without its own negation: the cue's, and for a predicate the copula's ("is not a racist")
    own = {token.i} | ({token.head.i} if token.dep_ in ("acomp", "attr") and is_copula(token.head) else set())
    for _ in range(6):
        for child in word.children:
            if (child.dep_ == "neg" or child.lower_ in NEGATIONS and child.dep_ in ("advmod", "det", "neg")) \
                    and (own_negation or word.i not in own):
                return True
            if child.dep_ == "advmod" and child.lower_ == "longer":
                return True
            if child.dep_ == "advmod" and child.lower_ in ("less", "least") and word.i == token.i:
                return True   # "less confident in Clinton": a degree lowered, neither way a stance
            if child.dep_ == "aux" and child.lower_ in POSSIBILITY:
                return True
            if child.dep_ == "mark" and child.lower_ in CONDITIONAL_MARKS:
                return True
        if word.dep_ in ("advcl", "ccomp") and any(c.dep_ == "mark" and c.lower_ in CONDITIONAL_MARKS for c in word.children):
            return True
        if word.head.i == word.i:
            break
        if word.dep_ in ("ccomp", "xcomp", "pcomp", "dobj") and word.head.lemma_ in DENIALS and word.head.i != token.i:
            return True   # "denied that he supports", "denied calling her corrupt"
        if word.dep_ == "ccomp" and word.head.lemma_ in CLAIM_VERBS and dependents(word.head, "neg"):
            return True   # "I don't think the deal is good", "did not say that he supports"
        if word.dep_ in ("acl", "ccomp") and word.head.pos_ == "NOUN" and (
                word.head.lemma_.lower() in PROPOSITIONS or any(c.dep_ == "mark" and c.lower_ == "that"
                                                                 for c in word.children)):
            return True   # "rejected the notion that ...", "the whisper campaign that X will be damaging": a content
        if word.dep_ == "ccomp" and (word.head.lower_ in UNSURE or word.head.lower_ in HEDGES and any(
                c.dep_ == "neg" for t in (word.head, word.head.head) for c in t.children)):
            return True   # "is not sure she can vote for Clinton": a hedge
        if word.dep_ == "ccomp" and word.head.lemma_ in SPECULATIVE and not _about_oneself(word):
            return True   # "hopes the party will endorse him": a wish, not a stance
        if word.dep_ == "xcomp" and word.head.lemma_ in WITHHOLDING:
            return True
        if permitted(word):
            return True   # "allow traditional Republicans to support Trump": made possible, not done
        if word.dep_ == "dobj" and word.head.lemma_ in RETRACTING:
            return True   # "withdrew his support for Trump": no longer held
        if undone(word):
            return True   # "has yet to endorse": not done; "used to support": no longer
        if word.dep_ == "xcomp" and word.head.lemma_ in SPECULATIVE and dependents(word.head, "auxpass"):
            return True   # "Opposition MPs are expected to support moves": a guess, not a stance
        if word.dep_ in ("dobj", "xcomp", "pcomp", "prep") and word.head.lemma_ in AVOIDING:
            return True   # "avoided direct criticism of", "refrained from endorsing"
        if word.dep_ == "prep" and word.lower_ == "of" and word.head.lower_ == "short":
            return True   # "stopped short of endorsing"
        if word.dep_ in ("advcl", "ccomp", "pcomp", "xcomp") and any(c.dep_ == "mark" and c.lower_ == "for"
                                                                   for c in word.children):
            return True   # "lobbied for the Americans to support Ukraine's membership": a wish for others
        purpose = word.dep_ == "advcl" and any(c.dep_ == "aux" and c.lower_ == "to" for c in word.children)
        if word.dep_ not in ("xcomp", "conj", "aux", "acomp", "dobj", "pobj", "prep", "amod", "attr", "pcomp") \
                and not purpose:
            break   # a purpose ("if they came together to back a compromise") shares its clause's scope
        word = word.head
    return False


def _about_oneself(clause) -> bool:
    """"He suspects he'll campaign for Canova": a guess about one's own act is an intention."""
    inner, outer = dependents(clause, "nsubj"), dependents(clause.head, "nsubj")
    return bool(inner and outer and inner[0].lower_ == outer[0].lower_ and inner[0].lower_ in ("i", "we", "he", "she"))


def claimant(token):
    """The subject of the claim verb whose clause holds ``token`` ("Trump said [Clinton wants ...]"), or None."""
    word = token
    for _ in range(8):
        if word.head.i == word.i:
            return None
        if word.dep_ in ("ccomp", "parataxis") and word.head.lemma_ in CLAIM_VERBS and word.head.pos_ == "VERB":
            verb = word.head
            told = [c for c in verb.head.children if c.dep_ == "dobj" and c.i < verb.i] if verb.dep_ == "xcomp" else []
            if told and not dependents(verb, "nsubj"):
                return told[0]   # "the timing led Republicans to say that ...": the Republicans say it
            return _subject(verb) if _has_subject(verb) else _participle_speaker(verb)
        word = word.head
    return None


def _has_subject(verb) -> bool:
    """A claim verb with a subject of its own, or a participle that describes a person or group noun."""
    if dependents(verb, "nsubj") or verb.tag_ != "VBG" or verb.dep_ not in ("acl", "advcl"):
        return True
    subject = _subject(verb)
    return subject is not None and (subject.pos_ in ("PROPN", "PRON") or subject.ent_type_ != "")


def _participle_speaker(verb):
    """"Hegseth, meanwhile, tempered expectations, telling NATO counterparts that ...", parsed with the
    participle on a noun: the last person named before the verb, else what the parse gives."""
    people = person_names_in(verb.doc[verb.sent.start:verb.i])
    return people[-1] if people else _subject(verb)


#: Dependencies only a noun takes: an adjective there is a noun the tagger missed.
NOUN_PLACES = frozenset({"appos", "nsubj", "nsubjpass", "dobj", "pobj"})


def attitude_words(doc, predicates: Dict[Tuple[str, str], List[Predicate]]) -> Iterable[Tuple[object, Predicate]]:
    """Every token that is an attitude word, with its entry."""
    parts_of_speech = ({pos for _lemma, pos in predicates} | {"VERB"}) - {"PROPN"}
    for token in tokens_with(doc, pos=parts_of_speech):
        entries = predicates.get((token.lemma_.lower(), token.pos_), ())
        if not entries and token.pos_ == "ADJ" and token.dep_ in NOUN_PLACES:
            entries = predicates.get((token.lemma_.lower(), "NOUN"), ())   # "a top Clinton surrogate" tagged ADJ
        particles = {c.lower_ for c in dependents(token, "prt")} if entries else set()
        phrasal = particle_of(token) if entries else None
        for predicate in entries:
            if (particles - {"up"} or phrasal not in (None, "up")) and predicate.target == "obj":
                continue   # "blasted out an email", "backed down", "backed off her support" (WordNet's phrasal
                # verbs): another verb; "backed up" is still "backed", "lashed out at" still "lashed at"
            yield token, predicate
        if token.pos_ == "VERB" and token.tag_ == "VBN" and (token.lower_, "ADJ") in predicates \
                and dependents(token, "auxpass"):
            # "is opposed to", "is critical of" parsed as a passive: the adjective's entries
            for predicate in predicates.get((token.lower_, "ADJ"), ()):
                yield token, predicate


def find_attitudes(doc, predicates) -> List[Attitude]:
    """The attitude words of ``doc`` with a holder and a target, not cancelled by their scope."""
    found = []
    for token, predicate in attitude_words(doc, predicates):
        if predicate.target == "xcomp" and any(predicates.get((verb.lemma_.lower(), "VERB"))
                                               for verb in dependents(token, "xcomp")):
            continue   # "plans to advocate for X": the attitude word says it, with its target
        received = _received(token, predicate)
        targets = targets_of(token, predicate)
        if received is not None and received[0] is not None:
            # "faced opposition from homeowners to his plan": the noun's own target, else the subject ("won the
            # support of voters": the "of" names the holder, not the target)
            held = range(received[0].left_edge.i, received[0].right_edge.i + 1)   # the holder and its conjuncts
            targets = [t for t in targets if t[0] not in held] or received[1]
        if not targets or cancelled(token) or _accompanying(token, predicate):
            continue
        holder = holder_of(token, predicate) if received is None else received[0]
        if holder is None:
            continue
        kind = "act" if predicate.target == "xcomp" else "attitude"
        for target in targets:
            cue = _cue(token, predicate) if received is None else f"{token.text} {holder.head.lower_}"
            found.append(Attitude(holder, target, predicate.polarity, cue, token.i, kind))
    return found


def _accompanying(token, predicate: Predicate) -> bool:
    """"(signed a petition) with the backing of former ministers": the "of" holds the support, toward something
    the sentence leaves to its reader."""
    return (predicate.target == "prep:of" and token.lemma_.lower() in SUPPORT_RECEIVED and token.dep_ == "pobj"
            and token.head.lower_ in ("with", "without"))


def _received(token, predicate: Predicate):
    """``(holder, [target])`` for an attitude noun someone receives ("won the support of voters", "drew criticism
    from Trump": they hold it, toward the subject), else None; ``(None, [])`` for one the subject seeks or lacks
    ("sought the support of voters": they do not hold it)."""
    if (predicate.pos != "NOUN" or not predicate.target.startswith("prep:") or token.lemma_.lower() not in RECEIVED
            or token.dep_ != "dobj" or token.head.lemma_ not in RECEIVING):
        return None
    if token.head.lemma_ in NOT_HELD or any(c.i < token.i and (c.dep_ == "nummod" or c.dep_ in ("amod", "advmod")
                                                               and c.lower_ in TALLY) for c in token.children):
        return None, []   # "just one endorsement from those groups", "the most endorsements from": a tally
    subject = _subject(token.head)
    holders = [p for prep in dependents(token, "prep") if prep.lower_ in ("of", "from")
               for p in dependents(prep, "pobj")]
    if subject is None or not holders or not nameable(subject):
        return None
    return holders[0], [noun_phrase(subject)]


def _cue(token, predicate: Predicate) -> str:
    if predicate.target.startswith("prep:"):
        return f"{token.text} {predicate.target.split(':', 1)[1]}"
    if predicate.target == "xcomp":
        return f"{token.text} to"
    return token.text
