# SPDX-License-Identifier: GPL-3.0-or-later
"""This replica's key pairs, its card, fingerprints, and trusting another replica's card.

Keys are made on first use: an Ed25519 pair that signs bundles and cards, and an X25519 pair that
other replicas encrypt bundles to. They live in the local `sync_identity` table and never leave
the PC; a card carries only the public halves.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session

from desktop import __version__
from desktop.i18n import _, ngettext
from desktop.models.register.branch import Branch
from desktop.models.store import replica
from desktop.models.store.changelog import Replica
from desktop.models.store.sync_state import SyncCheckpoint, SyncIdentity, SyncPeer
from desktop.sync import errors
from desktop.sync.readmodels import PC_ROLES

CARD_VERSION = 1
_RAW = {"encoding": serialization.Encoding.Raw, "format": serialization.PublicFormat.Raw}


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


def canonical(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def fingerprint(sign_public: bytes, box_public: bytes) -> str:
    """What two people compare when pairing: 32 hex digits in groups of four."""
    digest = hashlib.sha256(b"red-steward card\0" + sign_public + box_public).hexdigest()[:32]
    return " ".join(digest[i : i + 4] for i in range(0, 32, 4)).upper()


@dataclass(frozen=True)
class Identity:
    replica_id: uuid.UUID
    name: str
    sign_key: Ed25519PrivateKey
    box_key: X25519PrivateKey

    @property
    def sign_public(self) -> bytes:
        return self.sign_key.public_key().public_bytes(**_RAW)

    @property
    def box_public(self) -> bytes:
        return self.box_key.public_key().public_bytes(**_RAW)

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.sign_public, self.box_public)


#: Set in `session.info` by a Database whose data is on a server (a PostgreSQL hub): there the
#: private keys are stored sealed with the data key, since no SQLCipher protects the rows.
SEAL_KEY = "seal_key"
_NONCE = 12


def _seal(session: Session, raw: bytes, label: str) -> bytes:
    key = session.info.get(SEAL_KEY)
    if key is None:
        return raw
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    nonce = os.urandom(_NONCE)
    return nonce + AESGCM(key).encrypt(nonce, raw, label.encode())


def _unseal(session: Session, stored: bytes, label: str) -> bytes:
    if len(stored) == 32:  # a raw key (every data file; SQLCipher encrypts the whole file)
        return stored
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    key = session.info.get(SEAL_KEY)
    try:
        if key is None:
            raise InvalidTag()
        return AESGCM(key).decrypt(stored[:_NONCE], stored[_NONCE:], label.encode())
    except InvalidTag as error:
        raise errors.IdentityUnreadable() from error


#: The roles a PC plays, as its default name says them (`default_name`).
ROLES = PC_ROLES
#: A PC whose role was never said is an office PC (the first PC of a branch).
DEFAULT_ROLE = "office"
#: Names longer than this do not fit the tables and messages that show them.
NAME_MAX = 60


def default_name(session: Session, role: str | None = None) -> str:
    """This PC's name until its clerk chooses one: its branch and its role,
    红星村党支部·办公室电脑; a PC holding several branches (a hub) names the first and the count;
    a PC holding none yet (a new laptop, a new hub) only its role."""
    if role is None:
        role = session.scalar(select(Replica.role).where(Replica.is_local)) or DEFAULT_ROLE
    role_text = _(ROLES.get(role, ROLES[DEFAULT_ROLE]))
    held = Branch.deleted.is_(False)
    # The first name and a count: a county hub holds about 10,000 branches (#22).
    first = session.scalar(select(Branch.name).where(held).order_by(Branch.name).limit(1))
    if first is None:
        return role_text
    count = session.scalar(select(func.count()).select_from(Branch).where(held)) or 0
    if count == 1:
        where = first
    else:
        where = ngettext(
            "{first} ({count} branch)", "{first} and others ({count} branches)", count
        ).format(first=first, count=count)
    # L10N: a PC's default name: its branch, then its role (红星村党支部·办公室电脑).
    return _("{branch} · {role}").format(branch=where, role=role_text)


def local_name(session: Session) -> str:
    """This PC's name as every other PC sees it: its clerk's choice, else `default_name`."""
    row = session.execute(
        select(Replica.name, Replica.name_chosen, Replica.role).where(Replica.is_local)
    ).one()
    return row.name if row.name_chosen and row.name else default_name(session, row.role)


def clean_name(text: str) -> str:
    """A name as typed, on one line; `NameTooLong` past `NAME_MAX` characters."""
    name = " ".join(text.split())
    if len(name) > NAME_MAX:
        raise errors.NameTooLong(name, NAME_MAX)
    return name


def name_this_pc(session: Session, name: str | None = None, role: str | None = None) -> str:
    """Choose this PC's name (`""`: back to the default) and/or its role; returns the name.

    The name travels in this PC's next card and in every bundle it sends: the PCs that trust
    it show the new name after the next sync (unless their clerk named it themselves)."""
    local = session.scalars(select(Replica).where(Replica.is_local)).one()
    if role is not None:
        if role not in ROLES:
            raise errors.UnknownRole(role, tuple(ROLES))
        local.role = role
    if name is not None:
        local.name = clean_name(name)
        local.name_chosen = bool(local.name)
    session.flush()
    return local_name(session)


def short_id(replica_id: uuid.UUID) -> str:
    """A few characters that tell two PCs apart: the end of the id (its random part; the
    start of a UUIDv7 is its creation time, alike for PCs set up the same day)."""
    return replica_id.hex[-6:]


def peer_name(peer: SyncPeer) -> str:
    """What this PC calls `peer`: its clerk's name for it, else the name its card gives."""
    return peer.local_name or peer.name


