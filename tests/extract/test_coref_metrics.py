"""The coreference evaluator (``tests/coref_eval.py``): the CoNLL metrics on examples worked by hand, matching
system spans to gold mentions, reading GUM (``../shared``), the fixed split and one document scored end to end.

The expected figures are worked out in the comments, not copied from the code's output.
"""
from __future__ import annotations

import os
import re
from dataclasses import replace
from fractions import Fraction as F

import pytest

from tests import coref_eval
from tests.coref_eval import (CORPUS, Counts, DocScore, GoldMention, GumDocument, SystemMention, align, b_cubed,
                              ceaf_e, conll_f1, corpus_names, match, muc, read_gum, score_document, split, total,
                              trim)

needs_gum = pytest.mark.skipif(not os.path.isdir(CORPUS),
                               reason=f"the GUM corpus is not at {CORPUS} (../shared is absent)")


def approx(*values):
    return pytest.approx([float(v) for v in values])


# --- the metrics ------------------------------------------------------------------------------------------

# Pradhan et al. (2014), "Scoring Coreference Partitions of Predicted Mentions", the running example:
# key {a b c} {d e f g}; response {a b} {c d} {f g h i} (e missing from the response; h, i not in the key).
PRADHAN_KEY = [{"a", "b", "c"}, {"d", "e", "f", "g"}]
PRADHAN_RESPONSE = [{"a", "b"}, {"c", "d"}, {"f", "g", "h", "i"}]


def test_muc_on_the_pradhan_example():
    # Recall: {abc} falls into {ab} {c}: 3-2 = 1; {defg} into {d} {e, missing: its own} {fg}: 4-3 = 1;
    #   over (3-1) + (4-1) = 5: 2/5.
    # Precision: {ab} in one key entity: 2-1 = 1; {cd} in two: 0; {fghi} into {fg} {h} {i}: 4-3 = 1;
    #   over 1 + 1 + 3 = 5: 2/5. F1 = 2/5.
    assert muc(PRADHAN_KEY, PRADHAN_RESPONSE) == approx(F(2, 5), F(2, 5), F(2, 5))


def test_b_cubed_on_the_pradhan_example():
    # Recall over the 7 key mentions: a, b: |{abc}∩{ab}|/3 = 2/3 each; c: |{abc}∩{cd}|/3 = 1/3;
    #   d: |{defg}∩{cd}|/4 = 1/4; e: missing, 0; f, g: |{defg}∩{fghi}|/4 = 2/4 each.
    #   (4/3 + 1/3 + 1/4 + 1) / 7 = (35/12) / 7 = 5/12.
    # Precision over the 8 response mentions: a, b: 2/2 each; c, d: 1/2 each; f, g: 2/4 each; h, i: 0.
    #   (2 + 1 + 1) / 8 = 1/2.  F1 = 2 * 5/12 * 1/2 / (5/12 + 1/2) = 5/11.
    assert b_cubed(PRADHAN_KEY, PRADHAN_RESPONSE) == approx(F(1, 2), F(5, 12), F(5, 11))


def test_ceaf_e_on_the_pradhan_example():
    # phi4: {abc}-{ab} 2*2/5 = 0.8, {abc}-{cd} 2*1/5 = 0.4, {defg}-{cd} 2*1/6 = 1/3, {defg}-{fghi} 2*2/8 = 0.5.
    # Best alignment: {abc}-{ab} + {defg}-{fghi} = 1.3 (the others: 0.4 + 0.5, 0.8 + 1/3).
    # Recall 1.3/2 = 0.65; precision 1.3/3; F1 = 2 * 1.3 / (2 + 3) = 0.52.
    assert ceaf_e(PRADHAN_KEY, PRADHAN_RESPONSE) == approx(F(13, 30), F(13, 20), F(13, 25))


def test_the_reference_scorers_test_case_a2():
    # The reference scorer's TC-A-2 (test/TestCases.README): key {a} {bc} {def}, response {a} {de}.
    key, response = [{"a"}, {"b", "c"}, {"d", "e", "f"}], [{"a"}, {"d", "e"}]
    # MUC recall 1/3 ({bc}: 2-2 = 0 of 1; {def} into {de} {f}: 3-2 = 1 of 2), precision 1/1; F1 = 1/2.
    assert muc(key, response) == approx(1, F(1, 3), F(1, 2))
    # B3 recall 7/18 (a: 1; b, c: 0; d, e: 2/3 each; f: 0; over 6), precision 3/3.
    assert b_cubed(key, response) == approx(1, F(7, 18), F(2 * 7, 18 + 7))
    # CEAF-e: {a}-{a} 1 + {def}-{de} 2*2/5 = 1.8; recall 1.8/3, precision 1.8/2; F1 = 3.6/5.
    assert ceaf_e(key, response) == approx(F(9, 10), F(3, 5), F(18, 25))


