"""Coreference quality on real text: GUM's news, interview and bio documents (train split, ``../shared``).

    python -m tests.coref_eval                       # the dev part, scored on the pipeline's mentions table
    python -m tests.coref_eval --part test           # the measured-only part (every third document per genre)
    python -m tests.coref_eval --baseline            # spaCy NER, one entity per surface name, no pronouns
    python -m tests.coref_eval --docs GUM_news_korea --json figures.json

Each chosen document's text (its ``# text`` lines; a blank line between paragraphs) is written to
``<tmp>/in/<name>.txt`` and the pipeline runs once over that folder. A gold token is found in the stored
article text by its surface form, in order (whitespace may differ, and a line the pipeline dropped, such
as the headline, leaves its tokens out). Gold mentions whose head token is not in the article are left out.

Key: the entities of type person, organization or place with a name mention and at least two mentions.
A system mention matches the smallest gold mention whose head token it covers and which holds it (after
trimming punctuation, a leading "the" and a possessive "'s"); one system mention per gold mention, the
closest span first. System mentions matching a gold mention outside the key are set aside; those matching
nothing are spurious; response clusters of one mention are dropped. Scored with MUC, B-cubed and CEAF-e
(numerators and denominators summed over documents), their mean F1 (CoNLL), the share of the key entities'
pronouns that sit in a response cluster holding one of their entity's names, and recall by mention kind.
"""
from __future__ import annotations

import argparse
import glob
import json
import os
import re
import sys
import tempfile
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field, fields, replace
from typing import Dict, Hashable, Iterable, List, Optional, Sequence, Set, Tuple

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.join(os.path.dirname(ROOT), "shared", "corpus", "coreference", "gum-train")
KEY_TYPES = frozenset({"person", "organization", "place"})
PRONOUN_XPOS = frozenset({"PRP", "PRP$", "WP", "WP$"})
KINDS = ("name", "nominal", "pronoun")
BASELINE_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC"})
PARTS = ("dev", "test", "all")
RUN_ID = "coref-eval"
#: At most this many whitespace characters are skipped before a gold token in the article text.
ALIGN_WINDOW = 8
_BRACKET = re.compile(r"\((?P<open>[^()]+)(?P<single>\))?|(?P<close>[^()]+)\)")
_LEADING_THE = re.compile(r"the(?:\s+|$)", re.IGNORECASE)
_POSSESSIVE = re.compile(r"\s*['’]s$", re.IGNORECASE)

Span = Tuple[int, int]
Clusters = Sequence[Set[Hashable]]


class GumFormatError(ValueError):
    """A GUM file that does not read as CoNLL-U with CorefUD brackets."""


class MissingInput(LookupError):
    """Something the evaluation needs is not there: a table of the lake, a document of the corpus."""


@dataclass(frozen=True)
class GoldMention:
    entity: str
    entity_type: str
    start: int
    end: int
    head_start: int
    head_end: int
    kind: str


@dataclass
class GumDocument:
    name: str
    genre: str
    text: str
    tokens: List[Span]
    mentions: List[GoldMention]
    sentences: List[Span] = field(default_factory=list)


@dataclass(frozen=True)
class SystemMention:
    start: int
    end: int
    entity_key: str
    mention_type: str = "name"


@dataclass(frozen=True)
class Counts:
    """A metric's precision and recall as the numerators and denominators the reference scorer sums."""
    p_num: float = 0.0
    p_den: float = 0.0
    r_num: float = 0.0
    r_den: float = 0.0

    def __add__(self, other: "Counts") -> "Counts":
        return Counts(self.p_num + other.p_num, self.p_den + other.p_den,
                      self.r_num + other.r_num, self.r_den + other.r_den)

    def prf(self) -> Tuple[float, float, float]:
        """Returns: (precision, recall, F1); 0.0 where a denominator is 0."""
        p = self.p_num / self.p_den if self.p_den else 0.0
        r = self.r_num / self.r_den if self.r_den else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)


@dataclass
class DocScore:
    documents: int = 0
    muc: Counts = Counts()
    b_cubed: Counts = Counts()
    ceaf_e: Counts = Counts()
    key_entities: int = 0
    key_mentions: int = 0
    response_entities: int = 0
    response_mentions: int = 0
    spurious: int = 0               # system mentions matching no gold mention (kept: counted against)
    set_aside: int = 0              # system mentions matching a gold mention outside the key (removed)
    gold_not_in_article: int = 0    # gold mentions whose head token the article text lacks
    pronouns: int = 0               # pronoun mentions of key entities
    pronouns_resolved: int = 0      # ... in a response cluster with one of their entity's names
    key_by_kind: Counter = field(default_factory=Counter)
    found_by_kind: Counter = field(default_factory=Counter)


