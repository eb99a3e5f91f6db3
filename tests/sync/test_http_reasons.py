# SPDX-License-Identifier: GPL-3.0-or-later
"""A hub that cannot be reached is explained in the clerk's words (issue 18: a sync error ended
in "(Not Found)", HTTP's own English)."""

from __future__ import annotations

import http.server
import socket
import threading
from collections.abc import Iterator

import pytest

from desktop import i18n
from desktop.sync import errors
from desktop.sync.http import hub_card


@pytest.fixture
def not_a_hub(tmp_path) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """A web server of an empty folder: /card is 404 Not Found."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
            super().__init__(*args, directory=str(tmp_path), **kwargs)

        def log_message(self, *_args) -> None:  # type: ignore[no-untyped-def]
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _message(url: str) -> str:
    with pytest.raises(errors.HubUnreachable) as caught:
        hub_card(url)
    return str(caught.value)


@pytest.mark.parametrize("language", ["zh_CN", "zh_TW"])
def test_a_web_server_that_is_not_a_hub_is_named_plainly(not_a_hub, language):
    i18n.set_language(language)
    message = _message(not_a_hub)
    assert "Not Found" not in message and "404" not in message
    assert ("红色管家的同步中心" if language == "zh_CN" else "紅色管家的同步中心") in message


def test_each_failure_has_its_own_plain_reason(not_a_hub):
    i18n.set_language("en")
    assert "not a Red Steward hub" in _message(not_a_hub)
    assert "is the hub running?" in _message(f"http://127.0.0.1:{_free_port()}")
    assert "must begin with http://" in _message("127.0.0.1:8080")
    for message in (_message(not_a_hub), _message(f"http://127.0.0.1:{_free_port()}")):
        assert "Errno" not in message and "Not Found" not in message