def test_identical_partitions_score_one():
    partition = [{1, 2, 3}, {4, 5}, {6}]
    for metric in (muc, b_cubed, ceaf_e):
        assert metric(partition, [set(c) for c in partition]) == approx(1, 1, 1)
    assert conll_f1(partition, partition) == pytest.approx(1.0)


def test_everything_in_one_response_cluster():
    key, response = [{"a", "b", "c"}, {"d", "e"}], [{"a", "b", "c", "d", "e"}]
    # MUC: recall (3-1) + (2-1) over 3 = 1; precision: {abcde} into 2 key entities, 5-2 = 3 of 4. F1 = 6/7.
    assert muc(key, response) == approx(F(3, 4), 1, F(6, 7))
    # B3: recall 1 (every key entity lies whole in the one cluster); precision: a, b, c 3/5 each, d, e 2/5
    #   each: (9/5 + 4/5) / 5 = 13/25. F1 = 2 * 13/25 / (1 + 13/25) = 13/19.
    assert b_cubed(key, response) == approx(F(13, 25), 1, F(13, 19))
    # CEAF-e: {abc}-{abcde} 2*3/8 = 3/4 beats {de}-{abcde} 2*2/7; recall 3/4 / 2, precision 3/4 / 1.
    assert ceaf_e(key, response) == approx(F(3, 4), F(3, 8), F(1, 2))


def test_all_singletons_and_an_empty_response():
    key = [{"a", "b", "c"}, {"d", "e"}]
    singletons = [{m} for m in "abcde"]
    assert muc(key, singletons) == approx(0, 0, 0)   # no link found; precision 0/0 counts as 0
    # B3: recall a, b, c 1/3 each, d, e 1/2 each: 2/5; precision 1. F1 = 4/7.
    assert b_cubed(key, singletons) == approx(1, F(2, 5), F(4, 7))
    # CEAF-e: {abc}-{a} 2/4 + {de}-{d} 2/3 = 7/6; recall 7/12, precision 7/30; F1 = 2 * 7/6 / 7 = 1/3.
    assert ceaf_e(key, singletons) == approx(F(7, 30), F(7, 12), F(1, 3))
    for metric in (muc, b_cubed, ceaf_e):
        assert metric(key, []) == approx(0, 0, 0)


def test_documents_are_summed_not_averaged():
    one = DocScore(documents=1, muc=Counts(p_num=1, p_den=1, r_num=1, r_den=4))
    two = DocScore(documents=1, muc=Counts(p_num=0, p_den=3, r_num=0, r_den=0))
    summed = total([one, two])
    assert summed.documents == 2
    # P = (1 + 0) / (1 + 3), R = (1 + 0) / (4 + 0): not the mean of the documents' 1.0 and 0.0.
    assert summed.muc.prf()[:2] == approx(F(1, 4), F(1, 4))


# --- matching ---------------------------------------------------------------------------------------------

def _at(text: str, phrase: str, nth: int = 0) -> tuple:
    starts = [m.start() for m in re.finditer(re.escape(phrase), text)]
    return starts[nth], starts[nth] + len(phrase)


def _mention(text: str, phrase: str, head: str, entity: str, etype: str, kind: str, nth: int = 0) -> GoldMention:
    start, end = _at(text, phrase, nth)
    head_start = text.index(head, start)
    return GoldMention(entity, etype, start, end, head_start, head_start + len(head), kind)


BANK = "the chairman of the Bank of Korea said the bank's profits rose."
BANK_GOLD = [
    _mention(BANK, "the chairman of the Bank of Korea", "chairman", "1", "person", "nominal"),
    _mention(BANK, "the Bank of Korea", "Bank", "2", "organization", "name"),
    _mention(BANK, "Korea", "Korea", "3", "place", "name"),
    _mention(BANK, "the bank's", "bank", "2", "organization", "nominal"),
]


def test_trim_drops_punctuation_a_leading_the_and_a_possessive():
    text = '("The Bank of Korea’s"),'
    start, end = trim(text, 0, len(text))
    assert text[start:end] == "Bank of Korea"
    assert trim("the", 0, 3)[0] == trim("the", 0, 3)[1]   # nothing left