# --- reading GUM ---------------------------------------------------------------------------------------------

def _entity_brackets(misc: str) -> List[Tuple[str, str, str]]:
    """The CorefUD brackets of a MISC field, in order: ("open"|"single", id, type) or ("close", id, "")."""
    value = next((item[len("Entity="):] for item in misc.split("|") if item.startswith("Entity=")), "")
    out = []
    for found in _BRACKET.finditer(value):
        if found.group("open"):
            parts = found.group("open").split("-")
            out.append(("single" if found.group("single") else "open", parts[0], parts[1] if len(parts) > 1 else ""))
        else:
            out.append(("close", found.group("close"), ""))
    return out


def _kind(upos: str, xpos: str) -> str:
    if upos == "PRON" or xpos in PRONOUN_XPOS:
        return "pronoun"
    return "name" if upos == "PROPN" else "nominal"


def _head_token(first: int, last: int, heads: Sequence[int]) -> int:
    """The first token of ``first..last`` whose syntactic head lies outside it (the last token if none)."""
    return next((i for i in range(first, last + 1) if not first <= heads[i] <= last), last)


def read_gum(path: str) -> GumDocument:
    """Read one GUM CoNLL-U file.

    Args:
        path: ``.../GUM_<genre>_<name>.conllu``.

    Returns:
        The document: its text (sentences of a paragraph joined by a space, paragraphs by a blank line),
        its word tokens' character spans, and its mentions, sorted by (start, -end).

    Raises:
        GumFormatError: a token not found in its sentence's text, or an unbalanced entity bracket.
    """
    name = os.path.splitext(os.path.basename(path))[0]
    text, tokens, sentences = "", [], []
    heads: List[int] = []
    tags: List[Tuple[str, str]] = []
    open_mentions: Dict[str, List[Tuple[int, str]]] = defaultdict(list)
    spans: List[Tuple[int, int, str, str]] = []   # first token, last token, entity, type
    new_paragraph, sentence, cursor, first_token = True, "", 0, 0
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            line = line.rstrip("\n")
            if line == "# newpar" or line.startswith("# newpar "):
                new_paragraph = True
            elif line.startswith("# text = "):
                if text:
                    text += "\n\n" if new_paragraph else " "
                new_paragraph, sentence, cursor, first_token = False, line[len("# text = "):], len(text), len(tokens)
                text += sentence
                sentences.append((cursor, len(text)))
            elif line and not line.startswith("#"):
                cols = line.split("\t")
                if len(cols) != 10:
                    raise GumFormatError(f"{path}:{number}: {len(cols)} columns, not 10")
                if "-" in cols[0] or "." in cols[0]:
                    continue   # a multiword token's surface line, or an empty node
                at = cursor
                while at < len(text) and text[at] == " ":
                    at += 1
                if not text.startswith(cols[1], at):
                    raise GumFormatError(f"{path}:{number}: token {cols[1]!r} not found in the sentence text")
                tokens.append((at, at + len(cols[1])))
                cursor = at + len(cols[1])
                heads.append(first_token + int(cols[6]) - 1 if cols[6] not in ("0", "_") else -1)
                tags.append((cols[3], cols[4]))
                index = len(tokens) - 1
                for what, entity, etype in _entity_brackets(cols[9]):
                    if what == "single":
                        spans.append((index, index, entity, etype))
                    elif what == "open":
                        open_mentions[entity].append((index, etype))
                    elif not open_mentions[entity]:
                        raise GumFormatError(f"{path}:{number}: entity {entity} closed but not open")
                    else:
                        start, etype = open_mentions[entity].pop()
                        spans.append((start, index, entity, etype))
    left = [entity for entity, stack in open_mentions.items() if stack]
    if left:
        raise GumFormatError(f"{path}: entities never closed: {left}")
    mentions = []
    for first, last, entity, etype in spans:
        head = _head_token(first, last, heads)
        mentions.append(GoldMention(entity, etype, tokens[first][0], tokens[last][1], tokens[head][0],
                                    tokens[head][1], _kind(*tags[head])))
    mentions.sort(key=lambda m: (m.start, -m.end, m.entity))
    return GumDocument(name, name.split("_")[1], text, tokens, mentions, sentences)


