"""Readers: turn one input file into parsed articles, or say precisely why not.

Plain functions, no Beam. ``read_input`` is the entry point; it dispatches on the file
extension to :func:`read_text_article`, :func:`read_html_article` or
:func:`read_jsonl_articles`. A file that cannot be an article raises
:class:`InputRejected` (or, for one bad line of a ``.jsonl`` file, yields it), carrying a
stage and a reason from ``schemas.REJECT_REASONS``.
"""
from __future__ import annotations

import codecs
import json
import os
import re
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import BinaryIO, Callable, Dict, Iterator, List, Optional, Union
from urllib.parse import urlsplit, urlunsplit

import charset_normalizer
import courlan
import htmldate
import trafilatura

from schemas import REJECT_REASONS, REJECT_STAGES
from transforms.ingest.text_dates import text_publication_date

TEXT_EXTENSIONS = (".txt",)
HTML_EXTENSIONS = (".html", ".htm")
JSONL_EXTENSIONS = (".jsonl",)
MAX_INPUT_BYTES = 50 * 1024 * 1024
# trafilatura and htmldate parse with module-level lxml parsers, which are not safe to share between threads:
# two pages parsed at once (the fetcher's pool, a runner's threads) corrupted the heap, "munmap_chunk():
# invalid pointer". One page is parsed at a time in a process.
_ONE_PARSE = threading.Lock()


class InputRejected(Exception):
    """An input that cannot become an article. ``reason`` is from ``REJECT_REASONS``."""

    def __init__(self, input_name: str, stage: str, reason: str, detail: str = ""):
        if stage not in REJECT_STAGES:
            raise ValueError(f"unknown reject stage {stage!r}")
        if reason not in REJECT_REASONS:
            raise ValueError(f"unknown reject reason {reason!r}")
        super().__init__(f"{input_name}: {stage}/{reason}: {detail}")
        self.input = input_name
        self.stage = stage
        self.reason = reason
        self.detail = detail


@dataclass
class ParsedArticle:
    """An article as read, before cleaning."""
    input: str                      # the path (or path:line for .jsonl) it came from
    text: str
    source: str
    url: Optional[str] = None       # canonical URL, or the path relative to the input root
    canonical_url: Optional[str] = None
    title: Optional[str] = None
    authors: List[str] = field(default_factory=list)
    published_at: Optional[datetime] = None
    take_headline: bool = False     # plain text: the first line may be the headline
    fetched_url: Optional[str] = None   # a fetched page: the URL requested,
    final_url: Optional[str] = None     # the URL that answered (after redirects),
    feed_url: Optional[str] = None      # and the feed that listed it


def decode_bytes(data: bytes, *, input_name: str) -> str:
    """Decode file contents: UTF-8 (with or without BOM), UTF-16 with BOM, else detected.

    Raises:
        InputRejected: ``empty`` for no content, ``binary`` for NUL bytes or control
            characters, ``undecodable`` when no encoding fits.
    """
    if not data.strip():
        raise InputRejected(input_name, "read", "empty", f"{len(data)} bytes, no text")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise InputRejected(input_name, "read", "undecodable", f"bad UTF-16: {exc}") from exc
    head = data[:8192]
    controls = sum(1 for byte in head if byte < 32 and byte not in (9, 10, 12, 13))
    if b"\x00" in head or controls > len(head) * 0.05:
        raise InputRejected(input_name, "read", "binary", f"{controls} control bytes in the first {len(head)}")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:  # Western legacy encodings are by far the most common non-UTF-8 case.
        text = data.decode("cp1252")
        letters = [char for char in text if char.isalpha()]
        if letters and sum(1 for char in letters if "\u00c0" <= char <= "\u00ff") < 0.3 * len(letters):
            return text
    except UnicodeDecodeError:
        pass
    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        raise InputRejected(input_name, "read", "undecodable", "not UTF-8 and no other encoding fits")
    return str(best)


def read_text_article(text: str, *, input_name: str, source: str, url: Optional[str]) -> ParsedArticle:
    """A plain-text article, dated from its file name or a date line at its top when it has one.
    The cleaner decides whether its first line is the headline."""
    return ParsedArticle(input=input_name, text=text, source=source, url=url, take_headline=True,
                         published_at=text_publication_date(input_name, text))


def without_credentials(url: str) -> str:
    """``url`` without a ``user:password@`` part: credentials are never stored nor sent."""
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.rsplit("@", 1)[1]))


def normalise_url(url: Optional[str]) -> Optional[str]:
    """An absolute http(s) URL normalised with courlan: tracking parameters (``utm_*``, ``fbclid``,
    ``gclid``...) stripped, the parameters that name the page (``?storyId=2``) kept, credentials
    removed; None for anything else (another scheme, no host, a host name that cannot be a host)."""
    if not url or not url.lower().startswith(("http://", "https://")):
        return None
    try:
        normal = without_credentials(courlan.normalize_url(url, strict=False))
        host = urlsplit(normal).hostname
        if not host:
            return None
        host.encode("idna")   # a label over 63 characters, an empty label: not a host
        return normal
    except (ValueError, UnicodeError):
        return None