def test_match_nested_gold_mentions_take_the_smallest_that_holds_the_span():
    spans = [_at(BANK, "Bank of Korea"), _at(BANK, "Korea"), _at(BANK, "chairman"), _at(BANK, "the bank's"),
             _at(BANK, "said"), _at(BANK, "Korea said")]
    assert match(BANK_GOLD, spans, BANK) == {
        0: 1,   # "Bank of Korea" covers the head "Bank" of "the Bank of Korea", not "chairman"
        1: 2,   # "Korea" alone: the head of "the Bank of Korea" is not in it, so the place "Korea"
        2: 0,   # "chairman": the head of the outer mention
        3: 3,   # "the bank's" trimmed to "bank"
    }           # "said" matches nothing; "Korea said" crosses the end of every gold mention


def test_match_a_leading_the_and_one_system_mention_per_gold_mention():
    spans = [_at(BANK, "Bank of Korea"), _at(BANK, "the Bank of Korea", 0), _at(BANK, "Bank of Korea")]
    # All three claim "the Bank of Korea"; the exact span is closest and wins, the others match nothing.
    # Of two copies of one span, the earlier wins.
    assert match(BANK_GOLD, spans, BANK) == {1: 1}
    assert match(BANK_GOLD, [_at(BANK, "Bank of Korea"), _at(BANK, "Bank of Korea")], BANK) == {0: 1}


def test_align_skips_whitespace_and_lines_the_pipeline_dropped():
    gold = "Matthew Goode\n\nMatthew William Goode was born.  He acts.\n\nThe end"
    tokens = [m.span() for m in re.finditer(r"\w+|[^\w\s]", gold)]
    article = "Matthew William Goode was born. He acts.\nThe end"
    found = align(gold, tokens, article)
    # The headline "Matthew Goode" is not taken for the first words of the next line: the line they would
    # be read from goes on after them, and the pipeline keeps or drops whole lines.
    assert found[:2] == [None, None]
    assert [article[s:e] for s, e in found[2:]] == [gold[s:e] for s, e in tokens[2:]]
    assert found[-2] == (article.index("The"), article.index("The") + 3)


# --- one document scored by hand ----------------------------------------------------------------------------

STORY = "Ann Lee met Bob Smith in Paris. She thanked him. Acme hired Ann. The firm grew."


def _story() -> GumDocument:
    mentions = [
        _mention(STORY, "Ann Lee", "Ann", "1", "person", "name"),
        _mention(STORY, "Bob Smith", "Bob", "2", "person", "name"),
        _mention(STORY, "Paris", "Paris", "3", "place", "name"),
        _mention(STORY, "She", "She", "1", "person", "pronoun"),
        _mention(STORY, "him", "him", "2", "person", "pronoun"),
        _mention(STORY, "Acme", "Acme", "4", "organization", "name"),
        _mention(STORY, "Ann", "Ann", "1", "person", "name", nth=1),
        _mention(STORY, "The firm", "firm", "4", "organization", "nominal"),
    ]
    tokens = [m.span() for m in re.finditer(r"\w+|[^\w\s]", STORY)]
    return GumDocument("GUM_news_story", "news", STORY, tokens, mentions)


#: (phrase, entity_key, which occurrence of the phrase)
STORY_SYSTEM = [("Ann Lee", "A", 0), ("She", "A", 0), ("Ann", "A", 1), ("Bob Smith", "B", 0), ("him", "A", 0),
                ("Paris", "P", 0), ("Acme", "C", 0), ("The firm", "C", 0), ("met", "X", 0), ("grew", "X", 0)]


def _system(items) -> list:
    return [SystemMention(*_at(STORY, phrase, nth), key, "name") for phrase, key, nth in items]


