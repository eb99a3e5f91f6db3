# SPDX-License-Identifier: GPL-3.0-or-later
"""Accounts and the data key: who may open the data file, with which role.

The data file is encrypted with one random 256-bit *data key* (SQLCipher). The key is never
stored in the clear: the key file (`red-steward.keys`, next to the data) holds it once per account,
wrapped with AES-256-GCM under a key derived from that account's password with Argon2id, and once
more under the *recovery key* shown at setup. A successful unwrap is the password check (the GCM
tag fails for any other password), so there is no separate password hash to steal, and no master
key: without a password or the recovery key the data cannot be read. See docs/security.md.

The account's name and role are bound into the wrapping as associated data, so editing the role
in the key file makes that account's unwrap fail instead of promoting it.

No Qt here. Nothing in this module is process-global except the default KDF cost.
"""

from __future__ import annotations

import base64
import contextlib
import dataclasses
import datetime as dt
import json
import os
import secrets
import time
from pathlib import Path
from typing import Any

from desktop import errors
from desktop.i18n import N_, _

KEYS_FILENAME = "red-steward.keys"
FORMAT = "red-steward-keys"
VERSION = 1

ADMIN, CLERK, VIEWER = "admin", "clerk", "viewer"
#: Roles, most powerful first, with their names for people.
ROLES: dict[str, str] = {
    # L10N: the account role that may do everything, including accounts and restore
    ADMIN: N_("Secretary / administrator"),
    # L10N: the account role that may edit the register but not manage accounts
    CLERK: N_("Clerk"),
    # L10N: the account role that may only look
    VIEWER: N_("Viewer (read only)"),
}

#: Argon2id cost for new passwords (RFC 9106's second recommended setting: 64 MiB, t=3, p=4).
#: Stored with each account, so a later change applies to new passwords only. Tests lower it.
KDF_DEFAULT: dict[str, int] = {"memory_kib": 64 * 1024, "iterations": 3, "lanes": 4}
#: Wrong passwords in a row that are free; after that each attempt waits longer (2, 4, 8… s).
FREE_ATTEMPTS = 3
MAX_DELAY_S = 300
MIN_PASSWORD = 8
RECOVERY_BYTES = 20  # 160 bits, written as 32 base32 characters in groups of four


@dataclasses.dataclass(frozen=True, slots=True)
class Credentials:
    """A user name and a password (or, for `recover`, the recovery key)."""

    username: str
    password: str = dataclasses.field(repr=False)

    @classmethod
    def from_env(cls) -> Credentials | None:
        user = os.environ.get("RED_STEWARD_USER", "").strip()
        password = os.environ.get("RED_STEWARD_PASSWORD", "")
        return cls(user, password) if user and password else None


@dataclasses.dataclass(frozen=True, slots=True)
class Account:
    """A signed-in (or listed) account. Roles are checked through the properties."""

    username: str
    role: str

    @property
    def can_write(self) -> bool:
        return self.role in (ADMIN, CLERK)

    @property
    def is_admin(self) -> bool:
        return self.role == ADMIN

    @property
    def role_label(self) -> str:
        return _(ROLES.get(self.role, self.role))


# ----------------------------------------------------------------------------- crypto


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"))


def _password_kek(password: str, salt: bytes, kdf: dict[str, int]) -> bytes:
    from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

    return Argon2id(
        salt=salt,
        length=32,
        iterations=kdf["iterations"],
        lanes=kdf["lanes"],
        memory_cost=kdf["memory_kib"],
    ).derive(password.encode("utf-8"))


def _recovery_kek(recovery_key: str, salt: bytes) -> bytes:
    # The recovery key is 160 random bits: a fast KDF is enough, the entropy does the work.
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    raw = _parse_recovery_key(recovery_key)
    return HKDF(
        algorithm=hashes.SHA256(), length=32, salt=salt, info=b"red-steward recovery v1"
    ).derive(raw)


def _aad(kind: str, username: str, role: str) -> bytes:
    return json.dumps([FORMAT, VERSION, kind, username, role], ensure_ascii=False).encode()


def _wrap(kek: bytes, data_key: bytes, aad: bytes) -> dict[str, str]:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    nonce = secrets.token_bytes(12)
    return {"nonce": _b64(nonce), "wrapped": _b64(AESGCM(kek).encrypt(nonce, data_key, aad))}


def _unwrap(kek: bytes, slot: dict[str, Any], aad: bytes) -> bytes | None:
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    try:
        return AESGCM(kek).decrypt(_unb64(slot["nonce"]), _unb64(slot["wrapped"]), aad)
    except (InvalidTag, KeyError, ValueError):
        return None


def new_recovery_key() -> str:
    text = base64.b32encode(secrets.token_bytes(RECOVERY_BYTES)).decode("ascii")
    return "-".join(text[i : i + 4] for i in range(0, len(text), 4))


