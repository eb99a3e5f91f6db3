# SPDX-License-Identifier: GPL-3.0-or-later
"""Helpers for the window's tests: waiting until a change has run on the database thread."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from desktop.views import ops


@pytest.fixture
def settle(qtbot) -> Callable[[], None]:  # type: ignore[no-untyped-def]
    """Wait until every change started through `views.ops` has run and been announced."""

    def wait(timeout: int = 10_000) -> None:
        qtbot.waitUntil(lambda: not ops.busy(), timeout=timeout)

    return wait


@pytest.fixture(autouse=True)
def _crashes_fail_the_test(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[BaseException]]:
    """A bug that reaches the crash dialog fails the test at its end instead of waiting forever
    on a modal box nobody can close (offscreen)."""
    from desktop.views import messages

    crashes: list[BaseException] = []

    def record(_parent: object, _kind: object, error: BaseException, _tb: object) -> None:
        crashes.append(error)

    monkeypatch.setattr(messages, "show_crash", record)
    yield crashes
    assert not crashes, f"the crash dialog was shown: {crashes!r}"


@pytest.fixture(scope="session", autouse=True)
def _private_settings(tmp_path_factory: pytest.TempPathFactory) -> None:
    """The window's remembered settings go to a folder of the test run, never the
    developer's own (QSettings' default format, which `ui_state` uses)."""
    from PySide6.QtCore import QSettings

    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(
        QSettings.Format.IniFormat,
        QSettings.Scope.UserScope,
        str(tmp_path_factory.mktemp("qsettings")),
    )


@pytest.fixture(autouse=True)
def _fresh_settings(_private_settings: None) -> None:
    """Each test starts as on a new PC: nothing remembered from an earlier test (the user
    name, the window's size, a table's columns, the language or the text size)."""
    from desktop.views import ui_state

    ui_state._settings().clear()


@pytest.fixture
def replicas(tmp_path, demo_copy):  # type: ignore[no-untyped-def]
    """The demo branch's office PC and a laptop paired with it (tests of the Sync page). A
    different clerk on each PC, as in a branch: the conflicts say who made each version."""
    from tests.sync.conftest import Node, pair

    demo_copy(tmp_path / "office", "wang")
    office, laptop = Node(tmp_path, "office", user="wang"), Node(tmp_path, "laptop", user="li")
    pair(office, laptop)
    yield office, laptop
    office.close()
    laptop.close()
