# SPDX-License-Identifier: GPL-3.0-or-later
"""The sealed bundle: compressed, encrypted for one recipient, signed by its sender.

Layout (all integers big-endian)::

    magic "RSBUNDLE" | format u16 | header length u32 | header (UTF-8 JSON)
    | ciphertext length u64 | ciphertext | Ed25519 signature (64 bytes)

The signature covers every byte before it. The ciphertext is AES-256-GCM over the zlib-compressed
payload (UTF-8 JSON), with the header bytes as associated data; its key comes from X25519 between
a fresh ephemeral key (in the header) and the recipient's key, through HKDF-SHA256. A bundle is
read in this order: structure, recipient, sender trusted, signature, versions, then decryption;
nothing is decrypted, let alone applied, before the signature holds. The same bytes are meant to
travel over HTTP. See docs/sync.md.
"""

from __future__ import annotations

import json
import os
import struct
import uuid
import zlib
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from desktop import __version__
from desktop.models.store.changelog import SCHEMA_VERSION
from desktop.sync import errors
from desktop.sync.identity import Identity, b64, canonical, unb64

MAGIC = b"RSBUNDLE"
#: 2: the header names the ids the sender continues (`continues`, a restored or copied replica).
#: 3: the payload carries each transaction's signature by its origin (`txs`, `keys`).
FORMAT = 3
SIGNATURE_SIZE = 64
MAX_HEADER = 64 * 1024
#: A bundle never expands past this when decompressed (a guard against decompression bombs).
MAX_PAYLOAD = 1 << 30
_PREFIX = struct.Struct(">8sHI")
_LENGTH = struct.Struct(">Q")
_INFO = b"red-steward bundle v1"


@dataclass(frozen=True)
class Header:
    format: int
    schema: int
    app: str
    sender: uuid.UUID
    sender_name: str
    recipient: uuid.UUID
    bundle_id: uuid.UUID
    bundle_seq: int
    created_ms: int
    ephemeral: bytes
    nonce: bytes
    entries: int
    #: The replica ids the sender had before (a restored or copied data file), newest first.
    continues: tuple[uuid.UUID, ...] = ()


@dataclass(frozen=True)
class Parsed:
    header: Header
    header_bytes: bytes  # the associated data: everything up to the header's end
    ciphertext: bytes
    signed: bytes  # everything before the signature
    signature: bytes


def _key(shared: bytes, ephemeral: bytes, recipient: bytes) -> bytes:
    return HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=_INFO + ephemeral + recipient
    ).derive(shared)


def seal(
    payload: dict[str, Any],
    *,
    sender: Identity,
    recipient: uuid.UUID,
    recipient_box_public: bytes,
    bundle_id: uuid.UUID,
    bundle_seq: int,
    schema: int,
    created_ms: int,
    entries: int,
    app: str = __version__,
    continues: tuple[uuid.UUID, ...] = (),
) -> bytes:
    """Seal `payload` for `recipient`; `app` is the version named if it is refused as too new."""
    ephemeral = X25519PrivateKey.generate()
    ephemeral_public = ephemeral.public_key().public_bytes_raw()
    shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(recipient_box_public))
    nonce = os.urandom(12)
    header = {
        "format": FORMAT,
        "schema": schema,
        "app": app,
        "sender": str(sender.replica_id),
        "sender_name": sender.name,
        "recipient": str(recipient),
        "bundle_id": str(bundle_id),
        "bundle_seq": bundle_seq,
        "created_ms": created_ms,
        "ephemeral": b64(ephemeral_public),
        "nonce": b64(nonce),
        "entries": entries,
        "continues": [str(c) for c in continues],
    }
    header_json = canonical(header)
    prefix = _PREFIX.pack(MAGIC, FORMAT, len(header_json)) + header_json
    plain = zlib.compress(canonical(payload), 6)
    ciphertext = AESGCM(_key(shared, ephemeral_public, recipient_box_public)).encrypt(
        nonce, plain, prefix
    )
    signed = prefix + _LENGTH.pack(len(ciphertext)) + ciphertext
    return signed + sender.sign_key.sign(signed)