def corpus_names(corpus: str = CORPUS) -> List[str]:
    return sorted(os.path.basename(p)[:-len(".conllu")] for p in glob.glob(os.path.join(corpus, "GUM_*.conllu")))


def split(names: Iterable[str]) -> Dict[str, List[str]]:
    """The fixed split: within each genre, by name, every third document (positions 2, 5, ...) is "test".

    Returns:
        ``{"dev": [...], "test": [...]}``, each sorted by name.
    """
    by_genre: Dict[str, List[str]] = defaultdict(list)
    for name in sorted(set(names)):
        by_genre[name.split("_")[1]].append(name)
    out: Dict[str, List[str]] = {"dev": [], "test": []}
    for members in by_genre.values():
        for position, name in enumerate(members):
            out["test" if position % 3 == 2 else "dev"].append(name)
    return {part: sorted(members) for part, members in out.items()}


# --- aligning and matching -------------------------------------------------------------------------------

def _paragraphs(text: str, tokens: Sequence[Span]) -> List[List[Span]]:
    """``tokens`` cut where a line break lies between two of them."""
    out: List[List[Span]] = []
    for i, span in enumerate(tokens):
        if not out or "\n" in text[tokens[i - 1][1]:span[0]]:
            out.append([])
        out[-1].append(span)
    return out


def _ends_line(text: str, at: int) -> bool:
    rest = text[at:at + ALIGN_WINDOW].lstrip(" \t")
    return not rest or rest.startswith("\n")


def align(gold_text: str, tokens: Sequence[Span], article_text: str) -> List[Optional[Span]]:
    """Each gold token's span in ``article_text``, or None where it is not found.

    A token is looked for where the previous one found ended, after at most ``ALIGN_WINDOW`` whitespace
    characters; a token not there is None and the next one is looked for at the same place. The pipeline
    keeps or drops whole lines (it may cut a prefix, such as a dateline), so a paragraph whose last token
    found does not end a line of the article was dropped: its tokens are None (a headline "Matthew Goode"
    would otherwise take the first words of "Matthew William Goode (born ...").
    """
    out: List[Optional[Span]] = []
    pos = 0
    for paragraph in _paragraphs(gold_text, tokens):
        found: List[Optional[Span]] = []
        at_end = pos
        for start, end in paragraph:
            form = gold_text[start:end]
            at = at_end
            while at < len(article_text) and at - at_end < ALIGN_WINDOW and article_text[at].isspace():
                at += 1
            if article_text.startswith(form, at):
                found.append((at, at + len(form)))
                at_end = at + len(form)
            else:
                found.append(None)
        if at_end > pos and _ends_line(article_text, at_end):
            out.extend(found)
            pos = at_end
        else:
            out.extend([None] * len(paragraph))
    return out


def mentions_in_article(doc: GumDocument, spans: Sequence[Optional[Span]]) -> List[Optional[GoldMention]]:
    """``doc.mentions`` with offsets in the article text (from its first to its last token found there),
    None for a mention whose head token is not found."""
    first_of = {start: i for i, (start, _end) in enumerate(doc.tokens)}
    last_of = {end: i for i, (_start, end) in enumerate(doc.tokens)}
    out: List[Optional[GoldMention]] = []
    for m in doc.mentions:
        head = spans[first_of[m.head_start]]
        found = [s for s in spans[first_of[m.start]:last_of[m.end] + 1] if s is not None]
        out.append(replace(m, start=found[0][0], end=found[-1][1], head_start=head[0], head_end=head[1])
                   if head else None)
    return out


def _edge(char: str) -> bool:
    return char.isspace() or unicodedata.category(char).startswith("P")


def _strip_edges(text: str, start: int, end: int) -> Span:
    while start < end and _edge(text[start]):
        start += 1
    while end > start and _edge(text[end - 1]):
        end -= 1
    return start, end


def trim(text: str, start: int, end: int) -> Span:
    """``text[start:end]`` without surrounding punctuation and whitespace, a leading "the" or a final "'s"."""
    start, end = _strip_edges(text, start, end)
    found = _LEADING_THE.match(text, start, end)
    if found:
        start = found.end()
    found = _POSSESSIVE.search(text[start:end])
    if found:
        end = start + found.start()
    return _strip_edges(text, start, end)


