"""Modality of an event trigger from the dependency parse (no Beam).

``hypothetical`` when the trigger's clause is under an "if", "unless" or "whether" (negated or not), is
a question ("asked how he would handle it") or a possibility ("the chance for Sanders to challenge her"),
``negated`` ("has not confirmed", "declined to"), ``hypothetical`` ("could", "may", also "would" with an
"if"), ``reported`` (the clause of "said"/"announced", "reportedly", "according to"; but "said it
would ..." is the speaker's own ``intended``), ``intended`` ("will meet", "would meet", "agreed to", "plans
to", "are expected to"), else ``asserted``; checked in that order.
"""
from __future__ import annotations

NEGATING_HEADS = frozenset({"decline", "refuse", "fail", "reject", "deny"})
MODALS = frozenset({"could", "might", "may", "should", "can", "must"})
# "would" is the future seen from the past ("said it would let the observers back in"), unless an
# "if" makes it a condition.
FUTURE = frozenset({"will", "shall", "'ll", "’ll", "would", "'d", "’d"})
CONDITIONAL_MARKS = frozenset({"if", "unless", "whether"})
REPORTING = frozenset({"say", "tell", "report", "announce", "claim", "state", "write", "tweet",
                       "suggest", "add", "note", "insist", "reveal", "indicate", "confirm"})
INTENDING = frozenset({"agree", "plan", "expect", "intend", "pledge", "promise", "aim", "seek",
                       "want", "prepare", "schedule", "hope", "vow", "set", "propose", "offer",
                       "threaten", "push", "try", "move"})
HEARSAY_NOUNS = frozenset({"speculation", "report", "claim", "rumor", "rumour", "suggestion",
                           "allegation", "indication"})
ASKING = frozenset({"ask", "wonder", "inquire", "enquire", "question", "query"})
#: Verbs whose clause is a forecast or a guess, not an act: "the columnist predicted that Trump would win".
PREDICTING = frozenset({"predict", "forecast", "foresee", "speculate", "guess", "bet", "doubt", "project"})
#: Verbs whose clause is denied: "Trump denied that he had met Putin".
DENYING = frozenset({"deny", "dispute", "refute"})
#: Verbs of permitting: what they let someone do is possible, not done ("contortions allow traditional Republicans
#: to support Trump", "straight-ticket voting, which allows a person to vote for all the candidates"); not "let",
#: whose "let us praise him" is the speaker's own proposal.
PERMITTING = frozenset({"allow", "permit", "enable"})


def permitted(clause) -> bool:
    """``clause`` is what a verb of permitting lets someone do: possible, not done."""
    return clause.dep_ in ("ccomp", "xcomp") and clause.head.lemma_ in PERMITTING


REPORT_ADVERBS = frozenset({"reportedly", "allegedly", "purportedly", "apparently"})
# Adjectives that put an event noun in the future ("an impending endorsement", "the planned visit").
PLANNED = frozenset({"impending", "planned", "upcoming", "expected", "proposed", "scheduled", "forthcoming",
                     "anticipated", "prospective", "intended", "coming"})
# Nouns whose infinitive is a possibility, not an act: "any realistic chance for Sanders to challenge her".
POSSIBILITY_NOUNS = frozenset({"chance", "opportunity", "possibility", "ability", "option", "prospect",
                               "likelihood", "odds", "capacity", "power"})


def _clause_chain(token, steps: int = 4):
    """The trigger and the verbs that govern it, nearest first."""
    chain = [token]
    current = token
    for _ in range(steps):
        if current.head.i == current.i:
            break
        current = current.head
        chain.append(current)
    return chain


def undone(verb) -> bool:
    """An infinitive its head says is not done yet or no longer: "has yet to endorse", "used to support"."""
    head = verb.head
    return verb.dep_ == "xcomp" and (head.lemma_ == "have" and any(c.lower_ == "yet" for c in head.children)
                                     or head.lower_ == "used" and head.tag_ == "VBD")


