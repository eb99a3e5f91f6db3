# SPDX-License-Identifier: GPL-3.0-or-later
"""The hub's HTTP service (FastAPI): the same sealed bundles as the USB stick, over the network.

- `GET /card`: the hub's card (public: ids and public keys only).
- `POST /exchange`: the body is a sealed bundle from a trusted replica addressed to the hub. The hub
  imports it (all the usual checks: signature, recipient, trust, versions) and answers with a
  sealed bundle of everything that replica lacks, encrypted for it. Requests are authenticated by
  the bundle's signature; a retry after a lost answer is recognised (replay) and still answered.
  With an `X-Red-Steward-Limit: N` request header (clients since rounds), the answer carries at
  most about N entries and its summary header says how many still wait (`waiting`): the client
  asks again until nothing is left. Without it (older clients), everything comes at once.

FastAPI and uvicorn are imported only here; this module is imported only by `red-steward hub
serve` (and the tests).
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import FastAPI, Request, Response
from starlette.concurrency import run_in_threadpool

from desktop.models.store.db import Database
from desktop.sync import bundle, errors, exchange
from desktop.sync.service import SyncService

#: The largest request accepted (a whole branch is well under 1 MB; a county's first copy is not).
MAX_REQUEST = 256 * 1024 * 1024
_STATUS = {
    "BundleUntrusted": 403,
    "BundleForeign": 421,
    "BundleTooNew": 426,
    "BundleTooOld": 426,
    "ChangeCollision": 409,
    "ChangeForged": 403,
}


#: The largest per-round limit a client may ask for (a larger one is lowered to this).
MAX_LIMIT = 50_000


def exchange_once(
    db: Database, data: bytes, limit: int | None = None
) -> tuple[int, bytes, dict[str, Any]]:
    """Import a replica's bundle and seal the answer: (HTTP status, body, summary).

    `limit`: at most about that many entries in the answer (`exchange.bounded`), and the summary
    says how many still wait; None: everything the replica lacks."""
    summary: dict[str, Any] = {}
    try:
        result = exchange.import_bundle(db, data, "HTTP", backup_first=False)
        summary = {
            "entries_new": result.entries_new,
            "records_added": result.records_added,
            "fields_updated": result.fields_updated,
            "conflicts": result.conflicts,
            "entries_refused": result.entries_refused,
        }
    except errors.BundleReplayed:
        summary = {"replayed": True}  # verified, already applied: answer all the same
    except errors.SyncError as error:
        status = _STATUS.get(type(error).__name__, 400)
        body = json.dumps(
            {"code": type(error).__name__, "message": error.message}, ensure_ascii=False
        ).encode()
        return status, body, {}
    sender = bundle.parse(data, "HTTP").header.sender
    if limit is None:
        sealed, count = exchange.export_bytes(db, sender)
        waiting = 0
    else:
        batch = exchange.export_batch(db, sender, min(max(1, limit), MAX_LIMIT))
        sealed, count, waiting = batch.data, batch.entries, batch.waiting
    summary["entries_sent"] = count
    summary["waiting"] = waiting
    return 200, sealed, summary


def _limit(text: str | None) -> int | None:
    """The client's per-round limit (None: an older client, which gets everything at once)."""
    try:
        return max(1, int(text)) if text else None
    except ValueError:
        return None


def make_app(db: Database) -> FastAPI:
    app = FastAPI(title="Red Steward hub", docs_url=None, redoc_url=None, openapi_url=None)
    service = SyncService(db, actor="hub")

    @app.get("/card")
    def card() -> Response:
        return Response(service.card(), media_type="application/json")

    @app.post("/exchange")
    async def post_exchange(request: Request) -> Response:
        data = bytearray()
        async for chunk in request.stream():
            data.extend(chunk)
            if len(data) > MAX_REQUEST:
                return Response(
                    b'{"code": "TooLarge"}', status_code=413, media_type="application/json"
                )
        limit = _limit(request.headers.get("X-Red-Steward-Limit"))
        status, body, summary = await run_in_threadpool(exchange_once, db, bytes(data), limit)
        if status != 200:
            return Response(body, status_code=status, media_type="application/json")
        return Response(
            body,
            media_type="application/octet-stream",
            headers={"X-Red-Steward-Summary": json.dumps(summary)},
        )

    return app


def serve(db: Database, host: str, port: int) -> None:
    import uvicorn

    uvicorn.run(make_app(db), host=host, port=port, log_level="warning")