def replica_names(session: Session) -> dict[uuid.UUID, str]:
    """Every known PC (this one, its peers, the origins of changes) by the name shown for it.

    Two live PCs with one name (both "vm") are told apart by `short_id`; an earlier id of a
    PC (before a restore or a copy) shares its successor's name without it. A PC without a
    name is shown by its short id."""
    rows = session.execute(
        select(Replica.id, Replica.name, Replica.is_local, Replica.succeeded_by)
    ).all()
    names = {row.id: row.name for row in rows}
    live = {row.id for row in rows if row.succeeded_by is None}
    local = next((row.id for row in rows if row.is_local), None)
    if local is not None:
        names[local] = local_name(session)
        for earlier in replica.predecessors(session):
            names[earlier] = names[local]
    for peer in session.scalars(select(SyncPeer)):
        if peer.id not in names:
            live.add(peer.id)  # trusted, no change of its received yet
        names[peer.id] = peer_name(peer) or names.get(peer.id, "")
    counts = Counter(name for replica_id, name in names.items() if replica_id in live and name)
    return {
        replica_id: _label(replica_id, name, counts[name] > 1 and replica_id in live)
        for replica_id, name in names.items()
    }


def _label(replica_id: uuid.UUID, name: str, shared: bool) -> str:
    if not name:
        return _("PC {short}").format(short=short_id(replica_id))
    if shared:
        # L10N: a PC's name, with the end of its id when two PCs have that name.
        return _("{name} ({short})").format(name=name, short=short_id(replica_id))
    return name


#: Ids looked up per `IN (...)`.
_IN_CHUNK = 500


def _chunks(ids: Iterable[uuid.UUID]) -> Iterator[list[uuid.UUID]]:
    listed = list(ids)
    for start in range(0, len(listed), _IN_CHUNK):
        yield listed[start : start + _IN_CHUNK]


