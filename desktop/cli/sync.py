# SPDX-License-Identifier: GPL-3.0-or-later
"""`red-steward sync …`: cards, trust, bundles, conflicts. Headless; no Qt.

The commands and options are a contract with scripts and tests (see docs/sync.md): add, never
break.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import uuid
from pathlib import Path
from typing import Any

from desktop import i18n
from desktop.cli.common import open_services, out, out_json, take_backup_after
from desktop.errors import UserError
from desktop.i18n import _
from desktop.sync.readmodels import CLOCK_AHEAD, refused_by_hub_text


def add_commands(subparsers: Any, common: argparse.ArgumentParser) -> None:
    sync = subparsers.add_parser(
        "sync", parents=[common], help="exchange changes with other PCs by USB bundles"
    )
    ssub = sync.add_subparsers(dest="action", metavar="ACTION", required=True)

    card = ssub.add_parser(
        "card",
        parents=[common],
        help="write this PC's card (id, public keys, branches) for another PC to trust",
    )
    card.add_argument("--out", required=True, metavar="FILE")

    trust = ssub.add_parser(
        "trust",
        parents=[common],
        help="trust another PC's card (compare the fingerprint shown with the one on that PC)",
    )
    trust.add_argument("card", metavar="CARD")
    trust.add_argument(
        "--branch",
        action="append",
        default=None,
        metavar="BRANCH_ID",
        help="the branch the PC may send and receive (repeatable; default: the "
        "card's branches, or the one branch here for an empty PC); for a PC already trusted, "
        "its branches become exactly these (narrow or widen)",
    )
    trust.add_argument(
        "--name",
        default=None,
        metavar="NAME",
        help="what this PC calls that PC (default: the name on its card)",
    )

    name = ssub.add_parser(
        "name",
        parents=[common],
        help="show or choose this PC's name (shown on every PC it syncs with), or name a "
        "trusted PC here",
    )
    name.add_argument(
        "name",
        nargs="?",
        default=None,
        metavar="NAME",
        help='the new name ("" : back to the default, the branch and the role)',
    )
    name.add_argument(
        "--role",
        choices=("office", "laptop", "hub"),
        default=None,
        help="this PC's role, part of its default name",
    )
    name.add_argument(
        "--peer",
        metavar="ID",
        default=None,
        help="name that trusted PC here instead (its id, first characters or name)",
    )
    name.add_argument("--json", action="store_true")

    revoke = ssub.add_parser(
        "revoke",
        parents=[common],
        help="stop trusting a PC: nothing more is sent to it or accepted from it",
    )
    revoke.add_argument("peer", metavar="ID", help="the peer's id (or its first characters)")

    peers = ssub.add_parser(
        "peers", parents=[common], help="the trusted PCs, last sync and changes waiting for each"
    )
    peers.add_argument("--json", action="store_true")

    export = ssub.add_parser(
        "export",
        parents=[common],
        help="write a bundle of everything a peer has not yet acknowledged",
    )
    who = export.add_mutually_exclusive_group(required=True)
    who.add_argument("--peer-card", metavar="CARD", help="the peer's card (already trusted)")
    who.add_argument("--peer", metavar="ID", help="the peer's id (or its first characters)")
    export.add_argument("--out", required=True, metavar="FILE")

    imp = ssub.add_parser("import", parents=[common], help="apply a bundle from a trusted PC")
    imp.add_argument("file", metavar="FILE")
    imp.add_argument("--json", action="store_true")

    conflicts = ssub.add_parser(
        "conflicts", parents=[common], help="the conflicts to review, every value shown"
    )
    conflicts.add_argument("--json", action="store_true")

    resolve = ssub.add_parser(
        "resolve",
        parents=[common],
        help="settle a conflict by picking one of its values (the pick syncs like an edit)",
    )
    resolve.add_argument("conflict_id", type=int, nargs="?", metavar="CONFLICT_ID")
    resolve.add_argument(
        "--pick",
        type=int,
        metavar="N",
        help="the number of the value to keep, as listed by 'sync conflicts'",
    )
    resolve.add_argument(
        "--all",
        action="store_true",
        help="settle every open conflict (or those --branch/--table/--field/--peer name) at "
        "once, with --keep; instead of CONFLICT_ID --pick N",
    )
    resolve.add_argument(
        "--keep",
        choices=("local", "remote"),
        help="with --all: keep this PC's values (local) or the other PC's (remote); a conflict "
        "with no single such value (three PCs) is left and counted",
    )
    resolve.add_argument(
        "--branch", metavar="BRANCH", help="with --all: only this branch's records"
    )
    resolve.add_argument(
        "--table", metavar="TABLE", help="with --all: only records of this table (member, ...)"
    )
    resolve.add_argument(
        "--field", metavar="FIELD", help="with --all: only this field (phone, ...)"
    )
    resolve.add_argument(
        "--peer",
        metavar="ID",
        help="with --all: only conflicts with a value from this PC (its id or first "
        "characters); with --keep remote, that PC's value is kept",
    )
    resolve.add_argument("--json", action="store_true", help="with --all: the counts as JSON")

    for verb in ("push", "pull"):
        remote = ssub.add_parser(
            verb,
            parents=[common],
            help="exchange with the hub over the "
            "network (both directions: ours go, the hub's come back)",
        )
        remote.add_argument("--hub", required=True, metavar="URL")
        remote.add_argument("--json", action="store_true")
        remote.set_defaults(handler=cmd_hub_exchange)
        remote.add_argument(
            "--batch",
            type=int,
            default=None,
            metavar="N",
            help="at most about N changes each way per round (default 5000; "
            "smaller for a slow line)",
        )

    dups = ssub.add_parser(
        "duplicates",
        parents=[common],
        help="members entered twice (same ID number on two PCs), to merge",
    )
    dups.add_argument("--json", action="store_true")

    merge = ssub.add_parser(
        "merge-duplicates",
        parents=[common],
        help="merge the members entered twice with this ID number into the earliest entered one",
    )
    merge.add_argument("id_number", metavar="ID_NUMBER")
    card.set_defaults(handler=cmd_card)
    trust.set_defaults(handler=cmd_trust)
    name.set_defaults(handler=cmd_name)
    revoke.set_defaults(handler=cmd_revoke)
    peers.set_defaults(handler=cmd_peers)
    export.set_defaults(handler=cmd_export)
    imp.set_defaults(handler=cmd_import)
    conflicts.set_defaults(handler=cmd_conflicts)
    resolve.set_defaults(handler=cmd_resolve)
    dups.set_defaults(handler=cmd_duplicates)
    merge.set_defaults(handler=cmd_merge_duplicates)


def _service(args: argparse.Namespace) -> Any:
    return open_services(args, create=True).sync


def _when(value: Any) -> str:
    return value.astimezone().strftime("%Y-%m-%d %H:%M") if value else _("not yet")


def cmd_card(args: argparse.Namespace) -> int:
    service = _service(args)
    path = service.write_card(Path(args.out).expanduser())
    replica_id, name, fingerprint = service.me()
    out(_("Wrote the card of {name} ({id}) to {path}.").format(name=name, id=replica_id, path=path))
    if not service.pc_name().chosen:
        out(
            _(
                "That is the default name (its branch and role); choose another with: "
                'red-steward sync name "NAME"'
            )
        )
    out(_("Fingerprint: {fingerprint}").format(fingerprint=fingerprint))
    return 0


def cmd_trust(args: argparse.Namespace) -> int:
    from desktop.sync import errors

    service = _service(args)
    card = service.read_card(Path(args.card).expanduser())
    try:
        branches = [uuid.UUID(b) for b in args.branch] if args.branch else None
    except ValueError as error:
        raise errors.CardInvalid(args.branch) from error
    peer, created = service.trust(card, branches, args.name)
    message = _("Now trusting {name} ({id}).") if created else _("Still trusting {name} ({id}).")
    out(message.format(name=peer.label or "-", id=peer.id))
    if peer.card_name and peer.card_name != peer.name:
        out(_("Its card calls it {name}.").format(name=peer.card_name))
    out(_("Fingerprint: {fingerprint}").format(fingerprint=peer.fingerprint))
    out(_("Compare it with the fingerprint shown on that PC; if they differ, do not sync."))
    out(_("Branches shared: {branches}").format(branches=", ".join(peer.branches) or "-"))
    return 0


def cmd_name(args: argparse.Namespace) -> int:
    service = _service(args)
    if args.peer is not None:
        peer_id = service.find_peer(args.peer)
        if args.name is not None:
            peer = service.name_peer(peer_id, args.name)
        else:
            peer = next(p for p in service.peers(waiting=False) if p.id == peer_id)
        out(_("This PC calls {id} {name}.").format(id=peer.id, name=peer.label))
        if peer.card_name and peer.card_name != peer.name:
            out(_("Its card calls it {name}.").format(name=peer.card_name))
        return 0
    if args.name is not None or args.role is not None:
        service.name_this_pc(args.name, args.role)
    pc = service.pc_name()
    if args.json:
        out_json(
            {
                "id": str(service.me()[0]),
                "name": pc.name,
                "chosen": pc.chosen,
                "role": pc.role,
                "default": pc.default,
            }
        )
        return 0
    out(_("This PC is called {name}.").format(name=pc.name))
    if not pc.chosen:
        out(
            _(
                "That is the default name (its branch and role); choose another with: "
                'red-steward sync name "NAME"'
            )
        )
    if args.name is not None or args.role is not None:
        out(_("The PCs it syncs with show the new name after its next card or sync."))
    return 0


def cmd_revoke(args: argparse.Namespace) -> int:
    service = _service(args)
    peer = service.revoke(service.find_peer(args.peer))
    out(_("No longer trusting {name} ({id}).").format(name=peer.label or "-", id=peer.id))
    out(_("What it already received stays on that PC; nothing more is sent to it."))
    return 0


def cmd_peers(args: argparse.Namespace) -> int:
    rows = _service(args).peers()
    if args.json:
        out_json(
            [
                {
                    "id": str(p.id),
                    "name": p.name,
                    "label": p.label,
                    "card_name": p.card_name,
                    "fingerprint": p.fingerprint,
                    "branches": list(p.branches),
                    "last_import_at": p.last_import_at,
                    "last_export_at": p.last_export_at,
                    "waiting": p.waiting,
                    "open_conflicts": p.open_conflicts,
                }
                for p in rows
            ]
        )
        return 0
    for p in rows:
        out(
            "\t".join(
                [
                    str(p.id),
                    p.label or "-",
                    _when(p.last_import_at),
                    _when(p.last_export_at),
                    str(p.waiting),
                    str(p.open_conflicts),
                ]
            )
        )
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    service = _service(args)
    if args.peer_card:
        peer_id = service.find_peer(str(service.read_card(Path(args.peer_card)).replica_id))
    else:
        peer_id = service.find_peer(args.peer)
    result = service.export(peer_id, Path(args.out).expanduser())
    out(
        i18n.ngettext(
            "Wrote {n} change to {path}.", "Wrote {n} changes to {path}.", result.entries
        ).format(n=result.entries, path=result.path)
    )
    return 0


def summary_lines(summary: Any) -> list[str]:
    lines = [
        _(
            "Imported from {name}: {added} records added, {updated} fields updated, "
            "{conflicts} conflicts to review."
        ).format(
            name=summary.sender_name or summary.sender,
            added=summary.records_added,
            updated=summary.fields_updated,
            conflicts=summary.conflicts,
        ),
    ]
    if summary.entries_new == 0:
        lines.append(_("Nothing new: this PC already had every change in the bundle."))
    if summary.entries_refused:
        lines.append(
            i18n.ngettext(
                "{n} change for a branch that PC may not write was refused.",
                "{n} changes for branches that PC may not write were refused.",
                summary.entries_refused,
            ).format(n=summary.entries_refused)
        )
    return lines


def _import_progress() -> Any:
    """Lines on stderr while a bundle is applied (about every 5%; only on a terminal)."""
    shown = [-1]

    def report(done: int, total: int) -> None:
        if total and (done == total or done - shown[0] >= max(1, total // 20)):
            shown[0] = done
            text = i18n.ngettext("{done} of {total} record", "{done} of {total} records", total)
            sys.stderr.write(text.format(done=f"{done:,}", total=f"{total:,}") + "\n")
            sys.stderr.flush()

    return report


def cmd_import(args: argparse.Namespace) -> int:
    summary = _service(args).import_file(
        Path(args.file).expanduser(),
        progress=_import_progress() if sys.stderr.isatty() else None,
    )
    if args.json:
        out_json(
            {
                "sender": str(summary.sender),
                "entries_new": summary.entries_new,
                "entries_known": summary.entries_known,
                "entries_refused": summary.entries_refused,
                "records_added": summary.records_added,
                "fields_updated": summary.fields_updated,
                "conflicts": summary.conflicts,
            }
        )
    else:
        for line in summary_lines(summary):
            out(line)
    take_backup_after(summary.backup_after)  # after the summary: the clerk has it already
    return 0


def _show(value: Any) -> str:
    from desktop.sync.conflicts import KEEP, REMOVE

    if value == KEEP:
        return _("keep the record")
    if value == REMOVE:
        return _("remove the record")
    return "∅" if value is None or value == "" else str(value)


def cmd_conflicts(args: argparse.Namespace) -> int:
    rows = _service(args).conflicts()
    if args.json:
        out_json(
            [
                {
                    "id": c.id,
                    "entity": c.entity,
                    "row_id": str(c.row_id),
                    "record": c.record,
                    "field": c.field,
                    "kind": c.kind,
                    "options": [
                        {
                            "pick": o.number,
                            "value": o.value,
                            "replica": str(o.origin),
                            "replica_name": o.replica_name,
                            "actor": o.actor,
                            "when": o.when.isoformat(),
                            "shown": o.shown,
                            "text": o.text,
                            "here": o.here,
                            "clock_ahead": o.clock_ahead,
                        }
                        for o in c.options
                    ],
                    "missed_edits": [
                        {"field": f, "value": v, "who": w, "when": t.isoformat()}
                        for f, v, w, t in c.missed_edits
                    ],
                }
                for c in rows
            ]
        )
        return 0
    if not rows:
        out(_("No conflicts to review."))
        return 0
    for c in rows:
        if c.kind == "delete":
            out(
                _("#{id} {record}: removed on one PC while edited on another").format(
                    id=c.id, record=c.record
                )
            )
            for field, value, who, when in c.missed_edits:
                out(f"      {field} = {_show(value)}  ({who or '-'}, {_when(when)})")
        else:
            out(_("#{id} {record}: {field}").format(id=c.id, record=c.record, field=c.field_label))
        for o in c.options:
            marker = "*" if o.shown else " "
            value = _show(o.value) if c.kind == "delete" else (o.text or _show(None))
            ahead = "  " + _(CLOCK_AHEAD) if o.clock_ahead else ""
            out(
                f"  {marker} {o.number}. {value}  ({o.actor or '-'} @ "
                f"{o.replica_name or str(o.origin)[:8]}, {_when(o.when)}){ahead}"
            )
    return 0


class ResolveUsage(UserError):
    """`sync resolve` given neither one conflict and its pick nor --all with --keep."""

    exit_code = 2

    def __init__(self) -> None:
        super().__init__(
            _(
                "Name one conflict and the value to keep (sync resolve CONFLICT_ID --pick N), "
                "or settle many at once (sync resolve --all --keep local|remote)."
            )
        )


def cmd_resolve(args: argparse.Namespace) -> int:
    narrowed = any(getattr(args, o) for o in ("keep", "branch", "table", "field", "peer", "json"))
    if args.all:
        if args.conflict_id is not None or args.pick is not None or args.keep is None:
            raise ResolveUsage()
        return _resolve_all(args)
    if args.conflict_id is None or args.pick is None or narrowed:
        raise ResolveUsage()
    row = _service(args).resolve(args.conflict_id, args.pick)
    out(
        _("Settled conflict #{id} ({record}): kept {value}.").format(
            id=row.id, record=row.record, value=_show(row.options[args.pick - 1].value)
        )
    )
    return 0


def _resolve_all(args: argparse.Namespace) -> int:
    service = _service(args)
    peer = _replica_id(service, args.peer) if args.peer else None
    branch = _branch_id(service, args.branch) if args.branch else None
    result = service.resolve_all(
        args.keep, branch=branch, entity=args.table, field=args.field, peer=peer
    )
    settled, left = len(result.settled), len(result.left)
    if args.json:
        out_json(
            {
                "keep": result.keep,
                "settled": [c.id for c in result.settled],
                "left": [c.id for c in result.left],
            }
        )
        return 0
    if not settled and not left:
        out(_("No open conflict matches."))
        return 0
    if args.keep == "local":
        text = i18n.ngettext(
            "Settled {n} conflict, keeping this PC's values.",
            "Settled {n} conflicts, keeping this PC's values.",
            settled,
        )
    else:
        text = i18n.ngettext(
            "Settled {n} conflict, keeping the other PC's values.",
            "Settled {n} conflicts, keeping the other PC's values.",
            settled,
        )
    out(text.format(n=settled))
    if left:
        out(
            i18n.ngettext(
                "{n} conflict has no single value of that kind (three PCs, or none from "
                "there): settle it with 'sync resolve CONFLICT_ID --pick N'.",
                "{n} conflicts have no single value of that kind (three PCs, or none from "
                "there): settle them with 'sync resolve CONFLICT_ID --pick N'.",
                left,
            ).format(n=left)
        )
    return 0


def _replica_id(service: Any, text: str) -> uuid.UUID:
    """A PC by its full id (any PC whose values reached this one), or a trusted PC by the
    first characters of its id."""
    try:
        return uuid.UUID(text.strip())
    except ValueError:
        return service.find_peer(text)


def _branch_id(service: Any, text: str) -> uuid.UUID:
    """A branch held here, by its id (or first characters) or its name."""
    from desktop.sync.errors import UnknownBranch

    wanted = text.strip().lower()
    found = [
        branch_id
        for branch_id, name in service.branches()
        if name == text.strip() or (wanted and str(branch_id).startswith(wanted))
    ]
    if len(found) != 1:
        raise UnknownBranch(text)
    return found[0]


def cmd_duplicates(args: argparse.Namespace) -> int:
    groups = _service(args).duplicates()
    if args.json:
        out_json(
            [
                {
                    "id_number": g.id_number,
                    "members": [{"id": str(i), "name": n} for i, n in g.members],
                    "records": [dataclasses.asdict(r) | {"id": str(r.id)} for r in g.records],
                }
                for g in groups
            ]
        )
        return 0
    if not groups:
        out(_("No member is entered twice."))
    else:
        out(_("Merge each with: red-steward sync merge-duplicates ID_NUMBER"))
    for g in groups:
        out("")
        out(_("ID number {id_number}:").format(id_number=g.id_number))
        for label, values in g.side_by_side():
            out("  " + "\t".join([label, *values]))
    return 0


def cmd_merge_duplicates(args: argparse.Namespace) -> int:
    result = _service(args).merge_duplicates(args.id_number)
    out(
        i18n.ngettext(
            "Merged {n} duplicate into {name} ({id}).",
            "Merged {n} duplicates into {name} ({id}).",
            len(result.removed),
        ).format(n=len(result.removed), name=result.kept_name, id=result.kept)
    )
    if result.filled:
        out(_("Filled from the duplicate: {fields}").format(fields=", ".join(result.filled)))
    if result.moved_references:
        out(
            i18n.ngettext(
                "{n} linked record now points at the kept member.",
                "{n} linked records now point at the kept member.",
                result.moved_references,
            ).format(n=result.moved_references)
        )
    return 0


def _progress_lines(done: int, total: int) -> None:
    """One line on stderr per round of a hub exchange (only on a terminal: stdout, and the
    JSON there, stay as they were)."""
    if total:
        text = i18n.ngettext("{done} of {total} change", "{done} of {total} changes", total)
        sys.stderr.write(text.format(done=f"{done:,}", total=f"{total:,}") + "\n")
        sys.stderr.flush()


def cmd_hub_exchange(args: argparse.Namespace) -> int:
    from desktop.sync.exchange import BATCH_ENTRIES
    from desktop.sync.http import exchange_with_hub

    # Through the module's function, not SyncService.exchange_with_hub: only it takes a batch
    # size (`--batch`), and its rounds are units of work of the sync core.
    result = exchange_with_hub(
        open_services(args, create=True).db,
        args.hub,
        progress=_progress_lines if sys.stderr.isatty() else None,
        limit=max(1, args.batch or BATCH_ENTRIES),
    )
    if args.json:
        s = result.received
        out_json(
            {
                "sent": result.sent,
                "entries_new": s.entries_new,
                "records_added": s.records_added,
                "fields_updated": s.fields_updated,
                "conflicts": s.conflicts,
                "entries_refused": s.entries_refused,
                "refused_by_hub": result.refused_by_hub,
            }
        )
    else:
        out(
            i18n.ngettext(
                "Sent {n} change to the hub.", "Sent {n} changes to the hub.", result.sent
            ).format(n=result.sent)
        )
        if result.refused_by_hub:
            out(refused_by_hub_text(result.refused_by_hub))
        for line in summary_lines(result.received):
            out(line)
    take_backup_after(result.backup_after)
    return 0
