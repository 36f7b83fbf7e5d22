"""Readers: txt, html and jsonl, and the bad files that must become rejects."""
from __future__ import annotations

import glob
import json
import os
import shutil
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone

import pytest

from tests.conftest import EXTRACTION, SEEDS
from transforms.ingest.readers import InputRejected, ParsedArticle, decode_bytes, read_input

PARAGRAPH = ("Russian and Ukrainian negotiators met in Istanbul on Tuesday for the first direct talks "
             "in three years, officials from both delegations said after the meeting ended.")


def _open(path):
    return open(path, "rb")


def _read(path, root=None):
    return list(read_input(str(path), root=str(root or os.path.dirname(path)), opener=_open))


def _rejected(path, root=None) -> InputRejected:
    with pytest.raises(InputRejected) as info:
        _read(path, root)
    return info.value


def test_txt_seed(tmp_path):
    [article] = _read(os.path.join(SEEDS, "001_b53ec3b1e4f4297f.txt"), SEEDS)
    assert isinstance(article, ParsedArticle)
    assert article.url == "001_b53ec3b1e4f4297f.txt"
    assert article.source == "seeds"
    assert article.take_headline and article.title is None
    assert article.text.startswith("In a dramatic shift from prior U.S. policy")


def test_html_page_gives_text_and_metadata():
    path = os.path.join(EXTRACTION, "cache", "threatpost.com.android.html")
    [article] = _read(path, EXTRACTION)
    assert "These messages include links to the ransomware" in article.text
    assert article.title.startswith("Android Ransomware Spreads")
    assert article.authors == ["Lindsey O'Donnell"]
    assert article.published_at == datetime(2019, 7, 30, tzinfo=timezone.utc)
    assert article.canonical_url.startswith("https://threatpost.com/android-ransomware-spreads")
    assert article.source == "threatpost.com"
    assert article.url == article.canonical_url


def test_pages_read_from_many_threads_read_as_they_do_one_at_a_time():
    """The fetcher reads pages in a pool of threads, and a runner may run bundles in threads: trafilatura's
    shared lxml parser once corrupted the heap when two pages were parsed at once (a native abort)."""
    paths = sorted(glob.glob(os.path.join(EXTRACTION, "cache", "*.html")))[:12]
    serial = [_read(path, EXTRACTION) for path in paths]
    with ThreadPoolExecutor(max_workers=8) as pool:
        for _round in range(3):
            assert list(pool.map(lambda path: _read(path, EXTRACTION), paths)) == serial


def test_the_seconds_trafilatura_takes_are_added_up_apart_for_pages_only(tmp_path):
    page = tmp_path / "page.html"
    page.write_text(f"<html><body><article><p>{PARAGRAPH}</p><p>{PARAGRAPH}</p></article></body></html>",
                    encoding="utf-8")
    lines = tmp_path / "pages.jsonl"
    lines.write_text(json.dumps({"html": page.read_text(encoding="utf-8")}) + "\n", encoding="utf-8")
    spent = {}
    for path in (page, lines):
        [article] = list(read_input(str(path), root=str(tmp_path), opener=_open, spent=spent))
        assert "Istanbul" in article.text
        assert spent["html"] > 0
        spent.clear()
    list(read_input(os.path.join(SEEDS, "001_b53ec3b1e4f4297f.txt"), root=SEEDS, opener=_open, spent=spent))
    assert spent == {}


def test_html_without_metadata_date_uses_htmldate(tmp_path):
    page = tmp_path / "page.html"
    page.write_text(f"""<html><head><title>Talks</title></head><body>
        <p class="date">Published 2024-12-08</p><article><h1>Talks</h1>
        <p>{PARAGRAPH}</p><p>{PARAGRAPH}</p></article></body></html>""", encoding="utf-8")
    [article] = _read(page)
    assert article.published_at == datetime(2024, 12, 8, tzinfo=timezone.utc)
    assert "Istanbul" in article.text


def test_jsonl_good_and_bad_lines(tmp_path):
    path = tmp_path / "batch.jsonl"
    lines = [
        json.dumps({"url": "https://example.org/a?utm_source=feed", "title": "A", "text": PARAGRAPH,
                    "published_at": "2025-02-12T15:30:00-05:00"}),
        "{not json",
        json.dumps({"url": "https://example.org/b", "title": "B"}),
        json.dumps({"title": "C", "text": PARAGRAPH, "published_at": "last Tuesday"}),
        json.dumps(["a", "list"]),
        "",
        json.dumps({"title": "D", "html": f"<html><body><article><p>{PARAGRAPH}</p></article></body></html>"}),
    ]
    path.write_text("\n".join(lines), encoding="utf-8")
    items = _read(path)
    good = [item for item in items if isinstance(item, ParsedArticle)]
    bad = {item.input.rsplit(":", 1)[1]: item.reason for item in items if isinstance(item, InputRejected)}
    assert [a.title for a in good] == ["A", "D"]
    assert good[0].canonical_url == "https://example.org/a"
    assert good[0].source == "example.org"
    assert good[0].published_at == datetime(2025, 2, 12, 20, 30, tzinfo=timezone.utc)
    assert "Istanbul" in good[1].text
    assert bad == {"2": "bad_json", "3": "missing_field", "4": "bad_value", "5": "bad_json"}