def parse_timestamp(value: Union[str, datetime, None], *, input_name: str, field_name: str) -> Optional[datetime]:
    """An ISO 8601 date or date-time as an aware UTC datetime; naive values are taken as UTC.

    Raises:
        InputRejected: ``bad_value`` when the value is not ISO 8601.
    """
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        parsed = value
    else:
        try:
            parsed = datetime.fromisoformat(str(value).strip().replace("Z", "+00:00"))
        except ValueError as exc:
            raise InputRejected(input_name, "parse", "bad_value", f"{field_name}={value!r} is not ISO 8601") from exc
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    try:
        return parsed.astimezone(timezone.utc)
    except OverflowError as exc:   # "9999-12-31T23:59:59-01:00" is past the last UTC instant
        raise InputRejected(input_name, "parse", "bad_value", f"{field_name}={value!r} is out of range") from exc


def load_lazy_tables() -> None:
    """Load now the tables the page readers' libraries load the first time a page needs them, and keep for
    the process: trafilatura's union of jusText's stop lists (its fallback extractor; some 20 MiB) and
    every dateparser locale's tables, which htmldate's extensive search reads (some 35 MiB; about a second). A
    long-running watcher calls it at start, so that its memory after start is its memory for good rather
    than a step up at whichever later tick first meets such a page (``bench/bench_freshness.py``). A library
    version without these functions is left to load them lazily, as before."""
    try:
        from htmldate.extractors import get_external_parser, month_words
        from trafilatura import external
    except ImportError:
        return
    if getattr(external, "JT_STOPLIST", "") is None and hasattr(external, "jt_stoplist_init"):
        external.jt_stoplist_init()
    month_words()
    get_external_parser().get_date_data("0 zzz")   # no locale reads it, so every one loads its tables


def drop_reader_caches() -> None:
    """Empty the page readers' libraries' caches (trafilatura's ``reset_caches``: its own, htmldate's, courlan's
    and charset_normalizer's), which fill over the first few hundred pages a process reads. A watcher calls
    it after every tick, so that they do not grow its memory over its first hundreds of ticks (they only
    speed up reading; what is read does not depend on them). The tables :func:`load_lazy_tables` loads
    are kept."""
    import logging

    from trafilatura.meta import reset_caches

    # htmldate logs an ERROR on every call with this charset_normalizer, whose functions have no cache_clear
    quiet = logging.getLogger("htmldate.meta")
    level = quiet.level
    quiet.setLevel(logging.CRITICAL)
    try:
        with _ONE_PARSE:
            reset_caches()
    finally:
        quiet.setLevel(level)


def extract_document(html: str, *, url: Optional[str] = None):
    """trafilatura's main text and metadata of a page, with the options the pipeline uses (None when
    it finds nothing)."""
    return trafilatura.bare_extraction(
        html, url=url if url and url.startswith("http") else None, with_metadata=True,
        include_comments=False, include_tables=True, deduplicate=False)


def read_html_article(html: str, *, input_name: str, source: str, url: Optional[str] = None,
                      spent: Optional[Dict[str, float]] = None) -> ParsedArticle:
    """Main text and metadata of an HTML page, by trafilatura; htmldate when it finds no date.

    ``spent``, when given, has the seconds trafilatura's extraction took added to its ``"html"``: the
    pipeline times that apart, the part of reading that its floor (``bench/``) measures too.

    Raises:
        InputRejected: ``extraction_empty`` when trafilatura finds no main text.
    """
    if not html.strip():
        raise InputRejected(input_name, "read", "empty", "no HTML")
    with _ONE_PARSE:
        start = time.perf_counter()
        document = extract_document(html, url=url)
        if spent is not None:
            spent["html"] = spent.get("html", 0.0) + time.perf_counter() - start
        if document is None or not (document.text or "").strip():
            raise InputRejected(input_name, "parse", "extraction_empty", "trafilatura found no main text")
        date = document.date or htmldate.find_date(html, extensive_search=False, original_date=True)
    canonical = normalise_url(document.url) or normalise_url(url)
    authors = [name.strip() for name in (document.author or "").split(";") if name.strip()]
    published = None
    if date:
        try:
            published = parse_timestamp(date, input_name=input_name, field_name="date")
        except InputRejected:
            published = None  # a page's own odd date string is not a reason to lose the page
    site = document.hostname or (courlan.get_hostinfo(canonical)[1] if canonical else None)
    site = (site or "").removeprefix("https://").removeprefix("http://").removeprefix("www.") or source
    return ParsedArticle(
        input=input_name, text=document.text, source=site, url=canonical or url,
        canonical_url=canonical, title=document.title or None, authors=authors,
        published_at=published)