def match(gold: Sequence[GoldMention], system_spans: Sequence[Span], text: str) -> Dict[int, int]:
    """Pair system mentions with gold mentions (both in offsets of ``text``, the article text).

    A system span qualifies for a gold mention whose head token it covers and which holds the system span
    once trimmed (:func:`trim`); it goes to the smallest such gold mention. A gold mention claimed by several
    keeps the span closest to its own (summed distance of the ends; ties: the earlier span).

    Returns:
        ``{system index: gold index}``.
    """
    claims: Dict[int, List[int]] = defaultdict(list)
    for i, (s, e) in enumerate(system_spans):
        ts, te = trim(text, s, e)
        fits = [j for j, g in enumerate(gold)
                if ts < te and s <= g.head_start and g.head_end <= e and g.start <= ts and te <= g.end]
        if fits:
            claims[min(fits, key=lambda j: (gold[j].end - gold[j].start, j))].append(i)
    out = {}
    for j, claimants in claims.items():
        g = gold[j]
        best = min(claimants, key=lambda i: (abs(system_spans[i][0] - g.start) + abs(system_spans[i][1] - g.end),
                                             system_spans[i], i))
        out[best] = j
    return out


# --- metrics ----------------------------------------------------------------------------------------------

def _owner(clusters: Clusters) -> Dict[Hashable, int]:
    return {m: i for i, cluster in enumerate(clusters) for m in cluster}


def _muc_side(clusters: Clusters, other: Clusters) -> Tuple[int, int]:
    owner = _owner(other)
    num = den = 0
    for cluster in clusters:
        if cluster:
            parts = {owner.get(m, ("alone", m)) for m in cluster}
            num += len(cluster) - len(parts)
            den += len(cluster) - 1
    return num, den


def muc_counts(key: Clusters, response: Clusters) -> Counts:
    """MUC (Vilain et al. 1995); a mention missing from the other side is a partition of its own."""
    r_num, r_den = _muc_side(key, response)
    p_num, p_den = _muc_side(response, key)
    return Counts(p_num, p_den, r_num, r_den)


def _b3_side(clusters: Clusters, other: Clusters) -> Tuple[float, int]:
    owner = _owner(other)
    num, den = 0.0, 0
    for cluster in clusters:
        for m in cluster:
            den += 1
            if m in owner:
                num += len(set(cluster) & set(other[owner[m]])) / len(cluster)
    return num, den


def b_cubed_counts(key: Clusters, response: Clusters) -> Counts:
    """B-cubed (Bagga & Baldwin 1998): recall over key mentions, precision over response mentions."""
    r_num, r_den = _b3_side(key, response)
    p_num, p_den = _b3_side(response, key)
    return Counts(p_num, p_den, r_num, r_den)


def ceaf_e_counts(key: Clusters, response: Clusters) -> Counts:
    """Entity-based CEAF (Luo 2005): phi4 = 2|K∩R|/(|K|+|R|), summed over the best one-to-one alignment."""
    key = [set(c) for c in key if c]
    response = [set(c) for c in response if c]
    total = 0.0
    if key and response:
        import numpy as np
        from scipy.optimize import linear_sum_assignment

        similarity = np.array([[2 * len(k & r) / (len(k) + len(r)) for r in response] for k in key])
        rows, cols = linear_sum_assignment(similarity, maximize=True)
        total = float(similarity[rows, cols].sum())
    return Counts(total, len(response), total, len(key))


def muc(key: Clusters, response: Clusters) -> Tuple[float, float, float]:
    """Returns: (precision, recall, F1)."""
    return muc_counts(key, response).prf()


def b_cubed(key: Clusters, response: Clusters) -> Tuple[float, float, float]:
    """Returns: (precision, recall, F1)."""
    return b_cubed_counts(key, response).prf()


def ceaf_e(key: Clusters, response: Clusters) -> Tuple[float, float, float]:
    """Returns: (precision, recall, F1)."""
    return ceaf_e_counts(key, response).prf()


def conll_f1(key: Clusters, response: Clusters) -> float:
    """The mean of the MUC, B-cubed and CEAF-e F1."""
    return (muc(key, response)[2] + b_cubed(key, response)[2] + ceaf_e(key, response)[2]) / 3


