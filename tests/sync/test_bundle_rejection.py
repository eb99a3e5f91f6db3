# SPDX-License-Identifier: GPL-3.0-or-later
"""Every bad bundle is refused with a clear reason, before anything is written."""

from __future__ import annotations

import json
import struct
import uuid

import pytest

from desktop.i18n import set_language
from desktop.models.register.groups import create_branch
from desktop.models.store.base import uuid7
from desktop.models.store.changelog import SCHEMA_VERSION
from desktop.sync import bundle, errors, identity, signing
from desktop.sync.identity import b64
from tests.sync.conftest import pair


@pytest.fixture
def small(nodes):
    """Two paired replicas and a small bundle (one branch, two groups) from a to b."""
    a, b = nodes("a", "b")
    with a.db.unit_of_work() as session:
        create_branch(session, "小村党支部", "青山镇", "临江县")
    pair(a, b)
    return a, b, a.bundle_for(b)


def _refused(node, data, tmp_path, kind):
    before = node.snapshot()
    path = tmp_path / "bad.rsb"
    path.write_bytes(data)
    with pytest.raises(kind) as caught:
        node.sync.import_file(path)
    assert node.snapshot() == before
    return caught.value


def test_the_small_bundle_is_accepted_as_it_is(small):
    a, b, path = small
    assert b.sync.import_file(path).records_added == 1
    assert b.snapshot() == a.snapshot()


def test_every_flipped_byte_is_refused(small, tmp_path):
    _a, b, path = small
    data = path.read_bytes()
    assert len(data) < 2000, "keep the byte-level test small and fast"
    before = b.snapshot()
    target = tmp_path / "flipped.rsb"
    for i in range(len(data)):
        target.write_bytes(data[:i] + bytes([data[i] ^ 0x01]) + data[i + 1 :])
        with pytest.raises(errors.SyncError):
            b.sync.import_file(target)
    assert b.snapshot() == before
    assert b.sync.import_file(path).records_added == 1  # the intact one still imports


def test_every_truncation_is_refused(small, tmp_path):
    _a, b, path = small
    data = path.read_bytes()
    before = b.snapshot()
    target = tmp_path / "short.rsb"
    for length in range(len(data)):
        target.write_bytes(data[:length])
        with pytest.raises(errors.BundleDamaged):
            b.sync.import_file(target)
    target.write_bytes(data + b"\0")
    with pytest.raises(errors.BundleDamaged):
        b.sync.import_file(target)
    assert b.snapshot() == before


def test_a_bundle_for_another_pc_is_refused(nodes, small, tmp_path):
    a, _b, path = small
    [c] = nodes("c")
    pair(a, c)
    error = _refused(c, path.read_bytes(), tmp_path, errors.BundleForeign)
    assert "另一台" in str(error) or "其他" in str(error)


def test_a_bundle_from_an_untrusted_pc_is_refused(nodes, tmp_path):
    stranger, b = nodes("stranger", "b2")
    with stranger.db.unit_of_work() as session:
        create_branch(session, "冒名村党支部", "青山镇", "临江县")
    stranger.trust(b)  # the stranger knows b's card, but b never trusted the stranger
    data = stranger.bundle_for(b).read_bytes()
    _refused(b, data, tmp_path, errors.BundleUntrusted)


def test_a_bundle_signed_by_a_forged_key_is_refused(small, tmp_path):
    a, b, _path = small
    # Same sender id, but signed with a key b has never seen (and re-encrypted for b).
    forger = identity.Identity(
        a.id,
        "forger",
        identity.Ed25519PrivateKey.generate(),
        identity.X25519PrivateKey.generate(),
    )
    with b.db.unit_of_work() as session:
        me = identity.local_identity(session)
    data = bundle.seal(
        {"vv": {}, "entries": []},
        sender=forger,
        recipient=me.replica_id,
        recipient_box_public=me.box_public,
        bundle_id=uuid7(),
        bundle_seq=99,
        schema=SCHEMA_VERSION,
        created_ms=0,
        entries=0,
    )
    _refused(b, data, tmp_path, errors.BundleDamaged)