def test_score_document_by_hand():
    score = score_document(_story(), STORY, _system(STORY_SYSTEM))
    # Key: Ann Lee {Ann Lee, She, Ann}, Bob Smith {Bob Smith, him}, Acme {Acme, The firm}; Paris, a singleton,
    # is out, so the system's "Paris" is set aside. Response: A {Ann Lee, She, Ann, him}, C {Acme, The firm},
    # X {met, grew} (spurious); B {Bob Smith} is a cluster of one and dropped.
    assert (score.key_entities, score.key_mentions, score.set_aside, score.spurious) == (3, 7, 1, 2)
    assert (score.response_entities, score.response_mentions) == (3, 8)
    # MUC recall: Ann 3-1 = 2; Bob: {Bob Smith} (not in the response) and {him}: 2-2 = 0; Acme 1: 3 of 4.
    # MUC precision: A holds two key entities 4-2 = 2 of 3; C 1 of 1; X two mentions of no key entity 0 of 1.
    assert score.muc.prf()[:2] == approx(F(3, 5), F(3, 4))
    # B3 recall: Ann's three 1 each; Bob Smith 0; him |{Bob, him}∩A|/2 = 1/2; Acme's two 1 each: 5.5/7.
    # B3 precision: A's Ann mentions 3/4 each, him 1/4; C's two 1 each; X 0: (9/4 + 1/4 + 2)/8 = 4.5/8.
    assert score.b_cubed.prf()[:2] == approx(F(9, 16), F(11, 14))
    # CEAF-e: Ann-A 2*3/7 + Acme-C 1 = 13/7 (Bob-A 2*1/6 is worse); over 3 key and 3 response entities.
    assert score.ceaf_e.prf()[:2] == approx(F(13, 21), F(13, 21))
    # "She" shares a cluster with "Ann Lee"; "him" does not share one with "Bob Smith".
    assert (score.pronouns, score.pronouns_resolved) == (2, 1)
    assert score.key_by_kind == {"name": 4, "nominal": 1, "pronoun": 2}
    assert score.found_by_kind == {"name": 4, "nominal": 1, "pronoun": 2}


def test_score_document_on_an_article_without_its_headline():
    doc = _story()
    doc.text = "Ann Lee and Acme\n\n" + STORY
    shift = len("Ann Lee and Acme\n\n")
    doc.tokens = [m.span() for m in re.finditer(r"\w+|[^\w\s]", doc.text)]
    headline = [GoldMention("1", "person", 0, 7, 0, 3, "name"), GoldMention("4", "organization", 12, 16, 12, 16, "name")]
    doc.mentions = headline + [replace(m, start=m.start + shift, end=m.end + shift, head_start=m.head_start + shift,
                                       head_end=m.head_end + shift) for m in doc.mentions]
    system = _system(STORY_SYSTEM[:3])
    score = score_document(doc, STORY, system)   # the pipeline took the first line for the headline
    assert score.gold_not_in_article == 2
    assert (score.key_entities, score.key_mentions) == (3, 7)
    assert score.muc.prf()[:2] == approx(1, F(2, 4))


def _int32(values):
    import pyarrow as pa

    return pa.array(values, pa.int32())


def _write_table(lake, name: str, columns: dict) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder = lake / name / "ingest_date=2025-02-14"
    folder.mkdir(parents=True)
    pq.write_table(pa.table(columns), folder / "run-00000-of-00001.parquet")


def test_score_lake_reads_the_articles_and_mentions_tables(tmp_path):
    """A lake written by hand: the document's article (named by its input file) and its mentions rows."""
    _write_table(tmp_path, "articles", {"article_id": ["a1"], "version": _int32([1]), "url": ["GUM_news_story.txt"],
                                        "input_path": ["/in/GUM_news_story.txt"], "text": [STORY]})
    system = _system(STORY_SYSTEM)
    _write_table(tmp_path, "mentions", {
        "article_id": ["a1"] * len(system), "entity_key": [m.entity_key for m in system],
        "char_start": _int32([m.start for m in system]), "char_end": _int32([m.end for m in system]),
        "mention_type": ["name"] * len(system), "article_version": _int32([1] * len(system))})
    result = coref_eval.score_lake([_story()], str(tmp_path))
    assert [result[k] for k in ("documents", "key_entities", "key_mentions", "system_mentions")] == [1, 3, 7, 10]
    assert (result["muc"]["p"], result["muc"]["r"]) == (0.6, 0.75)           # as in test_score_document_by_hand
    assert result["pronoun_accuracy"] == 0.5 and result["not_articles"] == {}


def test_a_lake_without_a_mentions_table_is_named(tmp_path):
    _write_table(tmp_path, "articles", {"article_id": ["a1"], "version": _int32([1]), "url": ["GUM_news_story.txt"],
                                        "input_path": [None], "text": [STORY]})
    with pytest.raises(coref_eval.MissingInput, match="no mentions table"):
        coref_eval.score_lake([_story()], str(tmp_path))


# --- GUM ----------------------------------------------------------------------------------------------------