# --- scoring ----------------------------------------------------------------------------------------------

def key_entities(gold: Sequence[GoldMention]) -> Set[str]:
    """The entities scored: person, organization or place, with a name mention and two or more mentions."""
    by_entity: Dict[str, List[GoldMention]] = defaultdict(list)
    for m in gold:
        by_entity[m.entity].append(m)
    return {entity for entity, ms in by_entity.items()
            if ms[0].entity_type in KEY_TYPES and len(ms) >= 2 and any(m.kind == "name" for m in ms)}


def score_document(doc: GumDocument, article_text: str, system: Sequence[SystemMention]) -> DocScore:
    """Score one document's system mentions (offsets in ``article_text``) against its gold key.

    Returns:
        The document's counts; add documents up with :func:`total`.
    """
    placed = mentions_in_article(doc, align(doc.text, doc.tokens, article_text))
    gold = [m for m in placed if m is not None]
    keyed = key_entities(gold)
    matched = match(gold, [(m.start, m.end) for m in system], article_text)
    score = DocScore(documents=1, gold_not_in_article=len(placed) - len(gold))
    key: Dict[str, Set[Hashable]] = defaultdict(set)
    for j, g in enumerate(gold):
        if g.entity in keyed:
            key[g.entity].add(j)
            score.key_by_kind[g.kind] += 1
    clusters: Dict[str, Set[Hashable]] = defaultdict(set)
    for i, mention in enumerate(system):
        j = matched.get(i)
        if j is None:
            score.spurious += 1
            clusters[mention.entity_key].add(("system", i))
        elif gold[j].entity in keyed:
            score.found_by_kind[gold[j].kind] += 1
            clusters[mention.entity_key].add(j)
        else:
            score.set_aside += 1
    response = [c for c in clusters.values() if len(c) >= 2]
    key_clusters = list(key.values())
    score.muc = muc_counts(key_clusters, response)
    score.b_cubed = b_cubed_counts(key_clusters, response)
    score.ceaf_e = ceaf_e_counts(key_clusters, response)
    score.key_entities, score.key_mentions = len(key_clusters), sum(map(len, key_clusters))
    score.response_entities, score.response_mentions = len(response), sum(map(len, response))
    owner = _owner(response)
    for members in key.values():
        names = {owner[j] for j in members if gold[j].kind == "name" and j in owner}
        for j in members:
            if gold[j].kind == "pronoun":
                score.pronouns += 1
                score.pronouns_resolved += owner.get(j, -1) in names
    return score


def total(scores: Iterable[DocScore]) -> DocScore:
    """The sum of documents' counts (numerators and denominators added, as the reference scorer does)."""
    out = DocScore()
    for score in scores:
        out = DocScore(**{f.name: getattr(out, f.name) + getattr(score, f.name) for f in fields(DocScore)})
    return out


def figures(score: DocScore) -> dict:
    """The reported figures of a (summed) score, rounded to four places."""
    def prf(counts: Counts) -> Dict[str, float]:
        return dict(zip(("p", "r", "f1"), (round(x, 4) for x in counts.prf())))

    metrics = {name: prf(getattr(score, name)) for name in ("muc", "b_cubed", "ceaf_e")}
    conll = sum(getattr(score, name).prf()[2] for name in metrics) / 3
    return {
        "documents": score.documents, "key_entities": score.key_entities, "key_mentions": score.key_mentions,
        "response_entities": score.response_entities, "response_mentions": score.response_mentions,
        "spurious_mentions": score.spurious, "set_aside_mentions": score.set_aside,
        "gold_mentions_not_in_article": score.gold_not_in_article,
        **metrics,
        "conll_f1": round(conll, 4),
        "pronouns": score.pronouns,
        "pronoun_accuracy": round(score.pronouns_resolved / score.pronouns, 4) if score.pronouns else 0.0,
        "key_mentions_by_kind": {kind: score.key_by_kind[kind] for kind in KINDS},
        "recall_by_kind": {kind: round(score.found_by_kind[kind] / score.key_by_kind[kind], 4)
                           if score.key_by_kind[kind] else 0.0 for kind in KINDS},
    }


# --- the pipeline's output, and the baseline ----------------------------------------------------------

def _table(lake: str, name: str) -> str:
    return "read_parquet('{}/{}/**/*.parquet', hive_partitioning=true)".format(lake.replace("'", "''"), name)


