"""Reading packaged data files (rules, lexicons, dictionaries): each room keeps its own in ``<room>/data``."""
from __future__ import annotations

import json
from importlib import resources
from typing import List, Optional, Tuple, Type


def data_text(package: str, name: str) -> str:
    """The text of data file ``name`` of ``package``, e.g. ``("transforms.extract.data",
    "dictionaries/CAMEO.2.0.txt")``."""
    return resources.files(package).joinpath(name).read_text("utf-8", errors="replace")


def data_lines(package: str, name: str) -> List[str]:
    return data_text(package, name).splitlines()


def load_versioned_json(path: Optional[str], default: Tuple[str, str], list_key: str, *, what: str,
                        error: Type[ValueError]) -> dict:
    """A JSON data file with a ``version`` and a list under ``list_key``: the user's ``path``, else
    the packaged ``default`` (``(package, name)``).

    Raises:
        error: the file is not JSON, or lacks the version or the list (the message names ``what``).
    """
    if path:
        with open(path, encoding="utf-8") as handle:
            raw = handle.read()
    else:
        raw = data_text(*default)
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise error(f"{what} file is not valid JSON: {exc}") from exc
    if not isinstance(data, dict) or not data.get("version") or not isinstance(data.get(list_key), list):
        raise error(f"{what} file needs a 'version' and a list of '{list_key}'")
    return data