def test_main_without_the_corpus_says_so_and_exits_2(monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(coref_eval, "CORPUS", str(tmp_path / "absent"))
    assert coref_eval.main(["--part", "dev"]) == 2
    assert "../shared is absent" in capsys.readouterr().err


def test_split_is_by_genre_and_position():
    names = [f"GUM_news_{c}" for c in "abcdefg"] + [f"GUM_bio_{c}" for c in "abc"]
    parts = split(reversed(names))
    assert parts["test"] == ["GUM_bio_c", "GUM_news_c", "GUM_news_f"]
    assert sorted(parts["dev"] + parts["test"]) == sorted(names)


@needs_gum
def test_split_of_the_corpus_is_fixed():
    names = corpus_names()
    assert len(names) == 51
    parts = split(names)
    assert parts == split(sorted(names, reverse=True))
    # 20 news, 15 interviews, 16 bios: positions 2, 5, 8, ... give 6 + 5 + 5 = 16 (not 17) measured-only documents.
    assert len(parts["test"]) == 16 and len(parts["dev"]) == 35
    assert {n.split("_")[1] for n in parts["test"]} == {"news", "interview", "bio"}
    assert "GUM_news_korea" in parts["test"] and "GUM_news_afghan" in parts["dev"]


@pytest.fixture(scope="module")
def korea():
    return read_gum(os.path.join(CORPUS, "GUM_news_korea.conllu"))


@needs_gum
def test_read_gum_text_and_sentences(korea):
    with open(os.path.join(CORPUS, "GUM_news_korea.conllu"), encoding="utf-8") as handle:
        sentences = [line[len("# text = "):].rstrip("\n") for line in handle if line.startswith("# text = ")]
    assert len(sentences) == len(korea.sentences) == 16
    assert [korea.text[s:e] for s, e in korea.sentences] == sentences
    assert korea.name == "GUM_news_korea" and korea.genre == "news"
    assert korea.text.startswith("North Korea puts military in 'quasi-state of war'\n\nFriday, August 21, 2015\n\n"
                                 "According to Yonhap news agency,")
    # two sentences of one paragraph are joined by one space
    assert 'state of war". The report comes after' in korea.text


@needs_gum
@pytest.mark.parametrize("name", ["GUM_news_korea", "GUM_bio_bernoulli", "GUM_interview_ants"])
def test_every_mention_is_made_of_whole_tokens(name):
    doc = read_gum(os.path.join(CORPUS, f"{name}.conllu"))
    starts, ends = {s for s, _ in doc.tokens}, {e for _, e in doc.tokens}
    for m in doc.mentions:
        assert m.start in starts and m.end in ends and (m.head_start, m.head_end) in doc.tokens
        inside = [doc.text[s:e] for s, e in doc.tokens if m.start <= s and e <= m.end]
        assert "".join(inside) == re.sub(r"\s", "", doc.text[m.start:m.end])


@needs_gum
def test_read_gum_entity_one_of_korea(korea):
    # Read from the file: entity 1, North_Korea, organization, opened on lines 24, 65, 80, 116 (one token,
    # inside event 9 opened on the same token), 147, 315, 332, 454, 515 and 518 ("it").
    ones = [m for m in korea.mentions if m.entity == "1"]
    assert {m.entity_type for m in ones} == {"organization"}
    assert [(korea.text[m.start:m.end], m.kind) for m in ones] == [
        ("North Korea", "name"), ("North Korea's", "name"), ("the country's", "nominal"), ("North", "name"),
        ("the DPRK", "name"), ("North Korea", "name"), ("the North", "name"), ("the north", "nominal"),
        ("North Korea", "name"), ("it", "pronoun")]
    assert korea.text[ones[1].head_start:ones[1].head_end] == "Korea"   # "North" and "'s" hang on "Korea"
    nine = next(m for m in korea.mentions if m.entity == "9")
    assert nine.start == ones[3].start and korea.text[nine.start:nine.end].startswith("North and South Korea exch")
    assert "1" in coref_eval.key_entities(korea.mentions)


@needs_gum
def test_read_gum_one_token_mention_closing_an_outer_one(korea):
    # Sentence 2, token 6 "2015": Entity=(5-time-...-sgl)4) opens and closes 5 and closes 4, opened on "August".
    by_entity = {m.entity: korea.text[m.start:m.end] for m in korea.mentions if m.entity in ("4", "5")}
    assert by_entity == {"4": "August 21, 2015", "5": "2015"}
    assert [korea.text[m.start:m.end] for m in korea.mentions if m.entity == "4"] == ["Friday", "August 21, 2015"]


@needs_gum
def test_read_gum_multiword_tokens_keep_the_surface():
    doc = read_gum(os.path.join(CORPUS, "GUM_bio_bernoulli.conllu"))
    # "33-34 Daniel's" is the words "Daniel" and "'s": two tokens, one mention of entity 1 over both.
    at = doc.text.index("compared Daniel's equal") + len("compared ")
    assert (at, at + 6) in doc.tokens and (at + 6, at + 8) in doc.tokens
    assert any(m.entity == "1" and (m.start, m.end) == (at, at + 8) and m.kind == "name" for m in doc.mentions)
