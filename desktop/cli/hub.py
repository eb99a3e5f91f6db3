# SPDX-License-Identifier: GPL-3.0-or-later
"""`red-steward hub …`: set up and run the town hub's HTTP service. Headless; no Qt.

The hub is a replica like any other (same sync core), with a web service in front. Its data is
the SQLite file in the data folder, or a PostgreSQL database (`--db postgresql://…`, given to
`hub init` or `hub serve` once; the folder remembers it, sealed with the data key).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from desktop.cli.common import open_services, out
from desktop.i18n import _


def add_commands(subparsers: Any, common: argparse.ArgumentParser) -> None:
    hub = subparsers.add_parser("hub", parents=[common], help="the town hub (HTTP sync service)")
    hsub = hub.add_subparsers(dest="action", metavar="ACTION", required=True)
    init = hsub.add_parser(
        "init", parents=[common], help="make this data folder a hub: keys and card"
    )
    init.add_argument("--card-out", metavar="FILE", help="also write the hub's card here")
    init.add_argument(
        "--name",
        metavar="NAME",
        default=None,
        help="the hub's name, shown on every PC it serves (default: its role, then its branch)",
    )
    init.add_argument(
        "--db",
        metavar="URL",
        help="keep the hub's data on this PostgreSQL "
        "server (postgresql://user:password@host/dbname) instead of a file in the "
        "data folder; remembered by the folder",
    )
    serve = hsub.add_parser("serve", parents=[common], help="run the hub's HTTP service")
    serve.add_argument("--host", default="127.0.0.1", metavar="HOST")
    serve.add_argument("--port", type=int, default=8765, metavar="N")
    serve.add_argument(
        "--db",
        metavar="URL",
        help="the hub's database: the SQLite file in the "
        "data folder (default), or a PostgreSQL server "
        "(postgresql://user:password@host/dbname), remembered by the folder",
    )
    init.set_defaults(handler=cmd_hub_init)
    serve.set_defaults(handler=cmd_hub_serve)


def cmd_hub_init(args: argparse.Namespace) -> int:
    service = open_services(args, create=True, server=_server(args), actor_name="hub").sync
    service.first_role("hub")
    if args.name is not None:
        service.name_this_pc(args.name)
    replica_id, name, fingerprint = service.me()
    out(_("Hub {name} ({id}) is ready.").format(name=name, id=replica_id))
    out(_("Fingerprint: {fingerprint}").format(fingerprint=fingerprint))
    if args.card_out:
        path = service.write_card(Path(args.card_out).expanduser())
        out(
            _("Wrote the card of {name} ({id}) to {path}.").format(
                name=name, id=replica_id, path=path
            )
        )
    return 0


def cmd_hub_serve(args: argparse.Namespace) -> int:
    from desktop.sync import errors

    try:
        from desktop.hub.app import serve
    except ImportError as error:  # fastapi/uvicorn are the `hub` extra
        raise errors.HubNotInstalled() from error
    services = open_services(args, create=True, server=_server(args), actor_name="hub")
    db = services.db
    services.sync.first_role("hub")
    replica_id, name, fingerprint = services.sync.me()
    out(
        _("Hub {name} ({id}) serving on http://{host}:{port}/ · fingerprint {fingerprint}").format(
            name=name, id=replica_id, host=args.host, port=args.port, fingerprint=fingerprint
        )
    )
    out(_("Data: {where}").format(where=db.server_url or db.path))
    serve(db, args.host, args.port)
    return 0


def _server(args: argparse.Namespace) -> str | None:
    """`--db`: a server address, or None for the data folder's own file (also `sqlite:…`)."""
    from desktop.models.store import server_store

    return args.db if server_store.is_server_url(args.db) else None