def _rows(sql: str) -> list:
    import duckdb

    con = duckdb.connect()
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def _has_table(lake: str, name: str) -> bool:
    return bool(glob.glob(os.path.join(lake, name, "**", "*.parquet"), recursive=True))


def read_articles(lake: str) -> Dict[str, Tuple[str, int, str]]:
    """``{document name: (article_id, version, text)}`` of the lake's articles (the latest version),
    named after the input file they came from."""
    if not _has_table(lake, "articles"):
        raise MissingInput(f"no articles table in {lake}")
    out: Dict[str, Tuple[str, int, str]] = {}
    sql = (f"select article_id, version, coalesce(input_path, url), text from {_table(lake, 'articles')} "
           "order by version")
    for article_id, version, path, text in _rows(sql):
        out[os.path.splitext(os.path.basename(path or ""))[0]] = (article_id, version, text)
    return out


def read_rejects(lake: str) -> Dict[str, str]:
    """``{document name: "stage/reason: detail"}`` of the lake's rejects."""
    if not _has_table(lake, "rejects"):
        return {}
    sql = f"select input, stage, reason, detail from {_table(lake, 'rejects')}"
    return {os.path.splitext(os.path.basename(name))[0]: f"{stage}/{reason}: {detail}"
            for name, stage, reason, detail in _rows(sql)}


def read_mentions(lake: str) -> Dict[Tuple[str, int], List[SystemMention]]:
    """``{(article_id, article_version): [mentions]}`` from the lake's ``mentions`` table.

    Raises:
        MissingInput: the lake has no ``mentions`` table.
    """
    if not _has_table(lake, "mentions"):
        raise MissingInput(f"no mentions table in {lake} (the pipeline does not write one yet?)")
    sql = (f"select article_id, article_version, entity_key, char_start, char_end, mention_type "
           f"from {_table(lake, 'mentions')} order by article_id, char_start, char_end")
    out: Dict[Tuple[str, int], List[SystemMention]] = defaultdict(list)
    for article_id, version, key, start, end, kind in _rows(sql):
        out[(article_id, version)].append(SystemMention(start, end, str(key), kind))
    return out


def surface_key(text: str) -> str:
    """A name as the baseline clusters it: without a leading "the" and a possessive "'s"."""
    text = _POSSESSIVE.sub("", text.strip())
    return text[4:].strip() if text.lower().startswith("the ") else text


def baseline_mentions(nlp, text: str) -> List[SystemMention]:
    """Every PERSON, ORG, GPE, LOC, NORP and FAC span spaCy finds, clustered by its surface name."""
    from transforms.extract.model import parse

    return [SystemMention(ent.start_char, ent.end_char, surface_key(ent.text), "name")
            for ent in parse(nlp, text).ents if ent.label_ in BASELINE_LABELS]


def run_pipeline(docs: Sequence[GumDocument], workdir: str) -> str:
    """Write the documents to ``workdir/in`` and run the pipeline over them into ``workdir/out``.

    Returns:
        The lake's path.
    """
    from pipelines import news_events

    inbox, lake = os.path.join(workdir, "in"), os.path.join(workdir, "out")
    os.makedirs(inbox, exist_ok=True)
    for doc in docs:
        with open(os.path.join(inbox, f"{doc.name}.txt"), "w", encoding="utf-8") as handle:
            handle.write(doc.text + "\n")
    news_events.run(["--input", inbox, "--output", lake, "--run-id", RUN_ID, "--progress-interval", "0"])
    return lake


def chosen_names(part: str, names: Optional[Sequence[str]] = None) -> List[str]:
    """The documents of ``part`` ("dev", "test" or "all"), or ``names`` when given."""
    if names:
        unknown = sorted(set(names) - set(corpus_names()))
        if unknown:
            raise MissingInput(f"no such GUM documents: {unknown}")
        return sorted(names)
    if part not in PARTS:
        raise ValueError(f"part {part!r}: not one of {PARTS}")
    everything = corpus_names()
    return everything if part == "all" else split(everything)[part]


