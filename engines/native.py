"""Loading torch's native libraries without holding the GIL, so the window never stalls.

``import torch`` spends most of its time in the dynamic loader: relocating
``libtorch_cpu.so`` (hundreds of MB) and running its static initialisers (every operator
registers itself). CPython imports an extension module with the GIL held, and torch's
own ``ctypes.CDLL`` calls hold it too, so a job that imports torch on a worker thread
froze the GUI thread for 250-800 ms on this project's 2-core machines (issue #21).

A C function called through ctypes runs with the GIL released. :func:`preload_torch`
calls libc's ``dlopen`` that way on torch's libraries, in the order they depend on each
other: the loader's work happens while other threads run Python, and the later
``import torch`` finds the libraries already mapped (the loader keeps one copy per
library; ``RTLD_LOCAL`` so torch's symbols do not leak into libraries loaded later).
What then still holds the GIL is ``torch._C``'s own Python initialisation, measured at
under 40 ms in its longest single call.

:func:`warm_torch` does that and then imports torch, for a background thread started
by the studio after its window shows; jobs call :func:`preload_torch` before their
work, which waits for a warm-up in progress (a dlopen of the same library from two
threads would block the second on the loader's lock with its GIL held) and returns at
once after. Linux only (glibc's ``dlopen``); elsewhere both are plain imports.
"""

from __future__ import annotations

import ctypes
import importlib.util
import logging
import os
import sys
import threading
from pathlib import Path

log = logging.getLogger(__name__)

# torch/lib's libraries in dependency order (a missing one, e.g. CUDA's on a CPU build,
# is skipped; each dlopen also loads what the library needs that is not loaded yet).
TORCH_LIBRARIES = (
    "libgomp.so.1",
    "libc10.so",
    "libtorch_cpu.so",
    "libc10_cuda.so",
    "libtorch_cuda.so",
    "libtorch.so",
    "libtorch_python.so",
)

_lock = threading.Lock()
_preloaded: list[str] | None = None


def _torch_dir() -> Path | None:
    if "torch" in sys.modules:
        return None  # already imported: nothing left to load
    try:
        spec = importlib.util.find_spec("torch")
    except (ImportError, ValueError):
        return None
    if spec is None or spec.origin is None:
        return None
    return Path(spec.origin).parent


def _dlopen_without_gil() -> ctypes._CFuncPtr | None:  # type: ignore[name-defined]
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(None)  # the process's own symbols: glibc's dlopen among them
        dlopen = libc.dlopen
    except (OSError, AttributeError):
        return None
    dlopen.restype = ctypes.c_void_p
    dlopen.argtypes = [ctypes.c_char_p, ctypes.c_int]
    return dlopen  # a ctypes.CDLL function: called with the GIL released


def preload_torch() -> list[str]:
    """Map torch's native libraries with the GIL released; the names loaded.

    Idempotent and thread-safe: the first call does the work, a concurrent call waits
    for it (``Lock.acquire`` releases the GIL), later calls return at once. Never
    raises: a library that fails to load is left to torch's own import to report."""
    global _preloaded
    with _lock:
        if _preloaded is not None:
            return _preloaded
        loaded: list[str] = []
        folder, dlopen = _torch_dir(), _dlopen_without_gil()
        if folder is not None and dlopen is not None:
            mode = os.RTLD_NOW | os.RTLD_LOCAL
            for name in TORCH_LIBRARIES:
                path = folder / "lib" / name
                if path.is_file() and dlopen(os.fsencode(path), mode):
                    loaded.append(name)
            extensions = sorted(folder.glob("_C.*.so"))
            if extensions and dlopen(os.fsencode(extensions[0]), mode):
                loaded.append(extensions[0].name)
        _preloaded = loaded
        log.debug("preloaded torch's libraries without the GIL: %s", loaded)
        return loaded


_warm_lock = threading.Lock()
_warm_thread: threading.Thread | None = None


def warm_in_background() -> threading.Thread:
    """Start :func:`warm_torch` on a thread of its own, once per process; the thread."""
    global _warm_thread
    with _warm_lock:
        if _warm_thread is None:
            _warm_thread = threading.Thread(target=warm_torch, name="sozo-warm-torch")
            _warm_thread.start()
        return _warm_thread


def warmed() -> bool:
    """Whether a :func:`warm_in_background` thread ran and ended."""
    with _warm_lock:
        return _warm_thread is not None and not _warm_thread.is_alive()


def warming() -> bool:
    """Whether a :func:`warm_in_background` thread is running now."""
    with _warm_lock:
        return _warm_thread is not None and _warm_thread.is_alive()


def warm_torch() -> bool:
    """Preload, then import torch (for a background thread); whether torch imported."""
    preload_torch()
    try:
        import torch  # noqa: F401  (the import is the point)
    except Exception:
        log.warning("torch did not import during the warm-up", exc_info=True)
        return False
    return True
