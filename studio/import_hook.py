"""PySide6's import hook, made cheap for modules that are not ours (issue #21).

PySide6 wraps ``builtins.__import__`` for its ``from __feature__ import ...`` switches
(snake_case, true_property). For every module imported after PySide6, from any thread,
the hook's ``shibokensupport.feature._mod_uses_pyside`` reads the module's whole source
(``inspect.getsource``) to see whether it names PySide6. A job's first ``import torch``
or ``transformers`` imports over a thousand modules, and reading their sources held the
GIL against the GUI thread: the window stalled while a panel was first used.

The studio uses no ``__feature__`` switch, and a library that is not ours cannot have
asked for one in our process, so for those modules the answer "does not use PySide" is
right without reading them; our own modules are still read. There is no documented
switch for this (PySide6 6.11): the private function is replaced when it is there, and
left alone (a plain no-op here) when a PySide6 release moves it.
"""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType
from typing import Any

OWN_PACKAGES = frozenset({"studio", "engines", "tests", "__main__"})


def quiet_pyside_import_hook() -> bool:
    """Stop PySide6's import hook reading other libraries' sources. True when done (now
    or before); False when this PySide6 has no such hook."""
    try:
        from shibokensupport import feature
    except ImportError:
        return False
    original: Callable[[ModuleType], bool] | None = getattr(feature, "_mod_uses_pyside", None)
    if original is None:
        return False
    if getattr(original, "sozo_quiet", False):
        return True

    def uses_pyside(module: ModuleType) -> bool:
        name = getattr(module, "__name__", "") or ""
        if name.partition(".")[0] in OWN_PACKAGES:
            return original(module)
        return False

    quiet: Any = uses_pyside
    quiet.sozo_quiet = True
    feature._mod_uses_pyside = quiet
    return True