def score_lake(docs: Sequence[GumDocument], lake: str, *, baseline: bool = False) -> dict:
    """Score the documents' articles in ``lake``: its ``mentions`` table, or the spaCy baseline."""
    articles = read_articles(lake)
    found = [doc for doc in docs if doc.name in articles]
    if baseline:
        from transforms.extract.model import ANALYSIS_COMPONENTS, DEFAULT_MODEL, load_model

        nlp = load_model(DEFAULT_MODEL, components=ANALYSIS_COMPONENTS)
        system = {doc.name: baseline_mentions(nlp, articles[doc.name][2]) for doc in found}
    else:
        table = read_mentions(lake)
        system = {doc.name: table.get(articles[doc.name][:2], []) for doc in found}
    result = figures(total(score_document(doc, articles[doc.name][2], system[doc.name]) for doc in found))
    rejects = read_rejects(lake)
    result["not_articles"] = {doc.name: rejects.get(doc.name, "no article and no reject")
                              for doc in docs if doc.name not in articles}
    result["system"] = "baseline" if baseline else "mentions"
    result["system_mentions"] = sum(map(len, system.values()))
    return result


def evaluate(part: str = "dev", *, baseline: bool = False, names: Optional[Sequence[str]] = None,
             lake: Optional[str] = None) -> dict:
    """Run the pipeline over a part of the corpus (or read ``lake``, an earlier run's) and score it.

    Args:
        part: "dev", "test" or "all".
        baseline: score the spaCy same-name baseline instead of the ``mentions`` table.
        names: these documents instead of ``part``.
        lake: a lake the pipeline already wrote from these documents' texts.

    Raises:
        MissingInput: scoring the ``mentions`` table of a lake without one.
    """
    docs = [read_gum(os.path.join(CORPUS, f"{name}.conllu")) for name in chosen_names(part, names)]
    if lake:
        result = score_lake(docs, lake, baseline=baseline)
    else:
        with tempfile.TemporaryDirectory(prefix="coref-eval-") as workdir:
            result = score_lake(docs, run_pipeline(docs, workdir), baseline=baseline)
    result["part"] = "docs" if names else part
    return result


def format_table(result: dict) -> str:
    """The figures as a small text table."""
    lines = [f"system {result['system']}, part {result['part']}: {result['documents']} documents, "
             f"{result['key_entities']} key entities, {result['key_mentions']} key mentions "
             f"({result['gold_mentions_not_in_article']} gold mentions not in the article text)",
             f"response: {result['response_entities']} entities, {result['response_mentions']} mentions "
             f"({result['spurious_mentions']} spurious; {result['set_aside_mentions']} set aside)",
             f"{'':8} {'P':>6} {'R':>6} {'F1':>6}"]
    for name in ("muc", "b_cubed", "ceaf_e"):
        m = result[name]
        lines.append(f"{name:8} {m['p']:6.3f} {m['r']:6.3f} {m['f1']:6.3f}")
    lines.append(f"{'CoNLL F1':8} {'':13} {result['conll_f1']:6.3f}")
    lines.append(f"pronoun accuracy {result['pronoun_accuracy']:.3f} (n={result['pronouns']})")
    lines.append("recall by kind: " + ", ".join(
        f"{kind} {result['recall_by_kind'][kind]:.3f} (n={result['key_mentions_by_kind'][kind]})" for kind in KINDS))
    if not result["system_mentions"]:
        lines.append(f"no system mentions at all: is the {result['system']} table empty?")
    for name, why in result["not_articles"].items():
        lines.append(f"not an article: {name}: {why}")
    return "\n".join(lines)


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.coref_eval", description=__doc__.split("\n")[0])
    parser.add_argument("--part", choices=PARTS, default="dev")
    parser.add_argument("--baseline", action="store_true", help="score spaCy NER clustered by surface name")
    parser.add_argument("--docs", nargs="+", metavar="NAME", help="these documents instead of a part")
    parser.add_argument("--lake", help="score this lake (an earlier run over the same documents) instead of running")
    parser.add_argument("--json", metavar="PATH", help="also write the figures as JSON")
    args = parser.parse_args(argv)
    if not os.path.isdir(CORPUS):
        print(f"coref_eval: the GUM corpus is not at {CORPUS} (../shared is absent)", file=sys.stderr)
        return 2
    from transforms.common.logs import configure_logging

    configure_logging("WARNING", "text", "ERROR")
    try:
        result = evaluate(args.part, baseline=args.baseline, names=args.docs, lake=args.lake)
    except (MissingInput, GumFormatError) as exc:
        print(f"coref_eval: {exc}", file=sys.stderr)
        return 2
    print(format_table(result))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump(result, handle, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
