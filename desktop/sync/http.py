# SPDX-License-Identifier: GPL-3.0-or-later
"""Syncing with a hub over HTTP (stdlib only): in rounds, our bundle goes, the hub's comes back.

Each round is self-contained and idempotent: a dropped connection is retried with a fresh bundle
(the hub applies known entries once), and an answer that never arrived is simply sent again in the
next round or exchange. Bundles are bounded (`exchange.bounded`), so a county-size first copy is
many small transactions with real progress, not one huge one. See docs/sync.md.
"""

from __future__ import annotations

import dataclasses
import hashlib
import http.client
import json
import socket
import ssl
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.i18n import _
from desktop.models.store import replica
from desktop.models.store.db import Database
from desktop.models.store.sync_state import SyncPeer
from desktop.sync import errors, exchange, identity

if TYPE_CHECKING:
    from desktop.models.store.backup import BackupAfter

TIMEOUT_S = 120
RETRIES = 3


@dataclass(frozen=True)
class HubExchange:
    hub_name: str
    sent: int
    received: exchange.ImportSummary
    #: HTTP rounds the exchange took (each at most about `limit` entries each way).
    rounds: int = 1
    #: Our changes the hub refused (for a branch it does not let this PC write): they stay
    #: here only, and the clerk is told.
    refused_by_hub: int = 0

    @property
    def backup_after(self) -> BackupAfter | None:
        """The backup of what the rounds brought, still to take (see `ImportSummary`)."""
        return self.received.backup_after


def _get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=TIMEOUT_S) as response:
        return response.read()


def plain_reason(error: BaseException) -> str:
    """Why a connection failed, in the clerk's words and language: never Python's or HTTP's own
    text ("Not Found", "[Errno 111] Connection refused")."""
    if isinstance(error, urllib.error.HTTPError):
        if error.code == 404:
            return _("something answers at this address, but it is not a Red Steward hub")
        return _("the server answered with error {code}").format(code=error.code)
    reason = getattr(error, "reason", error)
    if isinstance(reason, socket.gaierror):
        return _("this address is not known: check how it is written")
    if isinstance(reason, ConnectionRefusedError):
        return _("nothing answers at this address: is the hub running?")
    if isinstance(reason, TimeoutError | socket.timeout):
        return _("no answer in time")
    if isinstance(reason, ssl.SSLError):
        return _("the secure connection failed")
    return _("the connection failed")


def _check_url(url: str) -> str:
    url = url.rstrip("/")
    if not url.startswith(("http://", "https://")):
        raise errors.HubUnreachable(url, _("the address must begin with http:// or https://"))
    return url


def hub_card(url: str) -> identity.Card:
    url = _check_url(url)
    try:
        return identity.read_card(_get(url + "/card"), url)
    except (urllib.error.URLError, OSError, http.client.HTTPException) as error:
        reason = plain_reason(error)
        if isinstance(error, urllib.error.HTTPError):
            error.close()  # the error holds the answer open
        raise errors.HubUnreachable(url, reason) from error


def _trusted(session: Session, card: identity.Card) -> SyncPeer:
    peer = session.get(SyncPeer, card.replica_id)
    if peer is None:
        # A hub restored or copied continues under a new id with the same keys.
        # (its card is signed with the key we trust for the old one).
        same_keys = tuple(
            p.id
            for p in session.scalars(select(SyncPeer))
            if (p.sign_public, p.box_public) == (card.sign_public, card.box_public)
        )
        peer = identity.trust_successor(
            session, card.replica_id, card.name, same_keys, lambda key: key == card.sign_public
        )
        if peer is None:
            raise errors.UnknownPeer(card.replica_id)
    if (peer.sign_public, peer.box_public) != (card.sign_public, card.box_public):
        raise errors.CardKeysChanged(card.replica_id)
    return peer


#: The most rounds one exchange makes (a guard against a loop that never ends; at 5 000 entries a
#: round, that is ten million entries: what is left simply goes with the next exchange).
MAX_ROUNDS = 2000


#: What a request's signature covers: the sender's id and the SHA-256 of the body. The hub
#: checks it from the headers before it reads the body (desktop/hub/app.py).
_REQUEST_LABEL = b"red-steward exchange request\0"
SENDER, CONTINUES, BODY_HASH, SIGNATURE = (
    "X-Red-Steward-Sender",
    "X-Red-Steward-Continues",
    "X-Red-Steward-Body-SHA256",
    "X-Red-Steward-Signature",
)


def request_message(sender: uuid.UUID, body_hash: bytes) -> bytes:
    return _REQUEST_LABEL + sender.bytes + body_hash


@dataclass(frozen=True)
class Signer:
    """Signs each request's headers with this replica's key (the ids it continues named)."""

    me: identity.Identity
    continues: tuple[uuid.UUID, ...] = ()

    def headers(self, body: bytes) -> dict[str, str]:
        digest = hashlib.sha256(body).digest()
        return {
            SENDER: str(self.me.replica_id),
            CONTINUES: ",".join(str(c) for c in self.continues),
            BODY_HASH: digest.hex(),
            SIGNATURE: identity.b64(
                self.me.sign_key.sign(request_message(self.me.replica_id, digest))
            ),
        }


