# SPDX-License-Identifier: GPL-3.0-or-later
"""`red-steward sync resolve --all --keep local|remote [--branch] [--table] [--field] [--peer]`:
many conflicts at once from the command line, beside the unchanged `resolve ID --pick N`."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from desktop.models.register.groups import current_branch
from desktop.models.register.member import Member
from desktop.models.register.members import get_member, save_member
from tests.sync.conftest import Node, pair
from tests.sync.test_cli_sync import cli


def _edit(node: Node, member_id, **changes) -> None:  # type: ignore[no-untyped-def]
    with node.db.unit_of_work(node.name) as session:
        row = get_member(session, member_id)
        branch_id = session.get(Member, member_id).branch_id
        save_member(session, branch_id, row.draft.replace(**changes), member_id)


def test_settling_every_conflict_from_the_command_line(tmp_path, capsys, demo_copy):
    demo_copy(tmp_path / "office")
    office, laptop = Node(tmp_path, "office"), Node(tmp_path, "laptop")
    pair(office, laptop)
    office.send(laptop)
    with office.db.read() as session:
        targets = list(session.scalars(select(Member.id).order_by(Member.id).limit(2)))
        branch_name = current_branch(session).name
    for i, member_id in enumerate(targets):
        _edit(office, member_id, phone=f"1390000020{i}", address=f"办公室 {i}")
        _edit(laptop, member_id, phone=f"1390000030{i}", address=f"笔记本 {i}")
    office.send(laptop)
    office_id = str(office.id)
    office.close()
    laptop.close()
    folder = str(laptop.folder)

    # Neither one conflict with its pick nor --all with --keep: a usage error (exit 2).
    for wrong in (
        ["--all"],
        ["--all", "--keep", "local", "--pick", "1"],
        ["1"],
        ["1", "--pick", "1", "--keep", "local"],
    ):
        code, _text, err = cli(capsys, "sync", "resolve", *wrong, "--data-dir", folder)
        assert code == 2 and "--all" in err, wrong
    with pytest.raises(SystemExit) as usage:
        cli(capsys, "sync", "resolve", "--all", "--keep", "sideways", "--data-dir", folder)
    assert usage.value.code == 2
    code, _text, err = cli(
        capsys, "sync", "resolve", "--all", "--keep", "local", "--branch", "无此支部",
        "--data-dir", folder,
    )  # fmt: skip
    assert code == 1 and "无此支部" in err

    code, text, _err = cli(
        capsys, "sync", "resolve", "--all", "--keep", "remote", "--field", "phone",
        "--peer", office_id, "--json", "--data-dir", folder,
    )  # fmt: skip
    assert code == 0
    result = json.loads(text)
    assert result["keep"] == "remote" and len(result["settled"]) == 2 and result["left"] == []
    code, text, _err = cli(capsys, "sync", "conflicts", "--json", "--data-dir", folder)
    assert {c["field"] for c in json.loads(text)} == {"address"}

    code, text, _err = cli(
        capsys, "sync", "resolve", "--all", "--keep", "local", "--table", "member",
        "--branch", branch_name, "--data-dir", folder,
    )  # fmt: skip
    assert code == 0 and "已处理 2 处冲突，保留了本机的值" in text, text
    code, text, _err = cli(
        capsys, "sync", "resolve", "--all", "--keep", "local", "--data-dir", folder
    )
    assert code == 0 and "没有" in text

    laptop = Node(tmp_path, "laptop")
    try:
        with laptop.db.read() as session:
            assert [(m.phone, m.address) for m in map(session.get, [Member] * 2, targets)] == [
                (f"1390000020{i}", f"笔记本 {i}") for i in range(2)
            ]
    finally:
        laptop.close()