def test_a_bundle_from_a_newer_version_names_the_version_to_install(small, tmp_path):
    a, b, _path = small
    with a.db.unit_of_work() as session:
        sender = identity.local_identity(session)
    with b.db.unit_of_work() as session:
        me = identity.local_identity(session)
    data = bundle.seal(
        {"vv": {}, "entries": []},
        sender=sender,
        recipient=me.replica_id,
        recipient_box_public=me.box_public,
        bundle_id=uuid7(),
        bundle_seq=5,
        schema=SCHEMA_VERSION + 1,
        created_ms=0,
        entries=0,
        app="9.4.0",
    )
    error = _refused(b, data, tmp_path, errors.BundleTooNew)
    assert f"数据版本 {SCHEMA_VERSION + 1}" in str(error)
    assert "9.4.0" in str(error), "the message names the version to install"
    set_language("en")
    error = _refused(b, data, tmp_path, errors.BundleTooNew)
    assert "Install Red Steward 9.4.0 or newer" in str(error)


def test_a_bundle_of_a_newer_format_names_the_version_to_install(small, tmp_path):
    _a, b, path = small
    data = bytearray(path.read_bytes())
    prefix = struct.Struct(">8sHI")
    magic, fmt, header_len = prefix.unpack_from(data, 0)
    header = json.loads(data[prefix.size : prefix.size + header_len])
    header["app"] = "9.5.1"
    raw = json.dumps(header).encode()
    newer = prefix.pack(magic, fmt + 1, len(raw)) + raw + data[prefix.size + header_len :]
    error = _refused(b, newer, tmp_path, errors.BundleTooNew)
    assert "9.5.1" in str(error) and f"{SCHEMA_VERSION}" in str(error)
    assert b.sync.import_file(path).records_added == 1, "the current format still imports"


def test_a_replayed_bundle_is_refused(small, tmp_path):
    _a, b, path = small
    b.sync.import_file(path)
    _refused(b, path.read_bytes(), tmp_path, errors.BundleReplayed)


def test_a_bundle_never_carries_personal_data_in_the_clear(nodes):
    office, laptop = nodes("office", "laptop", demo="office")
    pair(office, laptop)
    data = office.bundle_for(laptop).read_bytes()
    with office.db.raw_connection() as conn:
        samples = list(conn.execute("SELECT name, id_number, phone FROM member LIMIT 20"))
    for name, id_number, phone in samples:
        for text in (name, id_number, phone):
            assert text.encode() not in data
    assert uuid.UUID(str(office.id)).hex.encode() not in data[200:]


def test_a_bundle_from_an_older_version_is_accepted(small):
    a, b, path = small
    with a.db.unit_of_work() as session:
        sender = identity.local_identity(session)
    with b.db.unit_of_work() as session:
        me = identity.local_identity(session)
    parsed = bundle.parse(path.read_bytes(), path)
    payload = bundle.open_payload(parsed, me, path)
    for entry in payload["entries"]:
        entry["schema_version"] = SCHEMA_VERSION - 1
    # As the older version's PC wrote them, so signed by it with that schema (#14).
    transactions: dict[tuple[str, str], list[dict]] = {}
    for entry in payload["entries"]:
        transactions.setdefault((entry["origin"], entry["tx_id"]), []).append(entry)
    payload["txs"] = []
    for (origin, tx), group in sorted(transactions.items()):
        digests = b"".join(
            signing.digest(e, e.get("extra_bases", []))
            for e in sorted(group, key=lambda e: e["seq"])
        )
        signature = sender.sign_key.sign(signing.message(uuid.UUID(origin), uuid.UUID(tx), digests))
        payload["txs"].append(
            {"origin": origin, "tx": tx, "digests": b64(digests), "sig": b64(signature)}
        )
    older = bundle.seal(
        payload,
        sender=sender,
        recipient=me.replica_id,
        recipient_box_public=me.box_public,
        bundle_id=uuid7(),
        bundle_seq=1,
        schema=SCHEMA_VERSION - 1,
        created_ms=0,
        entries=len(payload["entries"]),
        app="0.0.9",
    )
    path.write_bytes(older)
    assert payload["entries"] and b.sync.import_file(path).records_added == 1
    assert b.snapshot() == a.snapshot()
