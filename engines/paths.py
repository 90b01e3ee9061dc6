"""Where the studio keeps things: assets, settings, caches, the default output folder.

Each folder can be moved with an environment variable (tests point them at a temporary
folder so they never touch the user's files): ``SOZO_ASSETS_DIR``, ``SOZO_CONFIG_DIR``,
``SOZO_CACHE_DIR``, ``SOZO_OUTPUT_DIR``, ``SOZO_DATA_DIR``, ``SOZO_MODELS_DIR``.
"""

from __future__ import annotations

import importlib.util
import os
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
    """Shipped weights, icons and data: ``assets/`` at the top of the checkout, which an
    installed wheel carries as the ``sozo_assets`` data package (``pyproject.toml`` maps it
    to ``assets/``), so nothing depends on a source tree. Wheels are installed unpacked, so
    it is a real folder on disk, which the engines need (safetensors and the soundfont
    player open files by name).
    """
    spec = importlib.util.find_spec("sozo_assets")
    # An editable install's namespace path also holds its finder's hook: take a folder.
    locations = (spec.submodule_search_locations or []) if spec is not None else []
    found = [Path(p) for p in locations if Path(p).is_dir()]
    # Else a checkout run in place, without an install.
    default = found[0] if found else repo_root() / "assets"
    return _from_env("SOZO_ASSETS_DIR", default)


def config_dir() -> Path:
    """User settings and the list of imported models."""
    return _from_env("SOZO_CONFIG_DIR", Path(_DIRS.user_config_dir))


def cache_dir() -> Path:
    """Converted copies of models (safe to delete: they are rebuilt)."""
    return _from_env("SOZO_CACHE_DIR", Path(_DIRS.user_cache_dir))


def data_dir() -> Path:
    """What the studio keeps of its own that is not a setting: the history database."""
    return _from_env("SOZO_DATA_DIR", Path(_DIRS.user_data_dir))


def models_dir() -> Path:
    """Where the model manager puts what it downloads from a hub (one folder per
    repository); partial downloads wait in its ``.partial`` folder."""
    return _from_env("SOZO_MODELS_DIR", data_dir() / "models")


def default_output_dir() -> Path:
    """Where generated files go unless the user picks another folder."""
    documents = Path(_DIRS.user_documents_dir)
    return _from_env("SOZO_OUTPUT_DIR", documents / "Sozo Studio")


def log_file() -> Path:
    return _from_env("SOZO_LOG_FILE", Path(_DIRS.user_log_dir) / "sozo-studio.log")
