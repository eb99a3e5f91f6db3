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

import asyncio
import hashlib
import json
import tempfile
import uuid
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from fastapi import FastAPI, Request, Response
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

from desktop.i18n import N_, _
from desktop.models.store.db import Database
from desktop.models.store.sync_state import SyncPeer
from desktop.sync import bundle, errors, exchange, http, identity
from desktop.sync.service import SyncService

#: Where a bundle the hub refuses came from, in the refusal's words ("the bundle … comes from a
#: PC this one does not trust"): there is no file name to give.
SENT_OVER_NETWORK = N_("(sent over the network)")

#: The largest request accepted: a round of `MAX_LIMIT` entries fits well within it (a county's
#: first copy comes in rounds). Bodies are read in chunks and refused as soon as they pass it.
MAX_REQUEST = 64 * 1024 * 1024
#: Exchanges applied at the same time on a database server (each is a write transaction; more
#: only queue up). A data file has one writer at a time: there they are applied one by one, so
#: that a long import never makes another wait past SQLite's busy timeout.
MAX_EXCHANGES = 2
#: Connections uvicorn serves at once; beyond that it answers 503 without reading anything.
MAX_CONNECTIONS = 32
#: How much of a request's body stays in memory while it arrives; the rest waits on disk.
_SPOOL_IN_MEMORY = 1024 * 1024
_STATUS = {
    "BundleUntrusted": 403,
    "BundleForeign": 421,
    "BundleTooNew": 426,
    "BundleTooOld": 426,
    "ChangeCollision": 409,
    "ChangeForged": 403,
}


_NOT_SIGNED = N_(
    "The request is not signed by a PC this hub trusts. Update Red Steward on that PC, and "
    "trust its card on the hub."
)
_TOO_LARGE = N_("The request is larger than the hub accepts. Sync in smaller rounds (--batch).")

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
        result = exchange.import_bundle(db, data, _(SENT_OVER_NETWORK), backup_first=False)
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
    sender = bundle.parse(data, _(SENT_OVER_NETWORK)).header.sender
    if limit is None:
        sealed, count = exchange.export_bytes(db, sender)
        waiting = 0
    else:
        batch = exchange.export_batch(db, sender, min(max(1, limit), MAX_LIMIT))
        sealed, count, waiting = batch.data, batch.entries, batch.waiting
    summary["entries_sent"] = count
    summary["waiting"] = waiting
    return 200, sealed, summary


def _refusal(status: int, code: str, message: str) -> Response:
    body = json.dumps({"code": code, "message": message}, ensure_ascii=False).encode()
    # Close the connection: the rest of an unread body is not worth reading.
    return Response(
        body, status_code=status, media_type="application/json", headers={"Connection": "close"}
    )


def authenticate(db: Database, headers: Any) -> tuple[int, str, str, bytes]:
    """Check a request from its headers alone, before its body is read: the sender is a trusted
    replica (or continues one, `identity.trust_successor`) and its key signed the body's hash.

    Returns (0, "", "", the body's expected SHA-256) when it holds, else a refusal (status,
    code, message, b"")."""
    try:
        sender = uuid.UUID(headers.get(http.SENDER, ""))
        body_hash = bytes.fromhex(headers.get(http.BODY_HASH, ""))
        signature = identity.unb64(headers.get(http.SIGNATURE, ""))
        continues = [uuid.UUID(c) for c in headers.get(http.CONTINUES, "").split(",") if c]
        if len(body_hash) != 32:
            raise ValueError("hash")
    except (ValueError, TypeError):
        return 401, "Unauthenticated", _(_NOT_SIGNED), b""
    with db.read() as session:
        keys = [
            key
            for peer_id in (sender, *continues)
            if (key := session.scalar(select(SyncPeer.sign_public).where(SyncPeer.id == peer_id)))
        ]
    if not keys:
        return (
            403,
            "BundleUntrusted",
            errors.BundleUntrusted(_(SENT_OVER_NETWORK), sender).message,
            b"",
        )
    message = http.request_message(sender, body_hash)
    for key in keys:
        try:
            Ed25519PublicKey.from_public_bytes(key).verify(signature, message)
        except (InvalidSignature, ValueError):
            continue
        return 0, "", "", body_hash
    return 401, "Unauthenticated", _(_NOT_SIGNED), b""


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

    exchanges = asyncio.Semaphore(MAX_EXCHANGES if db.server_url is not None else 1)

    @app.post("/exchange")
    async def post_exchange(request: Request) -> Response:
        # Who sends is checked from the headers before a byte of the body is read.
        status, code, message, body_hash = await run_in_threadpool(
            authenticate, db, request.headers
        )
        if status:
            return _refusal(status, code, message)
        try:
            declared = int(request.headers.get("Content-Length", "0"))
        except ValueError:
            declared = 0
        if declared > MAX_REQUEST:
            return _refusal(413, "TooLarge", _(_TOO_LARGE))
        # The body goes to a temporary file as it comes (only its first MB in memory), and is
        # read back only once its hash is the one signed and its turn to be applied has come:
        # headers copied off the wire, or a peer sending MAX_CONNECTIONS bodies at once, can
        # make the hub hold at most MAX_EXCHANGES bodies, not one per connection.
        with tempfile.SpooledTemporaryFile(max_size=_SPOOL_IN_MEMORY) as spool:
            size, digest = 0, hashlib.sha256()
            async for chunk in request.stream():
                size += len(chunk)
                if size > MAX_REQUEST:
                    return _refusal(413, "TooLarge", _(_TOO_LARGE))
                digest.update(chunk)
                spool.write(chunk)
            if digest.digest() != body_hash:
                return _refusal(
                    400, "BundleDamaged", errors.BundleDamaged(_(SENT_OVER_NETWORK)).message
                )
            limit = _limit(request.headers.get("X-Red-Steward-Limit"))
            async with exchanges:
                spool.seek(0)
                data = await run_in_threadpool(spool.read)
                status, body, summary = await run_in_threadpool(exchange_once, db, data, limit)
                del data
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

    uvicorn.run(
        make_app(db),
        host=host,
        port=port,
        log_level="warning",
        limit_concurrency=MAX_CONNECTIONS,
    )
