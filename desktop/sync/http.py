# SPDX-License-Identifier: GPL-3.0-or-later
"""Syncing with a hub over HTTP (stdlib only): send our bundle, apply the one that comes back.

Each exchange is self-contained and idempotent: a dropped connection is retried with a fresh
bundle (the hub applies known entries once), and an answer that never arrived is simply sent again
in the next exchange. See docs/sync.md.
"""

from __future__ import annotations

import http.client
import json
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from desktop.models.db import Database
from desktop.models.sync_state import SyncPeer
from desktop.sync import errors, exchange, identity

TIMEOUT_S = 120
RETRIES = 3


@dataclass(frozen=True)
class HubExchange:
    hub_name: str
    sent: int
    received: exchange.ImportSummary


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
        raise errors.UnknownPeer(card.replica_id)
    if (peer.sign_public, peer.box_public) != (card.sign_public, card.box_public):
        raise errors.CardKeysChanged(card.replica_id)
    return peer


#: The steps an exchange reports as progress: hub found, bundle made, sent, answer applied.
STEPS = 4


def exchange_with_hub(
    db: Database,
    url: str,
    retries: int = RETRIES,
    progress: Callable[[int, int], None] | None = None,
    cancel: threading.Event | None = None,
) -> HubExchange:
    """One exchange with the hub: ours go, the hub's come back. `progress(done, STEPS)` is called
    after each step; `cancel` is honoured between steps (`SyncCancelled`): whatever the hub did
    not acknowledge is simply sent again next time, so a cancelled sync loses nothing."""

    def step(done: int) -> None:
        if progress is not None:
            progress(done, STEPS)
        if cancel is not None and cancel.is_set():
            raise errors.SyncCancelled()

    url = _check_url(url)
    step(0)
    card = hub_card(url)
    with db.read() as session:
        _trusted(session, card)
    step(1)
    last_error = ""
    for attempt in range(retries):
        data, count = exchange.export_bytes(db, card.replica_id)
        step(2)
        request = urllib.request.Request(
            url + "/exchange", data=data, method="POST",
            headers={"Content-Type": "application/octet-stream"},
        )
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:
                answer = response.read()
        except urllib.error.HTTPError as error:
            try:
                message = json.loads(error.read().decode("utf-8"))["message"]
            except (ValueError, KeyError, OSError):
                message = str(error)
            raise errors.HubRefused(url, message) from error
        except (urllib.error.URLError, OSError, http.client.HTTPException) as error:
            last_error = str(getattr(error, "reason", error))
            time.sleep(min(2**attempt, 5))
            continue
        step(3)
        summary = exchange.import_bundle(db, answer, url)
        if progress is not None:
            progress(STEPS, STEPS)
        return HubExchange(card.name, count, summary)
    raise errors.HubUnreachable(url, last_error)
