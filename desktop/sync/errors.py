# SPDX-License-Identifier: GPL-3.0-or-later
"""The reasons a card, a bundle or a sync step is refused, each in the user's language."""

from __future__ import annotations

from desktop.errors import NotFound, UserError
from desktop.i18n import _


class SyncError(UserError):
    """A sync step refused; nothing was changed."""


class BundleDamaged(SyncError):
    def __init__(self, path: object) -> None:
        super().__init__(
            _(
                "The file {path} is not a complete sync bundle: it is damaged, cut short or was "
                "altered after it was made. Nothing was changed. Export a new bundle on the other "
                "PC and bring it again."
            ).format(path=path)
        )


class BundleNotWritten(SyncError):
    def __init__(self, path: object, reason: str) -> None:
        super().__init__(
            _(
                "The bundle could not be written to {path} ({reason}). Nothing was exported; "
                "check that the USB drive is plugged in and not full, then try again."
            ).format(path=path, reason=reason)
        )


class BundleForeign(SyncError):
    def __init__(self, path: object, recipient: object) -> None:
        super().__init__(
            _(
                "The bundle {path} was made for another PC ({recipient}), not for this one. "
                "Nothing was changed. Import it on the PC it was made for, or export a new "
                "bundle for this PC."
            ).format(path=path, recipient=recipient)
        )


class BundleUntrusted(SyncError):
    def __init__(self, path: object, sender: object) -> None:
        super().__init__(
            _(
                "The bundle {path} comes from a PC this one does not trust ({sender}). "
                "Nothing was changed. Compare that PC's fingerprint and trust its card first "
                "(red-steward sync trust CARD)."
            ).format(path=path, sender=sender)
        )


class BundleTooNew(SyncError):
    def __init__(self, path: object, version: str, schema: int, ours: int) -> None:
        super().__init__(
            _(
                "The bundle {path} was made by a newer version of Red Steward ({version}, data "
                "version {schema}; this PC has data version {ours}). Nothing was changed. "
                "Install Red Steward {version} or newer on this PC, then import it again."
            ).format(path=path, version=version, schema=schema, ours=ours)
        )


class BundleReplayed(SyncError):
    def __init__(self, path: object) -> None:
        super().__init__(
            _(
                "The bundle {path} was already imported, or a newer one from the same PC was. "
                "Nothing was changed."
            ).format(path=path)
        )


class CardInvalid(SyncError):
    def __init__(self, path: object) -> None:
        super().__init__(
            _("The file {path} is not a valid replica card, or it is damaged.").format(path=path)
        )


class CardIsOwn(SyncError):
    def __init__(self) -> None:
        super().__init__(_("This is this PC's own card; trust the other PC's card instead."))


class CardKeysChanged(SyncError):
    def __init__(self, peer: object) -> None:
        super().__init__(
            _(
                "A PC with the id {peer} is already trusted, with different keys. The card may be "
                "forged; nothing was changed. If that PC was reinstalled, remove it first."
            ).format(peer=peer)
        )


class BranchNotNamed(SyncError):
    def __init__(self, peer: object, held: int) -> None:
        super().__init__(
            _(
                "The card of {peer} holds no branch, and this PC holds {held} branches. Nothing "
                "was changed. Name the branch that PC may receive: red-steward sync trust CARD "
                "--branch BRANCH_ID"
            ).format(peer=peer, held=held)
        )


class NameTooLong(SyncError):
    def __init__(self, name: str, limit: int) -> None:
        super().__init__(
            _("The name {name} is too long: at most {limit} characters.").format(
                name=name, limit=limit
            )
        )


class UnknownRole(SyncError):
    def __init__(self, role: str, roles: tuple[str, ...]) -> None:
        super().__init__(
            _("{role} is not a role of a PC; choose one of {roles}.").format(
                role=role, roles=", ".join(roles)
            )
        )


