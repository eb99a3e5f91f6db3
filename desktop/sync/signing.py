# SPDX-License-Identifier: GPL-3.0-or-later
"""Changes signed by their origin, forwarded unchanged, verified by every receiver (issue #14).

A bundle's own signature proves who *sent* it, not who *made* the changes in it: a relay (the
hub, a laptop) forwards other replicas' changes, and a trusted village could otherwise claim
another PC's origin and next sequence number, so that the real change is later dropped as known.

So each transaction is signed by its origin: the SHA-256 digest of each of its entries (every
column, and its further bases), in seq order, signed with the origin's Ed25519 key. The origin
signs a transaction when it first sends it (its content never changes after commit); relays
store the signature and forward it unchanged; a receiver verifies every new entry against the
key of its origin — the key of a trusted peer, else the key pinned when that origin was first
learnt (the bundle carries the keys of the origins it holds: cards travel with the data) — and
refuses the whole bundle, naming its sender, when one fails (`ChangeForged`).
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from desktop.models.store import portable, replica
from desktop.models.store.changelog import (
    Change,
    ChangeBase,
    ChangeSignature,
    Replica,
    entry_sha256,
)
from desktop.models.store.sync_state import SyncPeer
from desktop.sync import errors
from desktop.sync.identity import (
    Identity,
    b64,
    canonical,
    local_identity,
    replica_label,
    unb64,
)

_LABEL = b"red-steward transaction\0"
_DIGEST = 32
_CHUNK = 500


_NO_FURTHER = canonical([])


def digest(
    entry: Mapping[str, Any],
    extras: Iterable[tuple[Any, Any]],
    texts: dict[uuid.UUID, str] | None = None,
) -> bytes:
    """What a signature covers of one entry: its content and its further bases (`texts`: see
    `entry_sha256`)."""
    further = sorted([str(o), int(s)] for o, s in extras) if extras else None
    tail = canonical(further) if further else _NO_FURTHER
    return hashlib.sha256(entry_sha256(entry, texts) + tail).digest()


def message(origin: uuid.UUID, tx_id: uuid.UUID, digests: bytes) -> bytes:
    return _LABEL + origin.bytes + tx_id.bytes + digests


def _stored(session: Session, keys: set[tuple[uuid.UUID, uuid.UUID]]) -> dict[Any, Any]:
    """The stored signatures of `keys` (origin, transaction), looked up by the primary key."""
    found: dict[tuple[uuid.UUID, uuid.UUID], tuple[bytes, bytes]] = {}
    by_origin: dict[uuid.UUID, list[uuid.UUID]] = {}
    for origin, tx_id in keys:
        by_origin.setdefault(origin, []).append(tx_id)
    for origin, tx_ids in by_origin.items():
        tx_ids.sort()
        for start in range(0, len(tx_ids), _CHUNK):
            rows = session.execute(
                select(
                    ChangeSignature.tx_id, ChangeSignature.digests, ChangeSignature.signature
                ).where(
                    ChangeSignature.origin == origin,
                    ChangeSignature.tx_id.in_(tx_ids[start : start + _CHUNK]),
                )
            )
            for tx_id, digests, signature in rows:
                found[(origin, tx_id)] = (bytes(digests), bytes(signature))
    return found


def _sign(
    session: Session, me: Identity, origin: uuid.UUID, tx_id: uuid.UUID
) -> tuple[bytes, bytes]:
    # By the transaction's own index: a condition on `origin` as well lets SQLite walk every
    # entry of that origin instead (its primary key), once per transaction signed.
    rows = sorted(
        (
            row
            for row in session.execute(select(Change.__table__).where(Change.tx_id == tx_id))
            .mappings()
            .all()
            if row["origin"] == origin
        ),
        key=lambda row: row["seq"],
    )
    extras: dict[int, list[tuple[uuid.UUID, int]]] = {}
    if rows:
        seqs = {row["seq"] for row in rows}
        for seq, base_origin, base_seq in session.execute(
            select(ChangeBase.seq, ChangeBase.base_origin, ChangeBase.base_seq).where(
                ChangeBase.origin == origin,
                ChangeBase.seq.between(min(seqs), max(seqs)),
            )
        ):
            if seq in seqs:
                extras.setdefault(seq, []).append((base_origin, base_seq))
    digests = b"".join(digest(row, extras.get(row["seq"], ())) for row in rows)
    signature = me.sign_key.sign(message(origin, tx_id, digests))
    session.add(ChangeSignature(origin=origin, tx_id=tx_id, digests=digests, signature=signature))
    return digests, signature


def for_export(session: Session, me: Identity, entries: list[dict[str, Any]]) -> dict[str, Any]:
    """The signatures of every transaction in `entries` and the keys of their origins, as the
    payload carries them. This replica's own transactions (under its id or an earlier one) are
    signed here the first time they go out."""
    own = {me.replica_id, *replica.predecessors(session)}
    wanted = {(e["origin"], e["tx_id"]) for e in entries}
    found = _stored(session, wanted)
    for origin, tx_id in sorted(wanted - set(found)):
        if origin in own:
            found[(origin, tx_id)] = _sign(session, me, origin, tx_id)
    keys = {str(o): b64(me.sign_public) for o in own}
    for origin in {o for o, _tx in wanted} - own:
        key = known_key(session, origin)
        if key is not None:
            keys[str(origin)] = b64(key)
    return {
        "txs": [
            {"origin": str(o), "tx": str(t), "digests": b64(d), "sig": b64(s)}
            for (o, t), (d, s) in sorted(found.items())
        ],
        "keys": keys,
    }


def known_key(session: Session, origin: uuid.UUID) -> bytes | None:
    """The key `origin`'s changes are verified with: a trusted peer's, else the pinned one."""
    peer_key = session.scalar(select(SyncPeer.sign_public).where(SyncPeer.id == origin))
    if peer_key is not None:
        return bytes(peer_key)
    pinned = session.scalar(select(Replica.sign_public).where(Replica.id == origin))
    return bytes(pinned) if pinned is not None else None


def verify(
    session: Session,
    fresh: list[dict[str, Any]],
    payload: Mapping[str, Any],
    sender: str,
    path: object,
) -> dict[uuid.UUID, bytes]:
    """Check every new entry against its origin's signature; `ChangeForged` names the sender.

    Stores the verified signatures (to forward them); returns the keys learnt, for `pin` once
    their replicas are remembered."""
    if not fresh:
        return {}
    wire: dict[tuple[uuid.UUID, uuid.UUID], tuple[bytes, bytes]] = {}
    try:
        for row in payload.get("txs", []):
            wire[(uuid.UUID(row["origin"]), uuid.UUID(row["tx"]))] = (
                unb64(row["digests"]),
                unb64(row["sig"]),
            )
        offered = {uuid.UUID(o): unb64(k) for o, k in payload.get("keys", {}).items()}
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise errors.BundleDamaged(path) from error
    wanted = {(e["origin"], e["tx_id"]) for e in fresh}
    stored = _stored(session, wanted - set(wire))
    me = local_identity(session)
    keys: dict[uuid.UUID, bytes | None] = dict.fromkeys(
        [me.replica_id, *replica.predecessors(session)], me.sign_public
    )
    learnt: dict[uuid.UUID, bytes] = {}
    checked: dict[tuple[uuid.UUID, uuid.UUID], set[bytes]] = {}
    texts: dict[uuid.UUID, str] = {}
    last: tuple[Any, Any] = (None, None)
    digests: set[bytes] = set()
    for e in fresh:
        origin, tx_id = e["origin"], e["tx_id"]
        # A transaction's entries come one after another with the same id objects (parsed once
        # per bundle): its digests are looked up once per run of them, not once per entry.
        if origin is not last[0] or tx_id is not last[1]:
            last = (origin, tx_id)
            found = checked.get(last)
            if found is None:
                signed = wire.get(last) or stored.get(last)
                if origin not in keys:
                    keys[origin] = known_key(session, origin)
                    if keys[origin] is None and origin in offered and len(offered[origin]) == 32:
                        keys[origin] = learnt[origin] = offered[origin]
                key = keys[origin]
                if signed is None or key is None or len(signed[0]) % _DIGEST:
                    raise errors.ChangeForged(
                        path, sender, replica_label(session, origin), e["seq"]
                    )
                try:
                    Ed25519PublicKey.from_public_bytes(key).verify(
                        signed[1], message(origin, tx_id, signed[0])
                    )
                except (InvalidSignature, ValueError) as error:
                    raise errors.ChangeForged(
                        path, sender, replica_label(session, origin), e["seq"]
                    ) from error
                found = checked[last] = {
                    signed[0][i : i + _DIGEST] for i in range(0, len(signed[0]), _DIGEST)
                }
            digests = found
        if digest(e, e["extra_bases"], texts) not in digests:
            raise errors.ChangeForged(path, sender, replica_label(session, origin), e["seq"])
    conn = session.connection()
    rows = [(o, t, *wire[(o, t)]) for o, t in checked if (o, t) in wire]
    portable.execute_many(
        conn,
        portable.insert(ChangeSignature, conn).on_conflict_do_nothing(),
        ("origin", "tx_id", "digests", "signature"),
        rows,
    )
    return learnt


def pin(session: Session, learnt: dict[uuid.UUID, bytes]) -> None:
    """Remember the keys first learnt for these origins (their replica rows exist by now)."""
    for origin, key in learnt.items():
        session.execute(
            update(Replica)
            .where(Replica.id == origin, Replica.sign_public.is_(None))
            .values(sign_public=key)
        )
