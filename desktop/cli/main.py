# SPDX-License-Identifier: GPL-3.0-or-later
"""The `red-steward` command line: parses, calls the services, prints; Qt only for the window.

As calibre's `calibre/db/cli`: one module per command group, each adding its sub-commands to the
parser, listed in the table `GROUPS` below (a new area adds its module there; nothing is looked
up by name). Each command stores its handler in the parsed arguments (`handler`). The modules
share `desktop.cli.common` and never import this module back.

The command names and options are a contract with the town centre's scripts: add, never break.
Errors are printed as translated lines on stderr; a `UserError` exits 1, a usage error 2.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from types import ModuleType

from desktop import __version__, i18n, logfile, paths
from desktop.cli import (
    assessment,
    branch,
    changes,
    groups,
    gui,
    households,
    hub,
    meetings,
    members,
    printing,
    roster,
    security,
    selftest,
    service_log,
    stewards,
    sync,
    tabular,
)
from desktop.cli.common import close_opened, data_dir, report
from desktop.errors import UserError

#: The command groups, in the order `--help` lists them. Each module has
#: `add_commands(subparsers, common)`, and imports heavy libraries inside its handlers only.
GROUPS: tuple[ModuleType, ...] = (
    gui,  # gui
    branch,  # init, demo
    members,  # members list|show|add|set|remove|restore
    groups,  # groups list
    changes,  # changes list
    printing,  # print board|roster|members
    tabular,  # import members|households, export
    security,  # backup, restore, users …, recover, audit
    sync,  # sync …
    hub,  # hub init|serve
    roster,  # roster generate|list|show
    service_log,  # service list|sum|add
    stewards,  # stewards list
    households,  # households list
    assessment,  # assessment rules|scorers|scores|results|finalise|reopen
    meetings,  # meetings plan|list|show|add|attend|decide|decisions
    selftest,  # selftest
)


def _common() -> argparse.ArgumentParser:
    """Options every command takes, before or after the command name."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--data-dir",
        metavar="DIR",
        default=argparse.SUPPRESS,
        help=f"folder of the data (default: the user data folder, or ${paths.DATA_ENV})",
    )
    common.add_argument(
        "--lang",
        choices=i18n.LANGUAGES,
        default=argparse.SUPPRESS,
        help="language of the window and the messages (default: zh_CN)",
    )
    return common


def build_parser() -> argparse.ArgumentParser:
    """The whole command line; each command's handler ends up in the parsed `handler`."""
    common = _common()
    parser = argparse.ArgumentParser(
        prog="red-steward",
        description="Red Steward (红色管家): the village party branch's register. "
        "With no command, opens the window.",
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"red-steward {__version__}")
    parser.add_argument(
        "--demo-if-empty",
        action="store_true",
        help="open the window with the demo branch when there is no data yet",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for group in GROUPS:
        group.add_commands(sub, common)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command not in (None, "gui"):
        # Headless: messages in the chosen language (Simplified Chinese by default).
        i18n.set_language(getattr(args, "lang", None) or i18n.DEFAULT_LANGUAGE)
        # Details (SQLite's words about a damaged file…) go to the log file, not to stderr.
        logfile.setup_cli_logging(data_dir(args))
    handler = getattr(args, "handler", gui.cmd_gui)
    try:
        return int(handler(args))
    except UserError as error:
        report(error)
        return error.exit_code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (`| head`): stop quietly, as Unix tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    finally:
        close_opened()
