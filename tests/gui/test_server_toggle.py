"""The window's API server toggle: it starts and stops the server, shows the address,
and the requests it serves run as jobs on the window's runner (the Jobs dock)."""

from __future__ import annotations

import json
import threading
import urllib.request
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from engines.jobs import JobState
from studio.jobs import JobRunner
from studio.qt_server import ServerBarWidget
from studio.server import ServerConfig

pytestmark = pytest.mark.gui


def _post(url: str, body: dict[str, Any], out: dict[str, Any]) -> None:
    request = urllib.request.Request(
        url, json.dumps(body).encode(), {"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=60) as reply:
        out["reply"] = json.loads(reply.read())


@pytest.mark.integration
def test_toggle_serves_and_requests_show_as_jobs_on_the_window_runner(qtbot: QtBot) -> None:
    runner = JobRunner()
    bar = ServerBarWidget(runner, ServerConfig(port=0))
    qtbot.addWidget(bar)
    bar.action.setChecked(True)
    assert bar.server is not None
    address = bar.server.address
    assert address in bar.address.text()
    out: dict[str, Any] = {}
    body = {
        "model": "smollm2-135m-instruct",
        "messages": [{"role": "user", "content": "Hi"}],
        "max_tokens": 3,
        "temperature": 0,
    }
    asker = threading.Thread(target=_post, args=(f"{address}/chat/completions", body, out))
    asker.start()
    qtbot.waitUntil(lambda: "reply" in out, timeout=60000)
    asker.join()
    jobs = [j for j in runner.jobs if j.title.startswith("API chat")]
    assert len(jobs) == 1 and jobs[0].state is JobState.finished
    assert out["reply"]["choices"][0]["message"]["content"]
    bar.action.setChecked(False)
    assert bar.server is None and "off" in bar.address.text()
    bar.grab().save("/tmp/wt-server_bar.png")
    runner.shutdown()


def test_window_has_the_toggle_in_the_jobs_dock_and_tools_menu(make_window: Any) -> None:
    window = make_window()
    assert window.server_bar in window.queue_dock.widget().findChildren(ServerBarWidget)
    tools = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Tools")
    assert window.server_bar.action in tools.actions()
    assert not window.server_bar.action.isChecked()  # off until the user turns it on
