"""Where benchmark scripts put their figures: printed, and saved as bench/results/<name>.json."""
from __future__ import annotations

import json
import os

RESULTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "results")


def report(name: str, figures: dict) -> None:
    os.makedirs(RESULTS, exist_ok=True)
    with open(os.path.join(RESULTS, f"{name}.json"), "w", encoding="utf-8") as handle:
        json.dump(figures, handle, indent=2)
    for key, value in figures.items():
        print(f"{key:32} {value}")
