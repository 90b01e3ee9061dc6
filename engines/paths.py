"""Where the studio keeps things: assets, settings, caches, the default output folder.

Each folder can be moved with an environment variable (tests point them at a temporary
folder so they never touch the user's files): ``SOZO_ASSETS_DIR``, ``SOZO_CONFIG_DIR``,
``SOZO_CACHE_DIR``, ``SOZO_OUTPUT_DIR``.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

from platformdirs import PlatformDirs

_DIRS = PlatformDirs(appname="sozo-studio", appauthor=False)


def _from_env(name: str, default: Path) -> Path:
    value = os.environ.get(name)
    return Path(value).expanduser() if value else default


def repo_root() -> Path:
    """The folder holding ``engines/`` (the checkout, for an editable install)."""
    return Path(__file__).resolve().parent.parent


def assets_dir() -> Path:
    """Shipped weights, icons and data: the ``assets`` data folder of the ``engines`` package.

    The same folder in a checkout (``engines/assets/``) and in an installed wheel
    (``site-packages/engines/assets/``, package data), so nothing depends on the source
    tree. Wheels are installed unpacked, so the resource is a real folder on disk, which
    the engines need (safetensors and the soundfont player open files by name).
    """
    default = Path(str(resources.files("engines") / "assets"))
    return _from_env("SOZO_ASSETS_DIR", default)


def config_dir() -> Path:
    """User settings and the list of imported models."""
    return _from_env("SOZO_CONFIG_DIR", Path(_DIRS.user_config_dir))


def cache_dir() -> Path:
    """Converted copies of models (safe to delete: they are rebuilt)."""
    return _from_env("SOZO_CACHE_DIR", Path(_DIRS.user_cache_dir))


def default_output_dir() -> Path:
    """Where generated files go unless the user picks another folder."""
    documents = Path(_DIRS.user_documents_dir)
    return _from_env("SOZO_OUTPUT_DIR", documents / "Sozo Studio")


def log_file() -> Path:
    return _from_env("SOZO_LOG_FILE", Path(_DIRS.user_log_dir) / "sozo-studio.log")
