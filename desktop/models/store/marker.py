# SPDX-License-Identifier: GPL-3.0-or-later
"""The app's own high-water mark: the data file's change counter, also kept outside it.

Every unit of work bumps a counter inside the database (SQLite's `user_version`, in the same
transaction) and, once committed, writes it to `red-steward.mark` next to the data file, sealed
with the data key (AES-GCM) so that it belongs to this data. A data file whose counter is
behind the mark lost changes that were confirmed (a WAL deleted by an outside cause, an older
copy put in its place): `Database.open` notes that in `missing_since`. SQLite cannot see this;
the app can. No Qt here.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import secrets
from pathlib import Path

from desktop.models.store import keyring

log = logging.getLogger(__name__)

FILENAME = "red-steward.mark"
_AAD = b"red-steward mark v1"


def path(folder: Path) -> Path:
    return folder / FILENAME


def save(folder: Path, key: bytes, counter: int) -> None:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    body = json.dumps(
        {"counter": counter, "at": dt.datetime.now().astimezone().isoformat(timespec="seconds")}
    ).encode("utf-8")
    nonce = secrets.token_bytes(12)
    keyring.atomic_write(path(folder), nonce + AESGCM(key).encrypt(nonce, body, _AAD))


def load(folder: Path, key: bytes) -> tuple[int, dt.datetime] | None:
    """(counter, when it was written), or None: no mark, or one this data key did not seal."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    try:
        raw = path(folder).read_bytes()
        data = json.loads(AESGCM(key).decrypt(raw[:12], raw[12:], _AAD))
        return int(data["counter"]), dt.datetime.fromisoformat(data["at"])
    except FileNotFoundError:
        return None
    except (OSError, InvalidTag, ValueError, KeyError, TypeError):
        log.warning("the mark %s is unreadable or not for this data; ignored", path(folder))
        return None
