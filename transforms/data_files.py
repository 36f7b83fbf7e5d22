"""Reading the packaged data files (rules, lexicons, dictionaries) from ``transforms/data``."""
from __future__ import annotations

import json
from importlib import resources
from typing import List, Optional, Type

PACKAGE = "transforms.data"


def data_text(name: str) -> str:
    """The text of a packaged data file, e.g. ``"dictionaries/CAMEO.2.0.txt"``."""
    return resources.files(PACKAGE).joinpath(name).read_text("utf-8", errors="replace")


def data_lines(name: str) -> List[str]:
    return data_text(name).splitlines()


def load_versioned_json(path: Optional[str], default: str, list_key: str, *, what: str,
                        error: Type[ValueError]) -> dict:
    """A JSON data file with a ``version`` and a list under ``list_key``: the user's ``path``, else
    the packaged ``default``.

    Raises:
        error: the file is not JSON, or lacks the version or the list (the message names ``what``).
    """
    if path:
        with open(path, encoding="utf-8") as handle:
            raw = handle.read()
    else:
        raw = data_text(default)
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise error(f"{what} file is not valid JSON: {exc}") from exc
    if not isinstance(data, dict) or not data.get("version") or not isinstance(data.get(list_key), list):
        raise error(f"{what} file needs a 'version' and a list of '{list_key}'")
    return data
