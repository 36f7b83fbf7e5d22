"""The duplicates log (``_runs/<run_id>.duplicates.jsonl``): one JSON object per input that was
not an article of its own. A log, not a table; its shape is declared here all the same."""
from typing import Optional

#: ``why`` of a duplicate that an earlier run published (``duplicates_published`` in the manifest).
PUBLISHED_BEFORE = "published before"


def duplicate_record(duplicate_input: str, duplicate_of: Optional[str], kept_input: Optional[str],
                     why: str) -> dict:
    """An input that is not an article of its own, and what it duplicates."""
    return {"input": duplicate_input, "duplicate_of": duplicate_of, "kept_input": kept_input, "why": why}