def replica_labels(session: Session, ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, str]:
    """The names of the PCs `ids` exactly as `replica_names` shows them, reading only those
    PCs and the ones that share a name with them (to tell two "vm"s apart), not every PC a
    county hub knows: the audit trail names the PCs of the changes on its page (#14, #22).
    An id not known here is named by its short id."""
    wanted = set(ids)
    if not wanted:
        return {}
    local = session.scalar(select(Replica.id).where(Replica.is_local))
    earlier = set(replica.predecessors(session))
    mine: str | None = None

    def local_label() -> str:
        nonlocal mine
        if mine is None:
            mine = local_name(session)
        return mine

    def names_of(found: set[uuid.UUID]) -> tuple[dict[uuid.UUID, str], set[uuid.UUID]]:
        names: dict[uuid.UUID, str] = {}
        live: set[uuid.UUID] = set()
        for chunk in _chunks(found):
            for row in session.execute(
                select(Replica.id, Replica.name, Replica.succeeded_by).where(Replica.id.in_(chunk))
            ):
                names[row.id] = row.name
                if row.succeeded_by is None:
                    live.add(row.id)
        for replica_id in found & ({local} | earlier):
            names[replica_id] = local_label()
        for chunk in _chunks(found):
            for peer in session.scalars(select(SyncPeer).where(SyncPeer.id.in_(chunk))):
                if peer.id not in names:
                    live.add(peer.id)  # trusted, no change of its received yet
                names[peer.id] = peer_name(peer) or names.get(peer.id, "")
        return names, live

    names, live = names_of(wanted)
    shown = {name for name in names.values() if name}
    # Every PC that may go by one of these names: by its card's, its clerk's or its own.
    others: set[uuid.UUID] = {local} if local is not None else set()
    for chunk in _chunks(shown):
        others.update(session.scalars(select(Replica.id).where(Replica.name.in_(chunk))))
        others.update(
            session.scalars(
                select(SyncPeer.id).where(
                    or_(SyncPeer.local_name.in_(chunk), SyncPeer.name.in_(chunk))
                )
            )
        )
    other_names, other_live = names_of(others - wanted)
    every, alive = {**other_names, **names}, live | other_live
    counts = Counter(name for replica_id, name in every.items() if replica_id in alive and name)
    return {
        replica_id: _label(
            replica_id,
            names.get(replica_id, ""),
            counts[names.get(replica_id, "")] > 1 and replica_id in live,
        )
        for replica_id in wanted
    }


def replica_label(session: Session, replica_id: uuid.UUID) -> str:
    """One PC's name as shown (`replica_names`), its short id when it is not known here."""
    return replica_labels(session, [replica_id])[replica_id]


def local_identity(session: Session) -> Identity:
    """This replica's keys, made (in the caller's unit of work) the first time they are needed."""
    replica_id = session.execute(select(Replica.id).where(Replica.is_local)).scalar_one()
    name = local_name(session)
    row = session.get(SyncIdentity, replica_id)
    if row is None:
        sign, box = Ed25519PrivateKey.generate(), X25519PrivateKey.generate()
        raw = {
            "encoding": serialization.Encoding.Raw,
            "format": serialization.PrivateFormat.Raw,
            "encryption_algorithm": serialization.NoEncryption(),
        }
        row = SyncIdentity(
            replica_id=replica_id,
            sign_key=_seal(session, sign.private_bytes(**raw), f"sign {replica_id}"),
            box_key=_seal(session, box.private_bytes(**raw), f"box {replica_id}"),
        )
        session.add(row)
        session.flush()
    return Identity(
        replica_id=replica_id,
        name=name,
        sign_key=Ed25519PrivateKey.from_private_bytes(
            _unseal(session, row.sign_key, f"sign {replica_id}")
        ),
        box_key=X25519PrivateKey.from_private_bytes(
            _unseal(session, row.box_key, f"box {replica_id}")
        ),
    )


@dataclass(frozen=True)
class Card:
    replica_id: uuid.UUID
    name: str
    sign_public: bytes
    box_public: bytes
    branches: tuple[tuple[uuid.UUID, str], ...]
    app_version: str

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.sign_public, self.box_public)


