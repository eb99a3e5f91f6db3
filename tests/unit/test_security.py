# SPDX-License-Identifier: GPL-3.0-or-later
"""Sign-in, roles, encryption at rest, backups and restore, on real files and real processes."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import uuid

import pytest
from sqlalchemy import create_engine, select

from desktop import errors, paths
from desktop.cli.main import main
from desktop.i18n import _, format_datetime
from desktop.models.register.members import save_member
from desktop.models.register.rows import MemberQuery
from desktop.models.register.service import MemberService
from desktop.models.store import accounts, backup, keyring, migrate
from desktop.models.store.accounts import AccountService
from desktop.models.store.changelog import Change
from desktop.models.store.db import Database
from desktop.models.store.keyring import Credentials, KeyFile
from tests.conftest import TEST_PASSWORD, TEST_USER, member_draft

ADMIN = Credentials(TEST_USER, TEST_PASSWORD)


def run(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    full = {**os.environ, "QT_QPA_PLATFORM": "offscreen", **env}
    for name, value in env.items():
        if value == "":
            full.pop(name)
    return subprocess.run(
        [sys.executable, "-m", "desktop", *args],
        capture_output=True,
        text=True,
        env=full,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )


def demo_personal_data() -> list[bytes]:
    """Every ID number, phone and address of the demo branch, as they would be stored."""
    from desktop.models.demo.data import demo_branch

    data = demo_branch()
    values = set()
    for m in data.members:
        values |= {m.id_number, m.phone, m.address}
    for h in data.households:
        values |= {h.phone, h.address}
    return [v.encode("utf-8") for v in values if v and len(v) >= 6]


def add_account(db: Database, name: str, role: str) -> Credentials:
    password = f"{role}-Pa55word!"
    AccountService(db).add(name, role, password)
    return Credentials(name, password)


# ----------------------------------------------------------------------------- encryption


def test_the_files_on_disk_reveal_no_id_number_phone_or_address(demo_db, data_dir, tmp_path):
    with demo_db.read() as session:
        assert session.scalar(select(Change.new_value).where(Change.field == "id_number"))
    secrets = demo_personal_data()
    assert len(secrets) > 100
    manual = backup.backup_to_folder(demo_db, tmp_path / "stick")
    auto = backup.take_backup(demo_db, "test")
    files = [p for p in data_dir.rglob("*") if p.is_file()] + [manual]
    # The live WAL holds the latest pages too: it is checked while the database is open.
    assert paths.database_path(data_dir).with_name("red-steward.sqlite3-wal") in files
    assert auto in files
    for path in files:
        raw = path.read_bytes()
        leaked = [s.decode() for s in secrets if s in raw]
        assert leaked == [], f"{path.name} holds {leaked[:3]}"
    # The same check finds them in a plain SQLite copy, so it would catch a leak.
    plain = tmp_path / "plain.sqlite3"
    conn = demo_db.raw_connection()
    conn.execute(f"ATTACH DATABASE '{plain}' AS plain KEY ''")
    conn.execute("SELECT sqlcipher_export('plain')")
    conn.close()
    assert sum(s in plain.read_bytes() for s in secrets) == len(secrets)


def test_search_by_name_and_id_number_still_works(demo_db):
    from desktop.models.register.groups import current_branch

    with demo_db.read() as session:
        branch = current_branch(session)
    members = MemberService(demo_db, branch.id)
    someone = members.page(MemberQuery(), 5, 1)[0]
    assert [r.id for r in members.page(MemberQuery(text=someone.id_number), 0, 10)] == [someone.id]
    assert someone.id in [r.id for r in members.page(MemberQuery(text=someone.name), 0, 10)]


def test_a_plain_data_file_from_an_older_version_is_encrypted_on_first_sign_in(data_dir):
    data_dir.mkdir()
    path = paths.database_path(data_dir)
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        migrate.upgrade(conn)
    engine.dispose()
    with sqlite3.connect(path) as conn:
        conn.execute(
            "INSERT INTO branch (id, name, town, county, phone, deleted) "
            "VALUES (?, '老数据村党支部', '青山镇', '临江县', '13712345678', 0)",
            (uuid.uuid4().hex,),
        )
    conn.close()
    db = Database.open(data_dir)
    assert db.recovery_key, "the first sign-in created the keys and shows the recovery key"
    from desktop.models.register.groups import current_branch

    with db.read() as session:
        assert current_branch(session).phone == "13712345678"
    db.close()
    raw = path.read_bytes()
    assert not raw.startswith(b"SQLite format 3") and b"13712345678" not in raw
    assert not path.with_name(path.name + ".encrypting").exists()


def test_two_databases_with_different_keys_are_open_side_by_side(tmp_path):
    first = Database.open(tmp_path / "a")
    second = Database.open(tmp_path / "b", credentials=Credentials("other", "other-Pa55word!"))
    assert first._key != second._key
    assert first.user.username == "admin" and second.user.username == "other"
    for db in (first, second):
        with db.read() as session:
            assert session.scalar(select(Change.seq).limit(1)) is None
    first.close()
    second.close()


# ----------------------------------------------------------------------------- sign-in


def test_a_wrong_password_opens_nothing(db, data_dir):
    db.close()
    with pytest.raises(errors.WrongPassword):
        Database.open(data_dir, credentials=Credentials(TEST_USER, "not-the-password"))
    with pytest.raises(errors.WrongPassword):
        Database.open(data_dir, credentials=Credentials("nobody", TEST_PASSWORD))
    Database.open(data_dir, credentials=ADMIN).close()


def test_repeated_wrong_passwords_slow_down_and_a_success_resets(db, data_dir):
    db.close()
    keys = KeyFile.load(keyring.keys_path(data_dir))
    wrong = Credentials(TEST_USER, "guess-guess")
    now = 1_000_000.0
    for _attempt in range(keyring.FREE_ATTEMPTS):
        with pytest.raises(errors.WrongPassword):
            keys.unlock(wrong, now=now)
    with pytest.raises(errors.SignInThrottled) as throttled:
        keys.unlock(ADMIN, now=now + 1)  # even the right password waits
    assert throttled.value.seconds == 1
    with pytest.raises(errors.WrongPassword):
        keys.unlock(wrong, now=now + 2)
    with pytest.raises(errors.SignInThrottled) as throttled:
        keys.unlock(wrong, now=now + 3)
    assert throttled.value.seconds == 3, "the wait doubles: 4 s after the last failure"
    # The count is kept in the key file: a restart does not reset it.
    reloaded = KeyFile.load(keyring.keys_path(data_dir))
    assert reloaded.wait_seconds(TEST_USER, now=now + 3) == 3
    key, account = reloaded.unlock(ADMIN, now=now + 10)
    assert account.is_admin and len(key) == 32
    assert KeyFile.load(keyring.keys_path(data_dir)).wait_seconds(TEST_USER, now=now + 10) == 0


def test_a_role_edited_in_the_key_file_promotes_nobody(db, data_dir):
    viewer = add_account(db, "zhang", keyring.VIEWER)
    db.close()
    path = keyring.keys_path(data_dir)
    data = json.loads(path.read_text("utf-8"))
    for account in data["accounts"]:
        if account["username"] == "zhang":
            account["role"] = keyring.ADMIN
    path.write_text(json.dumps(data), "utf-8")
    with pytest.raises(errors.WrongPassword):
        Database.open(data_dir, credentials=viewer)


def test_the_recovery_key_sets_a_new_password_and_nothing_else_does(data_dir):
    db = Database.open(data_dir)
    recovery = db.recovery_key
    db.close()
    reopened = Database.open(data_dir)
    assert reopened.recovery_key is None, "shown once, at setup only"
    reopened.close()
    with pytest.raises(errors.WrongRecoveryKey):
        accounts.recover(data_dir, keyring.new_recovery_key(), TEST_USER, "new-Pa55word!")
    with pytest.raises(errors.WrongRecoveryKey):
        accounts.recover(data_dir, "not a key", TEST_USER, "new-Pa55word!")
    # Written by hand, in lower case with 0 for O: still accepted.
    accounts.recover(data_dir, recovery.lower().replace("o", "0"), TEST_USER, "new-Pa55word!")
    with pytest.raises(errors.WrongPassword):
        Database.open(data_dir, credentials=ADMIN)
    Database.open(data_dir, credentials=Credentials(TEST_USER, "new-Pa55word!")).close()


def test_cli_wrong_password_exits_non_zero_and_prints_no_personal_data(tmp_path, demo_copy):
    demo_copy(tmp_path)
    result = run(
        "members", "list", "--data-dir", str(tmp_path), RED_STEWARD_PASSWORD="wrong-password"
    )
    assert result.returncode == 1
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1
    from desktop.models.demo.data import demo_branch

    names = {m.name for m in demo_branch().members}
    assert not any(name in result.stderr for name in names)


def test_cli_without_credentials_or_terminal_is_one_clear_line(tmp_path, demo_copy):
    demo_copy(tmp_path)
    result = run(
        "members", "list", "--data-dir", str(tmp_path), RED_STEWARD_USER="", RED_STEWARD_PASSWORD=""
    )
    assert result.returncode == 1
    assert "RED_STEWARD_PASSWORD" in result.stderr or "RED_STEWARD" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr


def test_init_and_demo_make_the_user_the_administrator_and_show_the_recovery_key(tmp_path, capsys):
    assert main(["demo", "--data-dir", str(tmp_path)]) == 0
    printed = capsys.readouterr().out
    keys = KeyFile.load(keyring.keys_path(tmp_path))
    assert [(a.username, a.role) for a in keys.accounts()] == [(TEST_USER, keyring.ADMIN)]
    recovery = next(line.strip() for line in printed.splitlines() if line.startswith("    "))
    assert len(keys.unlock_with_recovery_key(recovery)) == 32
    assert main(["demo", "--data-dir", str(tmp_path)]) == 0
    assert recovery not in capsys.readouterr().out


# ----------------------------------------------------------------------------- roles


def test_a_viewer_reads_but_cannot_write_through_the_services(db, branch, make_member, data_dir):
    someone = make_member()
    viewer = add_account(db, "viewer1", keyring.VIEWER)
    db.close()
    as_viewer = Database.open(data_dir, credentials=viewer)
    members = MemberService(as_viewer, branch.id)
    assert members.get(someone.id).name == someone.name
    with pytest.raises(errors.PermissionDenied):
        members.save(someone.draft.replace(phone="13899998888"), someone.id)
    with pytest.raises(errors.PermissionDenied):
        members.remove(someone.id)
    with pytest.raises(errors.PermissionDenied), as_viewer.unit_of_work() as session:
        save_member(session, branch.id, member_draft())
    with pytest.raises(errors.PermissionDenied):
        AccountService(as_viewer).add("sneaky", keyring.ADMIN, "sneaky-Pa55word!")
    assert members.get(someone.id).phone == someone.phone
    assert members.count(MemberQuery()) == 1
    as_viewer.close()


def test_a_clerk_writes_and_the_log_names_the_clerk_but_cannot_manage_accounts(
    db, branch, make_member, data_dir
):
    someone = make_member()
    clerk = add_account(db, "李会计", keyring.CLERK)
    db.close()
    as_clerk = Database.open(data_dir, credentials=clerk)
    MemberService(as_clerk, branch.id, actor="someone-else").save(
        someone.draft.replace(phone="13899998888"), someone.id
    )
    with as_clerk.read() as session:
        last = session.scalars(select(Change).order_by(Change.seq.desc())).first()
    assert (last.field, last.actor) == ("phone", "李会计")
    with pytest.raises(errors.PermissionDenied):
        AccountService(as_clerk).remove(TEST_USER)
    as_clerk.close()


def test_a_viewer_cannot_write_through_the_cli(tmp_path, capsys, demo_copy):
    demo_copy(tmp_path)
    os.environ["RED_STEWARD_NEW_PASSWORD"] = "viewer-Pa55word!"
    try:
        assert main(["users", "add", "wang", "--role", "viewer", "--data-dir", str(tmp_path)]) == 0
    finally:
        del os.environ["RED_STEWARD_NEW_PASSWORD"]
    capsys.readouterr()
    listed = run(
        "members",
        "list",
        "--json",
        "--data-dir",
        str(tmp_path),
        RED_STEWARD_USER="wang",
        RED_STEWARD_PASSWORD="viewer-Pa55word!",
    )
    assert listed.returncode == 0, listed.stderr
    member = json.loads(listed.stdout)[0]
    result = run(
        "members",
        "set",
        member["id_number"],
        "phone=13800138000",
        "--data-dir",
        str(tmp_path),
        RED_STEWARD_USER="wang",
        RED_STEWARD_PASSWORD="viewer-Pa55word!",
    )
    assert result.returncode == 1
    assert "只能查看" in result.stderr
    backup_result = run(
        "backup",
        "--to",
        str(tmp_path / "stick"),
        "--data-dir",
        str(tmp_path),
        RED_STEWARD_USER="wang",
        RED_STEWARD_PASSWORD="viewer-Pa55word!",
    )
    assert backup_result.returncode == 1
    again = run("members", "show", member["id_number"], "--json", "--data-dir", str(tmp_path))
    assert json.loads(again.stdout)["phone"] == member["phone"]


def test_a_viewers_read_only_commands_write_nothing(tmp_path, capsys):
    data = tmp_path / "data"
    assert main(["demo", "--data-dir", str(data)]) == 0
    os.environ["RED_STEWARD_NEW_PASSWORD"] = "viewer-Pa55word!"
    try:
        assert main(["users", "add", "wang", "--role", "viewer", "--data-dir", str(data)]) == 0
    finally:
        del os.environ["RED_STEWARD_NEW_PASSWORD"]
    viewer = {"RED_STEWARD_USER": "wang", "RED_STEWARD_PASSWORD": "viewer-Pa55word!"}

    def snapshot() -> dict[str, bytes]:
        return {
            p.name: p.read_bytes()
            for p in data.iterdir()
            if p.is_file() and not p.name.endswith(("-shm", "-wal"))
        }

    def counter() -> int:
        opened = Database.open(data, create=False)
        conn = opened.raw_connection()
        try:
            return conn.execute("PRAGMA user_version").fetchone()[0]
        finally:
            conn.close()
            opened.close()

    before, files = counter(), snapshot()
    for command in (
        ["members", "list", "--json"],
        ["audit", "--limit", "3"],
        ["restore", "--list"],
        ["sync", "card", "--out", str(tmp_path / "card.json")],
    ):
        result = run(*command, "--data-dir", str(data), **viewer)
        assert result.stderr.count("\n") <= 1, result.stderr
    assert counter() == before, "a viewer's command wrote to the data file"
    assert snapshot() == files
    assert not (tmp_path / "card.json").exists(), "no keys yet: a clerk makes the card first"
    capsys.readouterr()
    assert (
        main(["sync", "card", "--out", str(tmp_path / "admin.json"), "--data-dir", str(data)]) == 0
    )
    before = counter()
    card = run(
        "sync", "card", "--out", str(tmp_path / "card.json"), "--data-dir", str(data), **viewer
    )
    assert card.returncode == 0, card.stderr
    assert counter() == before


def test_the_last_administrator_stays(db):
    service = AccountService(db)
    with pytest.raises(errors.UserError):
        service.remove(TEST_USER)
    add_account(db, "second", keyring.ADMIN)
    with pytest.raises(errors.UserError):
        service.set_role(TEST_USER, keyring.VIEWER, "x")  # too short a password: refused
    service.set_role("second", keyring.VIEWER, "second-Pa55word!")
    with pytest.raises(errors.UserError):
        service.set_role(TEST_USER, keyring.CLERK, "admin-Pa55word!")
    assert {(a.username, a.role) for a in service.list()} == {
        (TEST_USER, keyring.ADMIN),
        ("second", keyring.VIEWER),
    }


# ----------------------------------------------------------------------------- backups


def test_backup_and_restore_through_the_cli_keep_the_replaced_data(tmp_path, capsys, demo_copy):
    data = tmp_path / "data"
    demo_copy(data)
    assert main(["backup", "--data-dir", str(data), "--to", str(tmp_path / "stick")]) == 0
    [made] = list((tmp_path / "stick").glob("*.rsbackup"))
    first = json.loads(_members(capsys, data))[0]
    assert main(["members", "remove", first["id_number"], "--data-dir", str(data)]) == 0
    assert len(json.loads(_members(capsys, data))) == 59
    capsys.readouterr()
    assert main(["restore", str(made), "--data-dir", str(data)]) == 0
    said = capsys.readouterr().out
    assert "的备份（60名党员）" in said, said  # not a "60" in the paths' numbers
    assert len(json.loads(_members(capsys, data))) == 60
    [aside] = list(paths.backup_dir(data).glob("before-restore-*"))
    kept = Database.open(aside, create=False)  # the replaced data opens as it was
    from desktop.models.register.groups import current_branch
    from desktop.models.register.members import count_members

    with kept.read() as session:
        assert count_members(session, current_branch(session).id, MemberQuery()) == 59
    kept.close()


def _members(capsys, data) -> str:  # type: ignore[no-untyped-def]
    capsys.readouterr()
    assert main(["members", "list", "--json", "--data-dir", str(data)]) == 0
    return capsys.readouterr().out


def test_a_damaged_or_foreign_backup_is_refused_and_changes_nothing(demo_db, data_dir, tmp_path):
    made = backup.backup_to_folder(demo_db, tmp_path)
    demo_db.close()
    before = paths.database_path(data_dir).read_bytes()
    raw = bytearray(made.read_bytes())
    raw[len(raw) // 2] ^= 0xFF
    damaged = tmp_path / "damaged.rsbackup"
    damaged.write_bytes(bytes(raw))
    foreign = tmp_path / "photo.rsbackup"
    foreign.write_bytes(b"\x89PNG" + b"\0" * 500)
    truncated = tmp_path / "short.rsbackup"
    truncated.write_bytes(made.read_bytes()[:5000])
    for bad in (damaged, foreign, truncated):
        with pytest.raises(errors.BackupInvalid):
            backup.restore_backup(bad, data_dir, ADMIN)
    assert paths.database_path(data_dir).read_bytes() == before
    assert not list(paths.backup_dir(data_dir).glob("before-restore-*"))


def test_only_an_administrator_of_the_backup_may_restore_it(db, demo_db, data_dir, tmp_path):
    clerk = add_account(db, "clerk1", keyring.CLERK)
    made = backup.backup_to_folder(db, tmp_path)
    with pytest.raises(errors.PermissionDenied):
        backup.verify_backup(made, clerk)
    with pytest.raises(errors.WrongPassword):
        backup.verify_backup(made, Credentials(TEST_USER, "wrong-password"))
    assert backup.verify_backup(made, ADMIN).members == 60


def test_a_backup_restores_on_a_new_pc_with_its_own_keys(demo_db, tmp_path):
    made = backup.backup_to_folder(demo_db, tmp_path / "stick")
    new_pc = tmp_path / "new-pc"
    backup.restore_backup(made, new_pc, ADMIN)
    restored = Database.open(new_pc, create=False)
    from desktop.models.register.groups import current_branch

    with restored.read() as session:
        assert current_branch(session).name == "红旗村党支部"
    restored.close()


def test_the_daily_backup_waits_a_day(db, data_dir):
    import datetime as dt

    assert backup.backup_if_due(db) is not None, "the first use of the day backs up"
    assert backup.backup_if_due(db) is None
    later = dt.datetime.now().astimezone() + dt.timedelta(hours=25)
    assert backup.backup_if_due(db, now=later) is not None
    assert backup.last_backup(data_dir) is not None


def _backups_at(data_dir, made, stamps):  # type: ignore[no-untyped-def]
    """Copies of one real backup named as if taken at `stamps` [(time, reason)]."""
    for when, reason in stamps:
        target = backup.auto_backup_path(data_dir, reason, now=when)
        target.write_bytes(made.read_bytes())
    made.unlink()


def test_a_busy_afternoon_pushes_out_no_tier_of_backups(db, data_dir):
    import datetime as dt

    now = dt.datetime(2026, 11, 20, 17, 0)
    made = backup.take_backup(db, "daily")
    stamps = []
    # A year of daily use, each morning's backup...
    for days in range(400, 0, -1):
        stamps.append((now.replace(hour=8) - dt.timedelta(days=days), "daily"))
    stamps.append((now - dt.timedelta(days=90), "upgrade-0007"))
    stamps.append((now.replace(hour=8), "daily"))
    # ...and a busy afternoon: 16 small imports, each with a backup before and after.
    for n in range(16):
        at = now.replace(hour=14) + dt.timedelta(minutes=n)
        stamps += [(at, "import"), (at + dt.timedelta(seconds=5), "imported")]
    stamps.append((now, "sync"))
    _backups_at(data_dir, made, stamps)

    backup.rotate(data_dir, now=now)

    kept = {(p.when, p.reason) for p in backup.automatic_backups(data_dir)}
    # The last few per reason...
    imports = sorted(w for w, r in kept if r == "import")
    assert len(imports) == backup.KEEP_PER_REASON
    assert imports[-1] == now.replace(hour=14, minute=15)
    assert len([w for w, r in kept if r == "imported"]) == backup.KEEP_PER_REASON
    assert (now, "sync") in kept
    # ...this morning's, one a day for two weeks, one a month for a year...
    assert (now.replace(hour=8), "daily") in kept
    days = {w.date() for w, _r in kept if now - w < dt.timedelta(days=backup.KEEP_DAYS)}
    assert len(days) == backup.KEEP_DAYS
    months = {(w.year, w.month) for w, _r in kept}
    assert len(months) == 13  # this month and the twelve before it
    assert min(w for w, _r in kept) > now - dt.timedelta(days=366)
    # ...and the backup before the last upgrade, though older than two weeks.
    assert (now - dt.timedelta(days=90), "upgrade-0007") in kept
    assert len(kept) < 40
    assert backup.space_used(data_dir) == sum(
        p.path.stat().st_size for p in backup.automatic_backups(data_dir)
    )


def test_the_backup_before_an_upgrade_stays_until_the_next_upgrades(db, data_dir):
    import datetime as dt

    now = dt.datetime(2026, 11, 20, 17, 0)
    made = backup.take_backup(db, "daily")
    upgrades = [(now - dt.timedelta(days=900 - 100 * n), f"upgrade-000{n}") for n in range(4)]
    _backups_at(data_dir, made, [*upgrades, (now, "daily")])
    backup.rotate(data_dir, now=now)
    kept = {(p.when, p.reason) for p in backup.automatic_backups(data_dir)}
    # Years old, yet kept: the last upgrades are the way back from a bad one.
    assert kept == {*upgrades[1:], (now, "daily")}


def test_after_an_import_the_newest_backup_holds_the_imported_members(db, branch, tmp_path):
    from desktop.tabular.readers import read_workbook
    from desktop.tabular.service import TabularService
    from tests.tabular import rosters

    number = rosters.id_number(*rosters.GOOD_A[1:])
    book = tmp_path / "r.csv"
    book.write_text(f"姓名,身份证号,入党时间,转正时间\n王建国,{number},1990.07,1991.07\n")
    tabular = TabularService(db, branch.id)
    result = tabular.commit(tabular.preview(read_workbook(book)))
    # The import returns before its backup: the caller shows the result, then takes it.
    assert [b.reason for b in backup.automatic_backups(db.path.parent)] == ["import"]
    assert result.backup_after is not None
    result.backup_after.take()
    newest, before = backup.automatic_backups(db.path.parent)[:2]
    assert (newest.reason, before.reason) == ("imported", "import")
    assert backup.verify_backup(newest.path, ADMIN).members == 1
    assert backup.verify_backup(before.path, ADMIN).members == 0


def test_each_backup_says_what_restoring_it_would_lose(db, branch, make_member, tmp_path):
    morning = backup.take_automatic_backup(db, "daily")
    added = [make_member() for _ in range(3)]
    noon = backup.backup_to_folder(db, tmp_path / "stick")
    members = MemberService(db, branch.id)
    members.remove(added[0].id)
    with db.unit_of_work() as session:
        save_member(session, branch.id, member_draft(notes="午后"), added[1].id)

    choices = {c.info.path: c for c in backup.restore_choices(db)}
    assert morning in choices and noon not in choices  # the folder's automatic backups
    lost = choices[morning].lost
    assert lost.counts["member"] == (3, 0, 1)  # added (the edited one too), changed, removed
    assert choices[morning].info.members == 0
    info = backup.verify_backup(noon, ADMIN)
    assert backup.lost_since(db, info).counts["member"] == (0, 1, 1)
    sentence = backup.lost_since(db, info).sentence(info.created)
    assert sentence == _("Changes made after {when} will be lost: {what}.").format(
        when=format_datetime(info.created),
        what=_("{entity}: {counts}").format(
            entity=_("Party member"),
            counts=", ".join([_("{n} changed").format(n=1), _("{n} removed").format(n=1)]),
        ),
    )
    newest = backup.take_automatic_backup(db, "import")
    assert {c.info.path: c for c in backup.restore_choices(db)}[newest].lost.nothing
    assert backup.reason_label("imported") == _("after an import")
    assert backup.reason_label("upgrade-0007") == _("before an upgrade")


def test_cli_restore_lists_the_backups_and_says_what_is_lost(tmp_path, capsys):
    data = tmp_path / "data"
    assert main(["demo", "--data-dir", str(data)]) == 0
    opened = Database.open(data, create=False)
    made = backup.take_automatic_backup(opened, "import")
    opened.close()
    first = json.loads(_members(capsys, data))[0]
    assert main(["members", "remove", first["id_number"], "--data-dir", str(data)]) == 0
    capsys.readouterr()
    assert main(["restore", "--list", "--data-dir", str(data)]) == 0
    listed = capsys.readouterr().out
    assert str(made) in listed and "，导入前，60 名党员：" in listed, listed
    assert "之后的更改将丢失" in listed and "党员：删除 1" in listed
    assert main(["restore", "--list", "--json", "--data-dir", str(data)]) == 0
    entries = json.loads(capsys.readouterr().out)
    assert [e["reason"] for e in entries] == ["import"]
    assert entries[0]["path"] == str(made) and entries[0]["members"] == 60
    assert entries[0]["lost"] == {"member": {"added": 0, "changed": 0, "removed": 1}}
    # `restore FILE` works as before (a script is not asked), and says what it dropped.
    assert main(["restore", str(made), "--data-dir", str(data)]) == 0
    said = capsys.readouterr().out
    assert "党员：删除 1" in said and "的备份（60名党员）" in said, said
    assert len(json.loads(_members(capsys, data))) == 60


@pytest.mark.skipif(os.name != "posix", reason="Windows: the profile's ACL protects the folder")
def test_the_data_folder_and_every_file_in_it_are_private(tmp_path):
    data = tmp_path / "data"
    assert main(["demo", "--data-dir", str(data)]) == 0
    opened = Database.open(data, create=False)
    backup.take_automatic_backup(opened, "import")
    backup.restore_backup(backup.backup_to_folder(opened, tmp_path / "stick"), data, ADMIN)
    opened.close()
    import logging

    logging.getLogger("desktop").warning("a line for the log file")
    found = {p.relative_to(data).as_posix(): p.stat().st_mode & 0o777 for p in data.rglob("*")}
    assert "red-steward.keys" in found and "logs/red-steward.log" in found
    assert any(name.startswith("backups/auto-") for name in found)
    assert data.stat().st_mode & 0o777 == 0o700
    wrong = {
        name: oct(mode)
        for name, mode in found.items()
        if mode != (0o700 if (data / name).is_dir() else 0o600)
    }
    assert wrong == {}


def test_a_full_disk_while_backing_up_is_a_clear_message(db, tmp_path, monkeypatch):
    import errno

    def full(*_args, **_kwargs):  # the OS's answer on a full stick, simulated
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(keyring.os, "replace", full)
    with pytest.raises(errors.DiskFull):
        backup.backup_to_folder(db, tmp_path / "stick")
    assert not list((tmp_path / "stick").glob("*"))


def test_a_full_disk_while_saving_is_a_clear_message_and_loses_nothing(db, branch, make_member):
    from sqlalchemy import event

    from desktop.models.store import db as dbmod

    kept = make_member()
    engine = dbmod._make_engine(db.path, db._key)

    @event.listens_for(engine, "connect")
    def _tiny_disk(dbapi_conn, _record):  # type: ignore[no-untyped-def]
        # SQLite's own limit on the file's size: it fails exactly as a full disk does.
        pages = dbapi_conn.execute("PRAGMA page_count").fetchone()[0]
        dbapi_conn.execute(f"PRAGMA max_page_count = {pages}")

    full = Database(db.path, engine, user=db.user, key=db._key, keys=db.keys)
    with pytest.raises(errors.DiskFull), full.unit_of_work() as session:
        for _ in range(40):
            save_member(session, branch.id, member_draft(notes="备注" * 500))
            session.flush()
    full.close()
    members = MemberService(db, branch.id)
    assert [r.id for r in members.page(MemberQuery(), 0, 100)] == [kept.id]
