"""The ``gui`` marker is kept honest, so ``pytest -m "not gui"`` is a real headless ring.

Two checks, loaded by ``tests/conftest.py``:

* at collection, a test that uses ``qtbot`` or ``qapp`` (directly or through another
  fixture) without the ``gui`` marker stops the run, naming the test;
* while a test runs, one without the marker that creates the Qt application itself
  (``QApplication([])``, or a widget helper that does) fails. This can only be seen when
  no earlier test made the application, which is the case in a ``-m "not gui"`` run:
  the ring this check protects.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator

import pytest

QT_FIXTURES = frozenset({"qtbot", "qapp"})


def unmarked_gui_tests(items: list[pytest.Item]) -> list[str]:
    """The ids of tests that use a Qt fixture but do not carry the ``gui`` marker."""
    return [
        item.nodeid
        for item in items
        if QT_FIXTURES & set(getattr(item, "fixturenames", ()))
        and item.get_closest_marker("gui") is None
    ]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    unmarked = unmarked_gui_tests(items)
    if unmarked:
        raise pytest.UsageError(
            "These tests use qtbot or qapp but lack the gui marker (add "
            "`pytestmark = pytest.mark.gui` or `@pytest.mark.gui`): " + ", ".join(unmarked)
        )


def _qt_application_exists() -> bool:
    core = sys.modules.get("PySide6.QtCore")  # never import Qt here for a headless test
    return core is not None and core.QCoreApplication.instance() is not None


@pytest.fixture(autouse=True)
def _gui_marker_covers_qt_applications(request: pytest.FixtureRequest) -> Iterator[None]:
    if request.node.get_closest_marker("gui") is not None or _qt_application_exists():
        yield
        return
    yield
    if _qt_application_exists():
        pytest.fail(
            f"{request.node.nodeid} created a Qt application but lacks the gui marker",
            pytrace=False,
        )