class HubUnreachable(SyncError):
    def __init__(self, url: object, reason: str) -> None:
        super().__init__(
            _(
                "Cannot reach the hub at {url} ({reason}). Nothing was lost: check the network "
                "and try again, or sync by USB stick."
            ).format(url=url, reason=reason)
        )


class HubRefused(SyncError):
    def __init__(self, url: object, message: str) -> None:
        super().__init__(
            _("The hub at {url} refused the exchange: {message}").format(url=url, message=message)
        )


class IdentityUnreadable(SyncError):
    def __init__(self) -> None:
        super().__init__(
            _(
                "This hub's sync keys cannot be read with this data folder's key file. Use the "
                "data folder that was set up with this database."
            )
        )


class SyncCancelled(SyncError):
    def __init__(self) -> None:
        super().__init__(
            _(
                "The sync with the hub was cancelled. Nothing was lost: what did not get through "
                "goes with the next sync."
            )
        )


class ImportCancelled(SyncError):
    def __init__(self) -> None:
        super().__init__(
            _("The import was cancelled. Nothing was changed: import the bundle again to apply it.")
        )


class SettleCancelled(SyncError):
    def __init__(self) -> None:
        super().__init__(_("Settling the conflicts was cancelled. None of them was settled."))


class ExportCancelled(SyncError):
    def __init__(self) -> None:
        super().__init__(_("The bundle was not written: the export was cancelled."))


class HubNotInstalled(SyncError):
    def __init__(self) -> None:
        super().__init__(
            _(
                "The hub's web service is not installed on this PC. Install Red Steward with "
                'its hub extras (pip install "red-steward[hub]").'
            )
        )


class UnknownPeer(NotFound):
    def __init__(self, peer: object) -> None:
        super().__init__(
            _(
                "No trusted PC has the id {peer}. Trust its card first "
                "(red-steward sync trust CARD)."
            ).format(peer=peer)
        )


class ConflictNotFound(NotFound):
    def __init__(self, conflict: object) -> None:
        super().__init__(
            _("There is no open conflict number {conflict}.").format(conflict=conflict)
        )


class UnknownBranch(NotFound):
    def __init__(self, branch: object) -> None:
        super().__init__(
            _("This PC holds no branch named {branch} (give its name or its id).").format(
                branch=branch
            )
        )


class NoDuplicates(NotFound):
    def __init__(self, id_number: object) -> None:
        super().__init__(
            _(
                "No two current members have the ID number {id_number}; nothing to merge. "
                "List them with: red-steward sync duplicates"
            ).format(id_number=id_number)
        )


class BadPick(SyncError):
    def __init__(self, pick: object, count: int) -> None:
        super().__init__(
            _("Choose one of the values 1 to {count} (got {pick}).").format(pick=pick, count=count)
        )


class BundleTooOld(SyncError):
    def __init__(self, path: object, version: str) -> None:
        super().__init__(
            _(
                "The bundle {path} was made by an older version of Red Steward ({version}) "
                "whose bundles this version no longer reads. Nothing was changed. Update Red "
                "Steward on the PC that made it, then export a new bundle."
            ).format(path=path, version=version)
        )


class ChangeCollision(SyncError):
    def __init__(self, path: object, sender: object, origin: object, seq: int) -> None:
        super().__init__(
            _(
                "The bundle {path} from {sender} holds a change numbered {origin} #{seq} that "
                "differs from the change this PC already has under that number: two PCs are "
                "writing under one identity (a data folder copied or restored by an older "
                "version). Nothing was changed. Update Red Steward on {sender} and open it once: "
                "it then continues under an identity of its own."
            ).format(path=path, sender=sender, origin=origin, seq=seq)
        )


class ChangeForged(SyncError):
    def __init__(self, path: object, sender: object, origin: object, seq: int) -> None:
        super().__init__(
            _(
                "The bundle {path} from {sender} holds a change ({origin} #{seq}) that is not "
                "signed by the PC it claims to come from. Nothing was changed. Do not sync with "
                "{sender} until its clerk has checked that PC."
            ).format(path=path, sender=sender, origin=origin, seq=seq)
        )
