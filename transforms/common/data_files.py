"""Reading packaged data files (rules, lexicons, dictionaries): each room keeps its own in ``<room>/data``."""
from __future__ import annotations

import json
from importlib import resources
from typing import Collection, Iterable, Iterator, List, Optional, Tuple, Type


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


def classified_rows(lines: Iterable[str], source: str, classes: Collection[str], *,
                    class_first: bool = False) -> Iterator[Tuple[str, str]]:
    """``(word, class)`` for each row of a two-column table of words and their classes (``word<TAB>class``, or
    ``class<TAB>word`` with ``class_first``), words in lower case; ``#`` comments and blank lines skipped.

    Raises:
        ValueError: a row without two columns or with a class not in ``classes`` (the message names the row).
    """
    for number, line in enumerate(lines, 1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.rstrip("\n").split("\t")
        if len(parts) == 2:
            word, kind = (parts[1], parts[0]) if class_first else (parts[0], parts[1])
            if kind in classes and word.strip():
                yield word.strip().lower(), kind
                continue
        layout = "class<TAB>word" if class_first else "word<TAB>class"
        raise ValueError(f"{source}:{number}: not a {layout} row with a known class: {line!r}")
