"""From a parsed article to an ``articles`` row: clean, identify, measure (no Beam)."""
from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Optional

from schemas import ArticleRecord
from transforms.common.ids import stable_id
from transforms.ingest.cleaning import (
    BoilerplateRules,
    clean_article_text,
    count_words,
    dedupe_authors,
    normalise_for_hash,
)
from transforms.ingest.language import detect_language
from transforms.ingest.readers import InputRejected, ParsedArticle

DEFAULT_MIN_WORDS = 40
def article_id_for(*, canonical_url: Optional[str], text: str) -> str:
    """From the canonical URL when there is one, otherwise from the normalised content."""
    if canonical_url:
        return stable_id("url", canonical_url)
    return stable_id("text", normalise_for_hash(text))


def build_article(
    parsed: ParsedArticle,
    *,
    rules: BoilerplateRules,
    run_id: str,
    ingested_at: datetime,
    min_words: int = DEFAULT_MIN_WORDS,
) -> ArticleRecord:
    """Clean a parsed article and make its ``articles`` row.

    Raises:
        InputRejected: stage ``clean``, reason ``too_short`` when fewer than
            ``min_words`` words remain after cleaning.
    """
    cleaned = clean_article_text(parsed.text, rules=rules, title=parsed.title,
                                 take_headline=parsed.take_headline)
    words = count_words(cleaned.text)
    if words < min_words:
        raise InputRejected(parsed.input, "clean", "too_short",
                            f"{words} words after cleaning; an article needs {min_words}")
    return ArticleRecord(
        article_id=article_id_for(canonical_url=parsed.canonical_url, text=cleaned.text),
        url=parsed.url,
        source=parsed.source,
        title=cleaned.title,
        authors=dedupe_authors(list(parsed.authors) + cleaned.authors),
        published_at=parsed.published_at,
        language=detect_language(cleaned.text),
        text=cleaned.text,
        word_count=words,
        content_sha256=hashlib.sha256(cleaned.text.encode("utf-8")).hexdigest(),
        ingested_at=ingested_at,
        run_id=run_id,
        input_path=None if parsed.fetched_url else parsed.input,
        fetched_url=parsed.fetched_url,
        final_url=parsed.final_url,
        feed_url=parsed.feed_url,
    )
