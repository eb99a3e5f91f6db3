# SPDX-License-Identifier: GPL-3.0-or-later
"""`red-steward init` and `red-steward demo`: a data file with a branch in it."""

from __future__ import annotations

import argparse
from typing import Any

from desktop.cli.common import open_services, out
from desktop.errors import UserError
from desktop.i18n import _


def add_commands(sub: Any, common: argparse.ArgumentParser) -> None:
    init = sub.add_parser("init", parents=[common], help="create an empty branch")
    init.add_argument("--branch", required=True, metavar="NAME", help="the branch's full name")
    init.add_argument("--town", required=True, metavar="NAME")
    init.add_argument("--county", required=True, metavar="NAME")
    init.add_argument("--phone", default="", metavar="PHONE", help="the branch's public phone")
    init.set_defaults(handler=cmd_init)

    demo = sub.add_parser(
        "demo", parents=[common], help="load the demo branch (running it twice duplicates nothing)"
    )
    demo.set_defaults(handler=cmd_demo)


def cmd_init(args: argparse.Namespace) -> int:
    services = open_services(args, create=True)
    folder = services.db.path.parent
    existing = services.branches.current()
    if existing is not None:
        raise UserError(
            _("{path} already holds the branch {name}.").format(path=folder, name=existing.name)
        )
    branch = services.branches.create(args.branch, args.town, args.county, args.phone)
    out(_("Created the branch {name} in {path}.").format(name=branch.name, path=folder))
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    services = open_services(args, create=True)
    folder = services.db.path.parent
    created, branch = services.demo.load()
    if created:
        out(_("Loaded the demo branch {name} into {path}.").format(name=branch.name, path=folder))
    else:
        out(
            _("The demo branch {name} is already in {path}; nothing was added.").format(
                name=branch.name, path=folder
            )
        )
    return 0
