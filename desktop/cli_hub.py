# SPDX-License-Identifier: GPL-3.0-or-later
"""`red-steward hub …`: set up and run the town hub's HTTP service. Headless; no Qt.

The hub is a replica like any other (same data file, same sync core), with a web service in
front. It stays on SQLite here; PostgreSQL (`--db`) is not built yet (docs/sync.md).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from desktop.cli import Handler, open_database, out
from desktop.i18n import _


def add_commands(
    subparsers: Any, common: argparse.ArgumentParser
) -> dict[tuple[str, str | None], Handler]:
    hub = subparsers.add_parser("hub", parents=[common], help="the town hub (HTTP sync service)")
    hsub = hub.add_subparsers(dest="action", metavar="ACTION", required=True)
    init = hsub.add_parser("init", parents=[common], help="make this data folder a hub: keys "
                           "and card")
    init.add_argument("--card-out", metavar="FILE", help="also write the hub's card here")
    serve = hsub.add_parser("serve", parents=[common], help="run the hub's HTTP service")
    serve.add_argument("--host", default="127.0.0.1", metavar="HOST")
    serve.add_argument("--port", type=int, default=8765, metavar="N")
    serve.add_argument("--db", metavar="URL", help="the hub's database (today only the default: "
                       "SQLite in the data folder; PostgreSQL is planned)")
    return {("hub", "init"): cmd_hub_init, ("hub", "serve"): cmd_hub_serve}


def cmd_hub_init(args: argparse.Namespace) -> int:
    from desktop.sync.service import SyncService

    service = SyncService(open_database(args, create=True), "hub")
    replica_id, name, fingerprint = service.me()
    out(_("Hub {name} ({id}) is ready.").format(name=name, id=replica_id))
    out(_("Fingerprint: {fingerprint}").format(fingerprint=fingerprint))
    if args.card_out:
        path = service.write_card(Path(args.card_out).expanduser())
        out(_("Wrote the card of {name} ({id}) to {path}.").format(
            name=name, id=replica_id, path=path))
    return 0


def cmd_hub_serve(args: argparse.Namespace) -> int:
    from desktop.sync import errors

    try:
        from desktop.hub.app import serve
    except ImportError as error:  # fastapi/uvicorn are the `hub` extra
        raise errors.HubNotInstalled() from error
    if args.db and not args.db.startswith("sqlite"):
        raise errors.HubDatabaseUnsupported(args.db.split(":", 1)[0])
    db = open_database(args, create=True)
    from desktop.sync.service import SyncService

    replica_id, name, fingerprint = SyncService(db, "hub").me()
    out(_("Hub {name} ({id}) serving on http://{host}:{port}/ · fingerprint {fingerprint}").format(
        name=name, id=replica_id, host=args.host, port=args.port, fingerprint=fingerprint))
    serve(db, args.host, args.port)
    return 0
