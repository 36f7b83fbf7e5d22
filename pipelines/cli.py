"""The ``newsevents`` console script.

    newsevents run --input seeds --output output   # the pipeline
    newsevents --input seeds --output output       # the same: "run" is the default
"""
from __future__ import annotations

import sys
from typing import List, Optional

from pipelines import news_events

COMMANDS = {"run": news_events.main}


def main(argv: Optional[List[str]] = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] in COMMANDS:
        return COMMANDS[argv[0]](argv[1:])
    if argv and not argv[0].startswith("-"):
        print(f"newsevents: error: unknown command {argv[0]!r} (commands: {', '.join(COMMANDS)})",
              file=sys.stderr)
        return 2
    return news_events.main(argv)


if __name__ == "__main__":
    sys.exit(main())