def read_jsonl_articles(text: str, *, input_name: str, source: str,
                        spent: Optional[Dict[str, float]] = None) -> Iterator[Union[ParsedArticle, InputRejected]]:
    """One article per line: ``url``, ``title``, ``text`` or ``html``, optional ``published_at``
    (``spent``: as in :func:`read_html_article`).

    Yields:
        a :class:`ParsedArticle` per good line and an :class:`InputRejected` per bad
        one (named ``path:line``), so one bad line costs only itself.
    """
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        name = f"{input_name}:{number}"
        try:
            yield _jsonl_record(line, name=name, source=source, spent=spent)
        except InputRejected as rejected:
            yield rejected
        except (ValueError, OverflowError, UnicodeError, RecursionError) as exc:   # a value no rule foresaw
            yield InputRejected(name, "parse", "bad_value", f"{type(exc).__name__}: {exc}"[:300])


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _jsonl_record(line: str, *, name: str, source: str, spent: Optional[Dict[str, float]]) -> ParsedArticle:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise InputRejected(name, "parse", "bad_json", str(exc)) from exc
    if not isinstance(record, dict):
        raise InputRejected(name, "parse", "bad_json", f"a JSON {type(record).__name__}, not an object")
    for key in ("url", "title", "text", "html", "published_at", "source"):
        if record.get(key) is not None and not isinstance(record[key], str):
            raise InputRejected(name, "parse", "bad_value", f"{key} must be a string")
        if record.get(key) and _LONE_SURROGATE.search(record[key]):   # "\ud800": no UTF-8 can hold it
            raise InputRejected(name, "parse", "bad_value", f"{key} holds a lone surrogate escape (\\ud800-\\udfff)")
    url = record.get("url") or None
    published = parse_timestamp(record.get("published_at"), input_name=name, field_name="published_at")
    canonical = normalise_url(url)
    outlet = record.get("source") or (courlan.get_hostinfo(canonical)[1].split("//")[-1].removeprefix("www.") if canonical else source)
    if (record.get("text") or "").strip():
        article = ParsedArticle(input=name, text=record["text"], source=outlet, url=url, canonical_url=canonical)
    elif (record.get("html") or "").strip():
        article = read_html_article(record["html"], input_name=name, source=outlet, url=url, spent=spent)
        article.source = record.get("source") or article.source
    else:
        raise InputRejected(name, "parse", "missing_field", "needs a non-empty 'text' or 'html'")
    article.title = record.get("title") or article.title
    article.published_at = published or article.published_at
    authors = record.get("authors")
    if isinstance(authors, list):
        article.authors = [str(author) for author in authors if author]
    return article


def read_input(
    path: str,
    *,
    root: str,
    opener: Callable[[str], BinaryIO],
    spent: Optional[Dict[str, float]] = None,
) -> Iterator[Union[ParsedArticle, InputRejected]]:
    """Read one input file into articles.

    Args:
        path: the file to read.
        root: the input root; local URLs are paths relative to it and the source is its name.
        opener: opens ``path`` for binary reading (``open`` locally, Beam's
            ``FileSystems.open`` in a pipeline).
        spent: where to add the seconds trafilatura's extraction takes (``read_html_article``).

    Yields:
        :class:`ParsedArticle` records, and :class:`InputRejected` for bad ``.jsonl`` lines.

    Raises:
        InputRejected: the whole file cannot be read as articles.
    """
    extension = os.path.splitext(path)[1].lower()
    if extension not in TEXT_EXTENSIONS + HTML_EXTENSIONS + JSONL_EXTENSIONS:
        raise InputRejected(path, "read", "unknown_type", f"no reader for {extension or 'files without an extension'!r}")
    try:
        with opener(path) as handle:
            data = handle.read(MAX_INPUT_BYTES + 1)
    except IsADirectoryError as exc:
        raise InputRejected(path, "read", "not_a_file", "a directory") from exc
    except FileNotFoundError as exc:
        raise InputRejected(path, "read", "not_found", str(exc)) from exc
    except OSError as exc:
        raise InputRejected(path, "read", "not_a_file", f"{type(exc).__name__}: {exc}") from exc
    if len(data) > MAX_INPUT_BYTES:
        raise InputRejected(path, "read", "binary", f"larger than {MAX_INPUT_BYTES} bytes")
    text = decode_bytes(data, input_name=path)
    source = os.path.basename(os.path.normpath(root)) or "local"
    relative = os.path.relpath(path, root) if root else os.path.basename(path)
    if extension in TEXT_EXTENSIONS:
        yield read_text_article(text, input_name=path, source=source, url=relative)
    elif extension in HTML_EXTENSIONS:
        yield read_html_article(text, input_name=path, source=source, url=relative, spent=spent)
    else:
        yield from read_jsonl_articles(text, input_name=path, source=source, spent=spent)
