# SPDX-License-Identifier: GPL-3.0-or-later
"""Every message the clerk can be shown is in the clerk's language (issue 18).

The validation and error paths of the services are driven for real (members, households, the
import's cells, service records, stewards, rosters, sync bundles and cards, backups, sign-in) in
each language. A Chinese message fails when it still holds English words (three letters or more,
other than the few names the clerk does type: USB, CSV, Excel, the command line's words), and
every message must differ between English and Chinese (a string that bypassed the catalogue is
the same in both).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from desktop import i18n
from desktop.errors import UserError
from desktop.models.stewards.rows import ServiceDraft
from desktop.models.store import backup
from desktop.models.store.db import Database
from desktop.models.store.keyring import Credentials
from desktop.services import Services
from desktop.sync import errors as sync_errors
from desktop.sync.http import hub_card
from tests.conftest import TEST_USER
from tests.i18n.test_validation_messages import shown as register_messages

#: Words a Chinese message may hold: what the clerk types or sees written so (file kinds, the
#: stick, the command line's words in a hint), never prose.
ALLOWED = {
    "usb", "csv", "pdf", "excel", "wps", "xlsx", "xls", "rsb", "rsbackup", "red", "steward",
    "sync", "trust", "card", "branch", "branch_id", "restore", "list", "pg_dump", "hub", "http",
    "https", "serve", "demo", "red_steward_user", "red_steward_password",
}  # fmt: skip
_NOT_PROSE = re.compile(
    r"https?://\S*"  # an address
    r"|(?:[A-Za-z]:)?[/\\][^\s，。：；、（）()“”「」]+"  # a path
    r"|[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}|\b[0-9a-f]{6,}\b"  # an id or a fingerprint
    r"|--?[a-z][a-z-]*"  # a command-line option
    r"|\{[a-z_]+\}"  # a placeholder of a message read before it is filled
    r"|“[^”]*”|「[^」]*」"  # what the clerk wrote, quoted back
)
_WORD = re.compile(r"[A-Za-z_]{3,}")


def english_words(message: str) -> list[str]:
    """The English words in `message` that a Chinese clerk would have to read."""
    text = _NOT_PROSE.sub(" ", message)
    return [w for w in _WORD.findall(text) if w.lower() not in ALLOWED]


def test_the_checker_finds_english_and_spares_what_is_not_prose():
    assert english_words("Choose the gender.") == ["Choose", "the", "gender"]
    assert english_words("请选择性别。") == []
    assert english_words("文件 /tmp/pytest-1/stick/a.rsb 已损坏（0a1b2c3d）") == []
    assert (
        english_words("请用 U 盘或 CSV 文件：red-steward sync trust CARD --branch BRANCH_ID") == []
    )
    assert english_words("无法连接 http://127.0.0.1:8765 的同步中心（Not Found）") == [
        "Not",
        "Found",
    ]


def _error(action: Callable[[], object]) -> str:
    with pytest.raises(UserError) as caught:
        action()
    return caught.value.message


def service_paths(services: Services, folder: Path) -> Iterator[Callable[[], object]]:
    """Actions that each end in a message for the clerk (a UserError)."""
    stewards, rosters, log, sync = (
        services.stewards,
        services.rosters,
        services.service_log,
        services.sync,
    )
    team = stewards.teams()[0]
    member_id = stewards.candidates()[0][0]
    steward = stewards.stewards()[0]
    today = dt.date.today()
    # Service records.
    volunteer = stewards.volunteers(team.id)[0]
    good = ServiceDraft(served_on=today, volunteer_ids=(volunteer.id,))
    for draft in (
        dataclasses.replace(good, served_on=None),
        dataclasses.replace(good, served_on=today + dt.timedelta(days=3)),
        dataclasses.replace(good, volunteer_ids=()),
        dataclasses.replace(good, minutes=0),
        dataclasses.replace(good, minutes=100_000),
        dataclasses.replace(good, kind="no-such-kind"),
        dataclasses.replace(good, volunteer_ids=(uuid.uuid4(),)),
        dataclasses.replace(good, household_ids=(uuid.uuid4(),)),
    ):
        yield lambda draft=draft: log.record(draft)
    yield lambda: log.remove(uuid.uuid4())
    # Stewards and their commitments.
    yield lambda: stewards.appoint(uuid.uuid4(), "group", None, today)
    yield lambda: stewards.appoint(member_id, "no-such-role", None, today)
    yield lambda: stewards.appoint(steward.member_id, steward.role, steward.party_group_id, today)
    yield lambda: stewards.end_appointment(steward.id, dt.date(1990, 1, 1))
    yield lambda: stewards.save_commitment(steward.id, today.year, "诺" * 2000)
    yield lambda: stewards.save_commitment(steward.id, today.year, "")
    yield lambda: stewards.find_team("没有这个服务队")
    # Rosters.
    yield lambda: rosters.generate(team.id, today, today - dt.timedelta(days=1))
    yield lambda: rosters.generate(team.id, today, today + dt.timedelta(days=800))
    yield lambda: rosters.generate(team.id, today, today, days="sometimes")
    yield lambda: rosters.generate(team.id, today, today, slots=("上午|下午",))
    yield lambda: rosters.generate(uuid.uuid4(), today, today)
    # Sync: a damaged bundle, a card that is not one, a PC nobody knows, a hub not there.
    junk = folder / "junk.rsb"
    junk.write_bytes(b"not a bundle at all")
    yield lambda: sync.import_file(junk)
    yield lambda: sync.import_file(folder / "missing.rsb")
    yield lambda: sync.read_card(junk)
    yield lambda: sync.find_peer("没有这台电脑")
    yield lambda: sync.export(uuid.uuid4(), folder / "out.rsb")
    yield lambda: sync.resolve(999_999, 1)
    yield lambda: hub_card("127.0.0.1:1")
    yield lambda: hub_card("http://127.0.0.1:1")
    # Backups and signing in.
    yield lambda: backup.verify_backup(junk, Credentials(TEST_USER, "x"))
    yield lambda: Database.open(services.db.path.parent, credentials=Credentials(TEST_USER, "x"))
    yield lambda: Database.open(
        services.db.path.parent, credentials=Credentials("nobody", "a-long-password-1")
    )


def messages(services: Services, folder: Path, language: str) -> list[str]:
    i18n.set_language(language)
    return [_error(action) for action in service_paths(services, folder)]


@pytest.mark.parametrize("language", ["zh_CN", "zh_TW"])
def test_every_error_of_the_services_is_in_chinese(demo_db, tmp_path, language):
    services = Services(demo_db)
    english = messages(services, tmp_path, "en")
    chinese = messages(services, tmp_path, language)
    assert len(english) == len(chinese) > 30
    leftovers = {c: english_words(c) for c in chinese if english_words(c)}
    assert leftovers == {}, f"English left in {language}"
    same = [e for e, c in zip(english, chinese, strict=True) if e == c]
    assert same == [], f"not translated into {language}"
    assert all(english_words(e) for e in english), "the English run is English"


@pytest.mark.parametrize("language", ["zh_CN", "zh_TW"])
def test_every_validation_and_import_message_reads_without_english(
    db, branch, make_member, language
):
    make_member()
    chinese = list(register_messages(db, branch, language))
    assert len(chinese) > 50
    assert {c: english_words(c) for c in chinese if english_words(c)} == {}


def test_sync_errors_have_no_http_words():
    i18n.set_language("zh_CN")
    message = str(sync_errors.HubUnreachable("http://x", "连接失败"))
    assert english_words(message) == []
