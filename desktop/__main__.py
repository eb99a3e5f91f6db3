# SPDX-License-Identifier: GPL-3.0-or-later
"""The composition root: `red-steward` and `python -m desktop` start here."""

from __future__ import annotations

import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    from desktop.cli.main import main as cli_main

    return cli_main(argv)


if __name__ == "__main__":
    sys.exit(main())