def make_card(session: Session) -> bytes:
    """This replica's card: its id, public keys and the branches it holds, self-signed."""
    me = local_identity(session)
    branches = session.execute(
        select(Branch.id, Branch.name).where(Branch.deleted.is_(False)).order_by(Branch.name)
    ).all()
    body = {
        "card": CARD_VERSION,
        "replica_id": str(me.replica_id),
        "name": me.name,
        "sign_public": b64(me.sign_public),
        "box_public": b64(me.box_public),
        "branches": [{"id": str(b.id), "name": b.name} for b in branches],
        "app": __version__,
    }
    signed = body | {"signature": b64(me.sign_key.sign(canonical(body)))}
    return json.dumps(signed, ensure_ascii=False, indent=2).encode("utf-8") + b"\n"


def read_card(data: bytes, path: object = "") -> Card:
    """A card checked for shape and self-signature; `CardInvalid` otherwise."""
    try:
        raw = json.loads(data.decode("utf-8"))
        signature = unb64(raw.pop("signature"))
        if raw.get("card") != CARD_VERSION:
            raise ValueError("card version")
        sign_public = unb64(raw["sign_public"])
        box_public = unb64(raw["box_public"])
        if len(sign_public) != 32 or len(box_public) != 32:
            raise ValueError("key length")
        Ed25519PublicKey.from_public_bytes(sign_public).verify(signature, canonical(raw))
        return Card(
            replica_id=uuid.UUID(raw["replica_id"]),
            name=str(raw.get("name", "")),
            sign_public=sign_public,
            box_public=box_public,
            branches=tuple((uuid.UUID(b["id"]), str(b["name"])) for b in raw["branches"]),
            app_version=str(raw.get("app", "")),
        )
    except (ValueError, KeyError, TypeError, AttributeError, InvalidSignature) as error:
        raise errors.CardInvalid(path) from error


#: Stored instead of a list: the peer shares every branch this replica holds (two PCs of one
#: branch, or a PC being filled from another).
ALL_BRANCHES = "*"


def entitled_branches(peer: SyncPeer) -> set[uuid.UUID] | None:
    """The branches `peer` may receive and write, or None for all that this replica holds."""
    if peer.branches == ALL_BRANCHES:
        return None
    return {uuid.UUID(text) for text in json.loads(peer.branches or "[]")}


def may_share(allowed: set[uuid.UUID] | None, branch: uuid.UUID | None) -> bool:
    return allowed is None or branch in allowed


def trust(
    session: Session,
    card: Card,
    branches: list[uuid.UUID] | None = None,
    name: str | None = None,
) -> tuple[SyncPeer, bool]:
    """Trust the card's replica; returns the peer and whether it is new.

    Entitlement is always a named list of branches, never "everything" (issue #14). A new peer
    gets `branches` when given, else the branches its card holds; an empty card (a new PC) gets
    the one branch this replica holds. A replica holding none or several (a new hub, a county
    hub) refuses an empty card unless the branch is named: guessing would hand a laptop every
    branch the hub will ever hold. For a peer already trusted, `branches` replaces its list
    (narrows or widens it); without them nothing changes: trusting a card again widens nothing.
    The card's name is kept (a renamed PC's new card renames it here); `name` is what this
    PC's clerk calls it instead (`""`: the card's name again).
    """
    me = local_identity(session)
    if card.replica_id == me.replica_id:
        raise errors.CardIsOwn()
    peer = session.get(SyncPeer, card.replica_id)
    created = peer is None
    if peer is not None and (peer.sign_public, peer.box_public) != (
        card.sign_public,
        card.box_public,
    ):
        raise errors.CardKeysChanged(card.replica_id)
    if branches is None and created:
        branches = [branch_id for branch_id, _name in card.branches]
        if not branches:
            # Counted, not read: a county hub holds about 10,000 (#22).
            live = Branch.deleted.is_(False)
            count = session.scalar(select(func.count()).select_from(Branch).where(live)) or 0
            if count != 1:
                raise errors.BranchNotNamed(card.name or card.replica_id, count)
            branches = list(session.scalars(select(Branch.id).where(live)))
    if peer is None:
        peer = SyncPeer(
            id=card.replica_id,
            sign_public=card.sign_public,
            box_public=card.box_public,
            last_in_seq=0,
            last_out_seq=0,
        )
        session.add(peer)
    peer.name = card.name
    if name is not None:
        peer.local_name = clean_name(name) or None
    if branches is not None:
        set_branches(session, peer, branches)
    session.flush()
    return peer, created