def _header(raw: dict[str, Any]) -> Header:
    return Header(
        format=int(raw["format"]),
        schema=int(raw["schema"]),
        app=str(raw["app"]),
        sender=uuid.UUID(raw["sender"]),
        sender_name=str(raw.get("sender_name", "")),
        recipient=uuid.UUID(raw["recipient"]),
        bundle_id=uuid.UUID(raw["bundle_id"]),
        bundle_seq=int(raw["bundle_seq"]),
        created_ms=int(raw["created_ms"]),
        ephemeral=unb64(raw["ephemeral"]),
        nonce=unb64(raw["nonce"]),
        entries=int(raw["entries"]),
        continues=tuple(uuid.UUID(c) for c in raw["continues"]),
    )


def parse(data: bytes, path: object) -> Parsed:
    """The bundle's structure, checked exactly (no crypto yet): `BundleDamaged` if anything is off.

    A bundle of a newer format is refused with `BundleTooNew` (the header layout stays readable
    across formats so that the message can name the version to install).
    """
    try:
        magic, fmt, header_len = _PREFIX.unpack_from(data, 0)
        if magic != MAGIC or header_len > MAX_HEADER:
            raise ValueError("not a bundle")
        start = _PREFIX.size
        header_bytes = data[start : start + header_len]
        if len(header_bytes) != header_len:
            raise ValueError("short header")
        raw = json.loads(header_bytes.decode("utf-8"))
        if fmt > FORMAT:
            raise errors.BundleTooNew(
                path, str(raw.get("app", "?")), int(raw.get("schema", 0)), SCHEMA_VERSION
            )
        if fmt < FORMAT:
            raise errors.BundleTooOld(path, str(raw.get("app", "?")))
        header = _header(raw)
        if (
            fmt != FORMAT
            or header.format != fmt
            or len(header.nonce) != 12
            or len(header.ephemeral) != 32
        ):
            raise ValueError("format")
        offset = start + header_len
        (cipher_len,) = _LENGTH.unpack_from(data, offset)
        offset += _LENGTH.size
        if len(data) != offset + cipher_len + SIGNATURE_SIZE:
            raise ValueError("length")
        return Parsed(
            header=header,
            header_bytes=data[: start + header_len],
            ciphertext=data[offset : offset + cipher_len],
            signed=data[: offset + cipher_len],
            signature=data[offset + cipher_len :],
        )
    except errors.SyncError:
        raise
    except (ValueError, KeyError, TypeError, struct.error, UnicodeDecodeError) as error:
        raise errors.BundleDamaged(path) from error


def signed_by(parsed: Parsed, sign_public: bytes) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(sign_public).verify(parsed.signature, parsed.signed)
    except InvalidSignature:
        return False
    return True


def verify(parsed: Parsed, sender_sign_public: bytes, path: object) -> None:
    try:
        Ed25519PublicKey.from_public_bytes(sender_sign_public).verify(
            parsed.signature, parsed.signed
        )
    except InvalidSignature as error:
        raise errors.BundleDamaged(path) from error


def open_payload(parsed: Parsed, recipient: Identity, path: object) -> dict[str, Any]:
    """The decrypted, decompressed payload of a verified bundle."""
    header = parsed.header
    try:
        shared = recipient.box_key.exchange(X25519PublicKey.from_public_bytes(header.ephemeral))
        key = _key(shared, header.ephemeral, recipient.box_public)
        plain = AESGCM(key).decrypt(header.nonce, parsed.ciphertext, parsed.header_bytes)
        inflater = zlib.decompressobj()
        text = inflater.decompress(plain, MAX_PAYLOAD)
        if inflater.unconsumed_tail or not inflater.eof:
            raise ValueError("payload too large or cut short")
        payload = json.loads(text.decode("utf-8"))
        if not isinstance(payload, dict):
            raise ValueError("payload")
        return payload
    except (InvalidTag, ValueError, zlib.error, UnicodeDecodeError) as error:
        raise errors.BundleDamaged(path) from error
