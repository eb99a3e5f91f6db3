# SPDX-License-Identifier: GPL-3.0-or-later
"""Managing accounts of an open data file, and the recovery path for a forgotten password.

Every change here is for administrators only (checked here, not just by hidden buttons), except
changing one's own password. Changes rewrite the key file atomically. No Qt here.
"""

from __future__ import annotations

import logging
from pathlib import Path

from desktop import errors
from desktop.i18n import _
from desktop.models.store import keyring
from desktop.models.store.db import Database
from desktop.models.store.keyring import Account, KeyFile

log = logging.getLogger(__name__)


class AccountService:
    def __init__(self, db: Database) -> None:
        self.db = db

    @property
    def _keys(self) -> KeyFile:
        if self.db.keys is None:
            raise errors.PermissionDenied()
        return self.db.keys

    def _key(self) -> bytes:
        assert self.db._key is not None
        return self.db._key

    def list(self) -> list[Account]:
        return self._keys.accounts()

    def add(self, username: str, role: str, password: str) -> Account:
        self.db.require_admin()
        account = self._keys.add_account(self._key(), username, role, password)
        self._keys.save()
        log.info("%s added the account %s (%s)", self._who(), account.username, role)
        return account

    def set_password(self, username: str, password: str) -> None:
        if self.db.user is not None and self.db.user.username != username.strip():
            self.db.require_admin()
        self._keys.set_password(self._key(), username, password)
        self._keys.save()
        log.info("%s set the password of %s", self._who(), username)

    def set_role(self, username: str, role: str, password: str) -> None:
        self.db.require_admin()
        self._keys.set_role(self._key(), username, role, password)
        self._keys.save()
        log.info("%s gave %s the role %s", self._who(), username, role)

    def remove(self, username: str) -> None:
        self.db.require_admin()
        if self.db.user is not None and self.db.user.username == username.strip():
            raise errors.UserError(_("You cannot remove the account you are signed in with."))
        self._keys.remove_account(username)
        self._keys.save()
        log.info("%s removed the account %s", self._who(), username)

    def new_recovery_key(self) -> str:
        self.db.require_admin()
        recovery = self._keys.new_recovery_key(self._key())
        self._keys.save()
        log.info("%s replaced the recovery key", self._who())
        return recovery

    def _who(self) -> str:
        return self.db.user.username if self.db.user else "-"


def recover(folder: Path, recovery_key: str, username: str, new_password: str) -> Account:
    """Set a new password for `username` with the recovery key printed at setup.

    This is the only way in without a password, and it needs the recovery key: there is no
    other back door.
    """
    keys = KeyFile.load(keyring.keys_path(folder))
    key = keys.unlock_with_recovery_key(recovery_key)
    keys.set_password(key, username, new_password)
    keys.save()
    log.info("the password of %s was reset with the recovery key", username)
    return next(a for a in keys.accounts() if a.username == username.strip())