def modality_of(trigger) -> str:
    """The modality of the event carried by ``trigger`` (a spaCy token)."""
    chain = _clause_chain(trigger)
    # The verb whose clause the trigger is in (a noun trigger is governed by one).
    verb = next((t for t in chain if t.pos_ in ("VERB", "AUX")), trigger)
    verbs = [t for t in chain if t.pos_ in ("VERB", "AUX")][:3]
    near = verbs[:2] if verb.dep_ in ("xcomp", "conj") else verbs[:1]
    sentence = trigger.sent

    for link in chain:   # "if their candidate announced he would not back Trump": a condition first
        if link.dep_ in ("advcl", "ccomp") and any(c.dep_ == "mark" and c.lower_ in CONDITIONAL_MARKS
                                                   for c in link.children):
            return "hypothetical"
        if link.dep_ == "ccomp" and link.head.lemma_ in ASKING and any(
                c.tag_ in ("WRB", "WP", "WDT") for c in link.children):
            return "hypothetical"   # "asked how he would handle ISIS": a question, nothing done
        if link.dep_ == "acl" and link.head.lemma_.lower() in POSSIBILITY_NOUNS:
            return "hypothetical"   # "the chance for Sanders to challenge her"
        if link.dep_ == "ccomp" and link.head.lemma_ in PREDICTING:
            return "hypothetical"   # "the columnist predicted that Trump would beat Clinton"
        if permitted(link):
            return "hypothetical"   # "allow traditional Republicans to support Trump": made possible
        if link.dep_ in ("ccomp", "xcomp", "pcomp") and link.head.lemma_ in DENYING:
            return "negated"   # "Trump denied that he had met Putin", "denied meeting him"
    if any(child.dep_ == "neg" for v in near or [verb] for child in v.children):
        return "negated"
    if verb.dep_ == "xcomp" and verb.head.lemma_ in NEGATING_HEADS:
        return "negated"
    if undone(verb):
        return "negated"   # "has yet to endorse": not done; "used to support": no longer
    if any(child.dep_ == "aux" and child.lower_ in MODALS for v in near or [verb] for child in v.children):
        return "hypothetical"
    if any(c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in CONDITIONAL_MARKS for m in c.children)
           for v in near or [verb] for c in v.children):
        return "hypothetical"   # "Russia would attack if NATO expanded"
    future = any(child.dep_ == "aux" and child.lower_ in FUTURE for v in near or [verb] for child in v.children)
    if any(t.lower_ in REPORT_ADVERBS for t in sentence) or "according to" in sentence.text.lower():
        return "reported"
    for link in chain[:-1]:
        if link.dep_ == "ccomp" and link.head.lemma_ in REPORTING:
            if future and any(c.dep_ in ("nsubj", "nsubjpass") and c.pos_ == "PRON" for c in link.children):
                return "intended"   # "Moscow said it would let the observers back in": its own intention
            return "reported"
        if link.dep_ in ("acl", "ccomp") and link.head.lemma_ in HEARSAY_NOUNS:
            return "reported"   # "amid speculation that Trump spoke with Putin"
    if future:
        return "intended"
    if any(v.dep_ == "xcomp" and v.head.lemma_ in INTENDING for v in verbs):
        return "intended"
    if trigger.pos_ == "NOUN" and any(c.dep_ == "amod" and c.lower_ in PLANNED for c in trigger.children):
        return "intended"   # "Obama's impending endorsement", "the planned visit"
    if trigger.pos_ == "NOUN" and trigger.dep_ in ("dobj", "obj") and trigger.head.lemma_ in INTENDING:
        return "intended"   # "sought the endorsement of the union": asked for, not given
    if verb.dep_ == "conj" and verb.head.lemma_ in INTENDING and any(c.dep_ == "xcomp" for c in verb.head.children):
        return "intended"   # "pledged to work closely and visit each other's countries"
    if any(c.lower_ == "going" for c in verb.children) or (verb.dep_ == "xcomp" and verb.head.lower_ == "going"):
        return "intended"
    if verb.tag_ == "VB" and any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children) and (
            verb.dep_ == "ROOT" or verb.dep_ in ("relcl", "acl") and verb.head.dep_ == "ROOT"):
        return "intended"   # a headline's "AFL-CIO to endorse Clinton", "Russia to meet Ukraine": what is planned
    return "asserted"
