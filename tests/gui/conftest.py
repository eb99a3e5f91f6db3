# SPDX-License-Identifier: GPL-3.0-or-later
"""Helpers for the window's tests: waiting until a change has run on the database thread."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from desktop.views import ops


@pytest.fixture
def settle(qtbot) -> Callable[[], None]:  # type: ignore[no-untyped-def]
    """Wait until every change started through `views.ops` has run and been announced."""

    def wait(timeout: int = 10_000) -> None:
        qtbot.waitUntil(lambda: not ops.busy(), timeout=timeout)

    return wait