def set_branches(session: Session, peer: SyncPeer, branches: list[uuid.UUID]) -> None:
    """Entitle `peer` to exactly `branches`. A widened peer is sent everything again (what it
    holds is then learnt anew from its next bundle), so a branch's history is not skipped."""
    if not branches:
        raise errors.BranchNotNamed(peer_name(peer) or peer.id, 0)
    before = entitled_branches(peer)
    peer.branches = json.dumps(sorted({str(b) for b in branches}))
    if before is not None and not set(branches) <= before:
        session.execute(delete(SyncCheckpoint).where(SyncCheckpoint.peer_id == peer.id))


def revoke(session: Session, peer: SyncPeer) -> None:
    """Stop trusting `peer`: nothing more is sent to it or accepted from it. What it already
    received stays on that PC (revoking cannot reach it); its changes stay here.

    Every other id trusted with the same key goes too: a restored or copied data file keeps
    its keys under a new id (`trust_successor`), so an earlier id left trusted would let the
    revoked PC sign as it, and come back as its successor."""
    same_key = list(
        session.scalars(select(SyncPeer).where(SyncPeer.sign_public == peer.sign_public))
    )
    for revoked in {peer, *same_key}:
        session.execute(delete(SyncCheckpoint).where(SyncCheckpoint.peer_id == revoked.id))
        session.delete(revoked)
    session.flush()


def trust_successor(
    session: Session,
    replica_id: uuid.UUID,
    name: str,
    continues: tuple[uuid.UUID, ...],
    signed_by: Callable[[bytes], bool],
) -> SyncPeer | None:
    """Trust `replica_id` as the continuation of a trusted peer it names in `continues`, when
    that peer's key `signed_by` what it sent (a restored or copied data file keeps its keys and
    takes a new id, `desktop.models.store.replica`). It gets that peer's branches; the peer
    itself stays trusted (a copied folder's original goes on). None: no such peer.

    This grants nothing new: whoever holds the peer's private key could already sign as it.
    """
    for old_id in continues:
        old = session.get(SyncPeer, old_id)
        if old is None or not signed_by(old.sign_public):
            continue
        peer = SyncPeer(
            id=replica_id,
            name=name or old.name,
            sign_public=old.sign_public,
            box_public=old.box_public,
            branches=old.branches,
            last_in_seq=0,
            last_out_seq=0,
        )
        session.add(peer)
        replica = session.get(Replica, old_id)
        if replica is not None and replica.succeeded_by is None:
            replica.succeeded_by = replica_id
        session.flush()
        return peer
    return None


def find_peer(session: Session, text: str) -> SyncPeer:
    """A trusted peer by its id, a unique prefix of it, or its name as shown (`replica_names`:
    with its short id when two share a name)."""
    wanted = text.strip()
    peers = list(session.scalars(select(SyncPeer)))
    shown = replica_names(session)
    found = [p for p in peers if wanted and wanted in (shown.get(p.id), peer_name(p))]
    if not found:
        lower = wanted.lower()
        found = [p for p in peers if str(p.id).startswith(lower) or p.id.hex.startswith(lower)]
    if len(found) != 1 or not wanted:
        raise errors.UnknownPeer(wanted)
    return found[0]


def card_from_file(path: Path) -> Card:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise errors.CardInvalid(path) from error
    return read_card(data, path)
