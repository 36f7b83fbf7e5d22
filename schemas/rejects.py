"""The ``rejects`` table: every input that did not become an article, and why."""
from typing import NamedTuple

import pyarrow as pa

REJECT_STAGES = frozenset({"read", "parse", "clean", "extract", "fetch", "write"})

#: The fixed set of reasons. ``detail`` carries the specifics.
REJECT_REASONS = frozenset({
    "not_found",         # the path vanished between listing and reading
    "not_a_file",        # a directory or other non-regular file
    "unknown_type",      # no reader for this file extension
    "empty",             # zero bytes, or only whitespace
    "binary",            # NUL bytes or other signs of a non-text file
    "undecodable",       # not valid in any encoding we accept
    "bad_json",          # a .jsonl line that is not a JSON object
    "missing_field",     # a .jsonl record without text or html
    "bad_value",         # a field with a value of the wrong type or format
    "extraction_empty",  # HTML in which no main text was found
    "too_short",         # fewer words than an article needs
    "nlp_error",         # the NLP stage failed on this article (a reject, not an article: the next run tries it again)
    # fetching (stage "fetch")
    "bad_url",           # not an http(s) URL
    "blocked_address",   # the SSRF guard: a loopback, private, link-local or metadata address
    "robots_disallowed", # robots.txt forbids it
    "timeout",           # no answer, or an answer slower than the deadline
    "connection_error",  # refused, reset, or a name that does not resolve
    "http_404",          # 404 or 410
    "http_4xx",          # another client error
    "http_429",          # still rate-limited after the retries
    "http_5xx",          # still failing after the retries
    "too_many_redirects",
    "too_large",         # over the body size cap (after decompression)
    "not_html",          # a content type that is not a page (a PDF, an image...)
    "feed_malformed",    # a feed feedparser could not read, with no entries
    "feed_empty",        # a feed with no entries
})

REJECTS_SCHEMA = pa.schema([
    pa.field("input", pa.string(), nullable=False),
    pa.field("stage", pa.string(), nullable=False),
    pa.field("reason", pa.string(), nullable=False),
    pa.field("detail", pa.string()),
    pa.field("run_id", pa.string(), nullable=False),
])


class RejectRecord(NamedTuple):
    input: str
    stage: str
    reason: str
    detail: str
    run_id: str = ""
