"""Benchmark inputs: the seeds or the extraction corpus, copied to N distinct articles.

Every copy is its own article (a distinct id and content hash, so nothing is deduplicated):
a seed copy gets a numbered second line; an HTML page copy gets a numbered sentence at the
end of the longest piece of text that the reader keeps as main text, and loses its canonical
URL elements (which would otherwise give every copy the same id). Pages whose copies the
reader still cannot tell apart (an id from elsewhere in the page) are left out and counted.
"""
from __future__ import annotations

import glob
import os
import sys
from typing import Dict, List, Tuple

import lxml.html

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
CORPUS = os.path.join(ROOT, "..", "shared", "corpus", "extraction")
URL_ELEMENTS = "//link[@rel='canonical'] | //meta[@property='og:url'] | //meta[@name='twitter:url']"


def seed_files() -> List[str]:
    return sorted(glob.glob(os.path.join(ROOT, "seeds", "*.txt")))


def corpus_files() -> List[str]:
    found = sorted(glob.glob(os.path.join(CORPUS, "cache", "*.html")) + glob.glob(os.path.join(CORPUS, "eval", "*.html")))
    if not found:
        raise SystemExit(f"no HTML pages under {CORPUS} (../shared/corpus/extraction)")
    return found


def seed_copy(text: str, number: int) -> str:
    first, rest = text.split("\n", 1)
    # After the first line, so that footer cuts and headline detection leave it alone.
    return f"{first}\nBenchmark copy number {number} of this article was made for timing.\n{rest}"


def _squash(text: str) -> str:
    return " ".join(text.split())


def page_copy(html: bytes, number: int, *, main_text: str) -> bytes:
    """``html`` with its URL elements removed and a numbered sentence added to the longest text
    node that appears in ``main_text`` (the reader's text of the original page)."""
    document = lxml.html.fromstring(html)
    for element in document.xpath(URL_ELEMENTS):
        element.getparent().remove(element)
    kept = _squash(main_text)
    nodes = [e for e in document.iter() if isinstance(e.tag, str) and e.text and len(e.text.strip()) > 40
             and _squash(e.text) in kept]
    if nodes:
        longest = max(nodes, key=lambda e: len(e.text))
        longest.text = f"{longest.text.rstrip()} Benchmark copy number {number} was made for timing. "
    return lxml.html.tostring(document, encoding="utf-8")


def _distinct_pages(paths: List[str]) -> Dict[str, tuple]:
    """``{path: (original bytes, main text)}`` of the pages whose copies get distinct ids."""
    from transforms.ingest.readers import InputRejected, read_html_article

    def read(content: bytes):
        return read_html_article(content.decode("utf-8", "replace"), input_name="bench", source="bench")

    pages = {}
    for path in paths:
        with open(path, "rb") as handle:
            original = handle.read()
        try:
            main_text = read(original).text
            first, second = (read(page_copy(original, n, main_text=main_text)) for n in (1, 2))
        except InputRejected:
            pages[path] = (original, "")   # rejected either way: kept, it is part of the workload
            continue
        if first.text != second.text and (first.canonical_url is None or first.canonical_url != second.canonical_url):
            pages[path] = (original, main_text)
    return pages


def make_inputs(kind: str, articles: int, folder: str) -> Tuple[List[str], int]:
    """Write ``articles`` copies into ``folder``; returns their paths and the sources left out."""
    if kind == "seeds":
        sources = seed_files()
        originals = []
        for path in sources:
            with open(path, "rb") as handle:
                originals.append((handle.read(), ""))
    else:
        sources = corpus_files()
        originals = list(_distinct_pages(sources).values())
    paths = []
    for number in range(articles):
        original, main_text = originals[number % len(originals)]
        if kind == "seeds":
            content, suffix = seed_copy(original.decode("utf-8"), number).encode("utf-8"), ".txt"
        else:
            content, suffix = page_copy(original, number, main_text=main_text), ".html"
        path = os.path.join(folder, f"{number:06d}{suffix}")
        with open(path, "wb") as handle:
            handle.write(content)
        paths.append(path)
    return paths, len(sources) - len(originals)
