"""Reading the packaged data files (rules, lexicons, dictionaries) from ``transforms/data``."""
from __future__ import annotations

from importlib import resources
from typing import List

PACKAGE = "transforms.data"


def data_text(name: str) -> str:
    """The text of a packaged data file, e.g. ``"dictionaries/CAMEO.2.0.txt"``."""
    return resources.files(PACKAGE).joinpath(name).read_text("utf-8", errors="replace")


def data_lines(name: str) -> List[str]:
    return data_text(name).splitlines()