def test_empty_file(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    assert _rejected(path).reason == "empty"


def test_whitespace_only_file(tmp_path):
    path = tmp_path / "blank.txt"
    path.write_bytes(b"  \n\n\t \n")
    assert _rejected(path).reason == "empty"


def test_zero_byte_html(tmp_path):
    path = tmp_path / "page.html"
    path.write_bytes(b"")
    rejected = _rejected(path)
    assert (rejected.stage, rejected.reason) == ("read", "empty")


def test_html_with_no_main_text(tmp_path):
    path = tmp_path / "nav.html"
    path.write_text("<html><head><title>x</title></head><body><script>var a=1;</script></body></html>",
                    encoding="utf-8")
    rejected = _rejected(path)
    assert (rejected.stage, rejected.reason) == ("parse", "extraction_empty")


def test_binary_file(tmp_path):
    path = tmp_path / "photo.txt"
    path.write_bytes(bytes(range(256)) * 40)
    assert _rejected(path).reason == "binary"


def test_latin1_file_is_decoded(tmp_path):
    path = tmp_path / "latin1.txt"
    text = "Le président Zelensky a déclaré à la presse que la guerre était terrible. " * 3
    path.write_bytes(text.encode("latin-1"))
    [article] = _read(path)
    assert article.text == text


def test_cp1251_file_is_decoded():
    text = "Президент России Владимир Путин заявил журналистам, что переговоры начнутся немедленно."
    assert decode_bytes(text.encode("cp1251"), input_name="x") == text


def test_utf16_with_bom_is_decoded():
    text = "Zelenskyy spoke with Trump on Wednesday about a ceasefire."
    assert decode_bytes(text.encode("utf-16"), input_name="x") == text


def test_directory(tmp_path):
    folder = tmp_path / "folder.txt"
    folder.mkdir()
    rejected = _rejected(folder)
    assert (rejected.stage, rejected.reason) == ("read", "not_a_file")


def test_unknown_type(tmp_path):
    path = tmp_path / "report.pdf"
    path.write_bytes(b"%PDF-1.4")
    assert _rejected(path).reason == "unknown_type"


def test_vanished_file(tmp_path):
    assert _rejected(tmp_path / "gone.txt").reason == "not_found"


def test_input_rejected_refuses_unknown_reason():
    with pytest.raises(ValueError):
        InputRejected("x", "read", "because")


def test_txt_url_is_relative_to_root(tmp_path):
    sub = tmp_path / "2025" / "02"
    sub.mkdir(parents=True)
    shutil.copy(os.path.join(SEEDS, "001_b53ec3b1e4f4297f.txt"), sub / "a.txt")
    [article] = _read(sub / "a.txt", tmp_path)
    assert article.url == os.path.join("2025", "02", "a.txt")
    assert article.source == tmp_path.name


def test_a_recursive_glob_does_not_follow_links_to_directories(tmp_path):
    from transforms.ingest.sources import expand_inputs

    inbox = tmp_path / "in"
    (inbox / "sub").mkdir(parents=True)
    (inbox / "a.txt").write_text("a")
    (inbox / "sub" / "b.txt").write_text("b")
    os.symlink("..", inbox / "up")
    os.symlink("..", inbox / "sub" / "up")
    expected = [str(inbox / "a.txt"), str(inbox / "sub" / "b.txt")]
    assert [path for path, _root in expand_inputs([str(inbox / "**" / "*.txt")])] == expected
    assert [path for path, _root in expand_inputs([str(inbox)])] == expected


def test_an_input_whose_name_looks_like_a_glob_is_read_by_its_name(tmp_path):
    from transforms.ingest.sources import expand_inputs

    folder = tmp_path / "it's [1]"
    folder.mkdir()
    (folder / "file[1].txt").write_text("a")
    assert expand_inputs([str(folder / "file[1].txt")]) == [(str(folder / "file[1].txt"), str(folder))]


@pytest.mark.parametrize("fields, fragment", [
    ({"published_at": "9999-12-31T23:59:59-01:00"}, "out of range"),
    ({"title": "Bad \ud800 title"}, "lone surrogate"),
    ({"text": "A fine text with a lone \udfff in it, long enough to be an article of its own."}, "lone surrogate"),
])
def test_a_record_no_rule_foresaw_is_a_reject_of_its_own(fields, fragment):
    from transforms.ingest.readers import InputRejected, read_jsonl_articles

    good = {"text": "A good article about the ceasefire talks in Riyadh, with enough words.", "url": "https://e.org/1"}
    bad = {"text": "Another article about the talks, with enough words to be one.", "url": "https://e.org/2", **fields}
    lines = json.dumps(good) + "\n" + json.dumps(bad) + "\n"
    items = list(read_jsonl_articles(lines, input_name="in.jsonl", source="t"))
    assert not isinstance(items[0], InputRejected)
    assert isinstance(items[1], InputRejected) and items[1].reason == "bad_value" and fragment in items[1].detail


@pytest.mark.parametrize("url, normal", [
    ("https://news.example.org/story?storyId=2", "https://news.example.org/story?storyId=2"),
    ("https://news.example.org/a?utm_source=x&id=5&fbclid=z&gclid=q", "https://news.example.org/a?id=5"),
    ("http://reader:s3cret@news.example.org/a", "http://news.example.org/a"),
    ("ftp://news.example.org/a", None),
    ("http://" + "a" * 64 + ".example.org/a", None),
])
def test_urls_keep_what_names_the_page_and_lose_trackers_and_credentials(url, normal):
    from transforms.ingest.readers import normalise_url

    assert normalise_url(url) == normal
