# SPDX-License-Identifier: GPL-3.0-or-later
"""`red-steward gui` (and no command at all): the window. The only command that imports Qt,
and only when it runs."""

from __future__ import annotations

import argparse
from typing import Any

from desktop.cli.common import data_dir


def add_commands(sub: Any, common: argparse.ArgumentParser) -> None:
    gui = sub.add_parser("gui", parents=[common], help="open the window (the default)")
    gui.add_argument("--demo-if-empty", action="store_true", default=argparse.SUPPRESS)
    gui.set_defaults(handler=cmd_gui)


def cmd_gui(args: argparse.Namespace) -> int:
    from desktop.views.app import run_gui

    return run_gui(
        data_dir=data_dir(args),
        language=getattr(args, "lang", None),
        demo_if_empty=getattr(args, "demo_if_empty", False),
    )