def _parse_recovery_key(text: str) -> bytes:
    cleaned = "".join(ch for ch in text.upper() if ch.isalnum())
    # People write 0/O and 1/I/L alike; base32 has only O and I... and no 0, 1, 8, 9.
    cleaned = cleaned.replace("0", "O").replace("1", "I").replace("8", "B")
    try:
        raw = base64.b32decode(cleaned)
    except ValueError:
        return b""
    return raw if len(raw) == RECOVERY_BYTES else b""


# ----------------------------------------------------------------------------- the key file


def keys_path(folder: Path) -> Path:
    return folder / KEYS_FILENAME


def password_problem(password: str) -> str | None:
    if len(password) < MIN_PASSWORD:
        return _("The password must have at least {n} characters.").format(n=MIN_PASSWORD)
    return None


def username_problem(username: str) -> str | None:
    if not username.strip():
        return _("Enter a user name.")
    if len(username.strip()) > 40 or any(ch.isspace() for ch in username.strip()):
        return _("A user name has at most 40 characters and no spaces.")
    return None


class KeyFile:
    """The parsed key file. Changes are written with `save()` (atomically)."""

    def __init__(self, data: dict[str, Any], path: Path | None = None) -> None:
        self.data, self.path = data, path

    # -- reading

    @classmethod
    def load(cls, path: Path) -> KeyFile:
        try:
            data = json.loads(path.read_text("utf-8"))
        except (OSError, ValueError) as error:
            raise errors.KeysDamaged(path) from error
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise errors.KeysDamaged(path)
        if data.get("version", 0) > VERSION:
            raise errors.DatabaseTooNew(path, f"keys v{data.get('version')}")
        return cls(data, path)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> KeyFile:
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise errors.BackupInvalid(reason=_("the backup carries no keys"))
        return cls(data)

    def portable(self) -> dict[str, Any]:
        """The key file without this PC's sign-in failure counters (for backups)."""
        data = json.loads(json.dumps(self.data))
        for account in data.get("accounts", []):
            account.pop("failures", None)
            account.pop("last_failure", None)
        return data

    def accounts(self) -> list[Account]:
        return [Account(a["username"], a["role"]) for a in self.data.get("accounts", [])]

    def _find(self, username: str) -> dict[str, Any] | None:
        name = username.strip()
        for account in self.data.get("accounts", []):
            if account["username"] == name:
                return account
        return None

    # -- creating and signing in

    @classmethod
    def create(
        cls, path: Path | None, admin: Credentials, data_key: bytes | None = None
    ) -> tuple[KeyFile, bytes, str]:
        """A new key file with one administrator; returns it, the data key and the recovery key."""
        problem = username_problem(admin.username) or password_problem(admin.password)
        if problem:
            raise errors.UserError(problem)
        data_key = data_key or secrets.token_bytes(32)
        keys = cls(
            {
                "format": FORMAT,
                "version": VERSION,
                "accounts": [],
                "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            },
            path,
        )
        keys._put_account(admin.username.strip(), ADMIN, admin.password, data_key)
        recovery = new_recovery_key()
        salt = secrets.token_bytes(16)
        keys.data["recovery"] = {"salt": _b64(salt)} | _wrap(
            _recovery_kek(recovery, salt), data_key, _aad("recovery", "", "")
        )
        return keys, data_key, recovery

    def _put_account(self, username: str, role: str, password: str, data_key: bytes) -> None:
        salt = secrets.token_bytes(16)
        kdf = dict(KDF_DEFAULT)
        entry = {
            "username": username,
            "role": role,
            "salt": _b64(salt),
            "kdf": kdf,
            "failures": 0,
            "last_failure": 0.0,
        }
        entry |= _wrap(
            _password_kek(password, salt, kdf), data_key, _aad("password", username, role)
        )
        accounts = [a for a in self.data.get("accounts", []) if a["username"] != username]
        accounts.append(entry)
        self.data["accounts"] = accounts

    def wait_seconds(self, username: str, now: float | None = None) -> int:
        """How long this account must wait before the next attempt (0: it may try now)."""
        account = self._find(username)
        if account is None:
            return 0
        failures = int(account.get("failures", 0))
        if failures < FREE_ATTEMPTS:
            return 0
        delay = min(2 ** (failures - FREE_ATTEMPTS + 1), MAX_DELAY_S)
        left = float(account.get("last_failure", 0.0)) + delay - (now or time.time())
        return max(0, int(left + 0.999))

    def unlock(self, credentials: Credentials, now: float | None = None) -> tuple[bytes, Account]:
        """The data key and the account, or `WrongPassword` / `SignInThrottled`.

        Failures are counted in the key file (when it has a path) so that restarting the program
        does not reset the wait.
        """
        account = self._find(credentials.username)
        wait = self.wait_seconds(credentials.username, now)
        if wait:
            raise errors.SignInThrottled(wait)
        if account is None:
            # Spend the same effort as a real check, so timing does not tell which names exist.
            _password_kek(credentials.password, b"\0" * 16, KDF_DEFAULT)
            raise errors.WrongPassword()
        kek = _password_kek(credentials.password, _unb64(account["salt"]), account["kdf"])
        key = _unwrap(kek, account, _aad("password", account["username"], account["role"]))
        if key is None:
            account["failures"] = int(account.get("failures", 0)) + 1
            account["last_failure"] = now or time.time()
            self._save_quietly()
            raise errors.WrongPassword()
        if account.get("failures"):
            account["failures"], account["last_failure"] = 0, 0.0
            self._save_quietly()
        return key, Account(account["username"], account["role"])

    def unlock_with_recovery_key(self, recovery_key: str) -> bytes:
        slot = self.data.get("recovery")
        raw_ok = bool(_parse_recovery_key(recovery_key))
        key = (
            _unwrap(
                _recovery_kek(recovery_key, _unb64(slot["salt"])), slot, _aad("recovery", "", "")
            )
            if slot and raw_ok
            else None
        )
        if key is None:
            raise errors.WrongRecoveryKey()
        return key

    # -- managing accounts (the caller checks that the signed-in account is an administrator)

    def add_account(self, data_key: bytes, username: str, role: str, password: str) -> Account:
        problem = username_problem(username) or password_problem(password)
        if problem:
            raise errors.UserError(problem)
        if role not in ROLES:
            raise errors.UserError(_("Unknown role {role}.").format(role=role))
        if self._find(username) is not None:
            raise errors.UserError(
                _("There is already an account named {name}.").format(name=username.strip())
            )
        self._put_account(username.strip(), role, password, data_key)
        return Account(username.strip(), role)

    def set_password(self, data_key: bytes, username: str, password: str) -> None:
        account = self._require(username)
        problem = password_problem(password)
        if problem:
            raise errors.UserError(problem)
        self._put_account(account["username"], account["role"], password, data_key)

    def set_role(self, data_key: bytes, username: str, role: str, password: str) -> None:
        """Changing a role re-wraps the key, which needs that account's new password."""
        account = self._require(username)
        if role not in ROLES:
            raise errors.UserError(_("Unknown role {role}.").format(role=role))
        problem = password_problem(password)
        if problem:
            raise errors.UserError(problem)
        self._check_not_last_admin(account, role)
        self._put_account(account["username"], role, password, data_key)

    def remove_account(self, username: str) -> None:
        account = self._require(username)
        self._check_not_last_admin(account, None)
        self.data["accounts"] = [a for a in self.data["accounts"] if a is not account]

    def new_recovery_key(self, data_key: bytes) -> str:
        """Replace the recovery key (the old one stops working); returns the new one."""
        recovery = new_recovery_key()
        salt = secrets.token_bytes(16)
        self.data["recovery"] = {"salt": _b64(salt)} | _wrap(
            _recovery_kek(recovery, salt), data_key, _aad("recovery", "", "")
        )
        return recovery

    def _require(self, username: str) -> dict[str, Any]:
        account = self._find(username)
        if account is None:
            raise errors.NotFound(_("There is no account named {name}.").format(name=username))
        return account

    def _check_not_last_admin(self, account: dict[str, Any], new_role: str | None) -> None:
        admins = [a for a in self.data["accounts"] if a["role"] == ADMIN]
        if account["role"] == ADMIN and new_role != ADMIN and len(admins) == 1:
            raise errors.UserError(_("The last administrator cannot be removed or demoted."))

    # -- writing

    def save(self, path: Path | None = None) -> None:
        """Write atomically: a crash leaves the old file or the new one, never half of one."""
        path = path or self.path
        assert path is not None
        self.path = path
        atomic_write(path, json.dumps(self.data, ensure_ascii=False, indent=1).encode("utf-8"))

    def _save_quietly(self) -> None:
        if self.path is None:
            return
        # A read-only folder: the counter is then per run, which is still a delay.
        with contextlib.suppress(OSError):
            self.save()


#: Modes of what the app creates in the data folder (POSIX; on Windows the profile's ACL).
PRIVATE_DIR, PRIVATE_FILE = 0o700, 0o600


def private_dir(folder: Path) -> Path:
    """Make `folder` (and missing parents) readable by this user only, if it is new."""
    folder.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR)
    return folder


def private_file(path: Path) -> None:
    """Create `path` empty, readable by this user only, if it does not exist yet."""
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, PRIVATE_FILE))


def atomic_write(path: Path, content: bytes) -> None:
    """Write atomically (temp file, fsync, rename); the file is readable by this user only."""
    tmp = path.with_name(path.name + ".tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE)
        with os.fdopen(fd, "wb") as fh:
            if os.name == "posix":
                os.fchmod(fh.fileno(), PRIVATE_FILE)  # a stale temp file kept its old mode
            fh.write(content)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as error:
        tmp.unlink(missing_ok=True)
        if error.errno == 28:
            raise errors.DiskFull() from error
        raise
    fsync_dir(path.parent)


def fsync_dir(folder: Path) -> None:
    if os.name != "posix":
        return  # Windows cannot open a folder for fsync; NTFS journals the rename itself
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
