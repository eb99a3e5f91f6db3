# SPDX-License-Identifier: GPL-3.0-or-later
"""Syncing with a hub over HTTP (stdlib only): in rounds, our bundle goes, the hub's comes back.

Each round is self-contained and idempotent: a dropped connection is retried with a fresh bundle
(the hub applies known entries once), and an answer that never arrived is simply sent again in the
next round or exchange. Bundles are bounded (`exchange.bounded`), so a county-size first copy is
many small transactions with real progress, not one huge one. See docs/sync.md.
"""

from __future__ import annotations

import dataclasses
import http.client
import json
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.models.store.db import Database
from desktop.models.store.sync_state import SyncPeer
from desktop.sync import errors, exchange, identity

TIMEOUT_S = 120
RETRIES = 3


@dataclass(frozen=True)
class HubExchange:
    hub_name: str
    sent: int
    received: exchange.ImportSummary
    #: HTTP rounds the exchange took (each at most about `limit` entries each way).
    rounds: int = 1


def _get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=TIMEOUT_S) as response:
        return response.read()


def _check_url(url: str) -> str:
    url = url.rstrip("/")
    if not url.startswith(("http://", "https://")):
        raise errors.HubUnreachable(url, "http:// or https://")
    return url


def hub_card(url: str) -> identity.Card:
    url = _check_url(url)
    try:
        return identity.read_card(_get(url + "/card"), url)
    except (urllib.error.URLError, OSError, http.client.HTTPException) as error:
        raise errors.HubUnreachable(url, str(getattr(error, "reason", error))) from error


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


def _post(url: str, data: bytes, limit: int) -> tuple[bytes, dict[str, Any]]:
    """POST one bundle; the answer and the hub's summary. HTTP errors are the hub's refusals."""
    request = urllib.request.Request(
        url + "/exchange",
        data=data,
        method="POST",
        headers={"Content-Type": "application/octet-stream", "X-Red-Steward-Limit": str(limit)},
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:
            answer = response.read()
            header = response.headers.get("X-Red-Steward-Summary") or "{}"
    except urllib.error.HTTPError as error:
        try:
            message = json.loads(error.read().decode("utf-8"))["message"]
        except (ValueError, KeyError, OSError):
            message = str(error)
        raise errors.HubRefused(url, message) from error
    try:
        summary = json.loads(header)
    except ValueError:
        summary = {}
    return answer, summary if isinstance(summary, dict) else {}


def _round(
    db: Database, url: str, hub_id: Any, limit: int, retries: int, backup_first: bool
) -> tuple[exchange.Batch, exchange.ImportSummary, int]:
    """One round: our batch goes, the hub's comes back and is applied (each side one
    transaction). A dropped connection is retried with a fresh bundle: if the hub had applied
    the lost one, it knows those entries and applies nothing twice. Returns our batch, what we
    applied, and how many entries the hub says still wait for us. `backup_first`: take the
    automatic backup before applying (once per exchange, not once per round)."""
    last_error = ""
    for attempt in range(retries):
        batch = exchange.export_batch(db, hub_id, limit)
        try:
            answer, summary = _post(url, batch.data, limit)
        except (urllib.error.URLError, OSError, http.client.HTTPException) as error:
            last_error = str(getattr(error, "reason", error))
            time.sleep(min(2**attempt, 5))
            continue
        applied = exchange.import_bundle(db, answer, url, backup_first=backup_first)
        try:
            hub_waiting = max(0, int(summary.get("waiting", 0)))
        except (TypeError, ValueError):
            hub_waiting = 0
        return batch, applied, hub_waiting
    raise errors.HubUnreachable(url, last_error)


def _received(summary: exchange.ImportSummary) -> int:
    return summary.entries_new + summary.entries_known + summary.entries_refused


def _add(
    total: exchange.ImportSummary | None, more: exchange.ImportSummary
) -> exchange.ImportSummary:
    if total is None:
        return more
    return dataclasses.replace(
        more,
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
    with db.read() as session:
        _trusted(session, card)
    sent = done = rounds = 0
    received: exchange.ImportSummary | None = None
    while True:
        cancelled()
        batch, applied, hub_waiting = _round(
            db,
            url,
            card.replica_id,
            limit,
            retries,
            backup_first=received is None or _received(received) == 0,
        )
        rounds += 1
        sent += batch.entries
        done += batch.entries + _received(applied)
        received = _add(received, applied)
        if progress is not None:
            progress(done, done + batch.waiting + hub_waiting)
        moved = batch.entries + _received(applied)
        if (batch.waiting == 0 and hub_waiting == 0) or moved == 0 or rounds >= max_rounds:
            return HubExchange(card.name, sent, received, rounds)