def _post(
    url: str, data: bytes, limit: int, auth: dict[str, str] | None = None
) -> tuple[bytes, dict[str, Any]]:
    """POST one bundle; the answer and the hub's summary. HTTP errors are the hub's refusals."""
    request = urllib.request.Request(
        url + "/exchange",
        data=data,
        method="POST",
        headers={
            "Content-Type": "application/octet-stream",
            "X-Red-Steward-Limit": str(limit),
            **(auth or {}),
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:
            answer = response.read()
            header = response.headers.get("X-Red-Steward-Summary") or "{}"
    except urllib.error.HTTPError as error:
        try:
            message = json.loads(error.read().decode("utf-8"))["message"]
        except (ValueError, KeyError, OSError):
            message = plain_reason(error)
        raise errors.HubRefused(url, message) from error
    try:
        summary = json.loads(header)
    except ValueError:
        summary = {}
    return answer, summary if isinstance(summary, dict) else {}


def _round(
    db: Database,
    url: str,
    hub_id: Any,
    limit: int,
    retries: int,
    backup_first: bool,
    signer: Signer | None = None,
) -> tuple[exchange.Batch, exchange.ImportSummary, int, int]:
    """One round: our batch goes, the hub's comes back and is applied (each side one
    transaction). A dropped connection is retried with a fresh bundle: if the hub had applied
    the lost one, it knows those entries and applies nothing twice. Returns our batch, what we
    applied, how many entries the hub says still wait for us and how many of ours it refused
    (its summary's `entries_refused`). `backup_first`: take the
    automatic backup before applying (once per exchange, not once per round)."""
    last_error = ""
    for attempt in range(retries):
        batch = exchange.export_batch(db, hub_id, limit)
        try:
            headers = signer.headers(batch.data) if signer is not None else {}
            answer, summary = _post(url, batch.data, limit, headers)
        except (urllib.error.URLError, OSError, http.client.HTTPException) as error:
            last_error = plain_reason(error)
            time.sleep(min(2**attempt, 5))
            continue
        applied = exchange.import_bundle(db, answer, url, backup_first=backup_first)
        return batch, applied, _count(summary, "waiting"), _count(summary, "entries_refused")
    raise errors.HubUnreachable(url, last_error)


def _count(summary: dict[str, Any], key: str) -> int:
    try:
        return max(0, int(summary.get(key, 0)))
    except (TypeError, ValueError):
        return 0


def _received(summary: exchange.ImportSummary) -> int:
    return summary.entries_new + summary.entries_known + summary.entries_refused


def _add(
    total: exchange.ImportSummary | None, more: exchange.ImportSummary
) -> exchange.ImportSummary:
    if total is None:
        return more
    return dataclasses.replace(
        more,
        backup_after=total.backup_after or more.backup_after,  # one, after the last round
        **{
            name: getattr(total, name) + getattr(more, name)
            for name in (
                "entries_new",
                "entries_known",
                "entries_refused",
                "records_added",
                "fields_updated",
                "conflicts",
            )
        },
    )


def exchange_with_hub(
    db: Database,
    url: str,
    retries: int = RETRIES,
    progress: Callable[[int, int], None] | None = None,
    cancel: threading.Event | None = None,
    limit: int = exchange.BATCH_ENTRIES,
    max_rounds: int = MAX_ROUNDS,
) -> HubExchange:
    """Exchange with the hub in rounds until neither side has anything left for the other.

    Each round sends at most about `limit` of our entries and applies at most about `limit` of
    the hub's (`exchange.bounded`), each side in its own transaction, so a dropped connection
    or a cancel costs at most the round in flight and the next exchange resumes where this one
    stopped. `progress(done, total)` counts entries sent and received against the best known
    total (ours still waiting + what the hub says waits for us); it starts at (0, 0) while the
    hub is contacted. `cancel` is honoured between rounds (`SyncCancelled`).
    """

    def cancelled() -> None:
        if cancel is not None and cancel.is_set():
            raise errors.SyncCancelled()

    url = _check_url(url)
    if progress is not None:
        progress(0, 0)
    cancelled()
    card = hub_card(url)
    with db.bookkeeping() as session:  # may trust the hub's successor (a restored hub)
        _trusted(session, card)
        me = identity.local_identity(session)
        signer = Signer(me, tuple(replica.predecessors(session)))
    sent = done = rounds = refused = 0
    received: exchange.ImportSummary | None = None
    while True:
        cancelled()
        batch, applied, hub_waiting, hub_refused = _round(
            db,
            url,
            card.replica_id,
            limit,
            retries,
            backup_first=received is None or _received(received) == 0,
            signer=signer,
        )
        rounds += 1
        sent += batch.entries
        refused += hub_refused
        done += batch.entries + _received(applied)
        received = _add(received, applied)
        if progress is not None:
            progress(done, done + batch.waiting + hub_waiting)
        moved = batch.entries + _received(applied)
        if (batch.waiting == 0 and hub_waiting == 0) or moved == 0 or rounds >= max_rounds:
            return HubExchange(card.name, sent, received, rounds, refused)
