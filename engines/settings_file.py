"""The studio's settings file read without Qt, for the CLI, with the same checks as the
window's :class:`studio.settings.StudioSettings`.

QSettings writes a plain INI file, so :mod:`configparser` reads it. A bad value (a word
where a number belongs, a thread count no library can take) falls back to that key's
default, with a notice naming the key; the good keys keep their values. A file that
cannot be parsed at all gives every key its default, with one notice. So one bad value
never makes every command fail.
"""

from __future__ import annotations

import configparser
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from engines import paths, validate
from engines.device import DevicePreference
from engines.errors import BadInput
from engines.messages import message

DEVICES = tuple(p.value for p in DevicePreference)


def check_device(value: str) -> str:
    """A device setting: auto, cpu or cuda (else :class:`BadInput`)."""
    return DevicePreference.parse(value).value


def check_threads(value: str) -> int:
    """A thread-count setting, checked by the same rule as ``--threads``."""
    return validate.THREADS.named("compute/threads").parse(value)


@dataclass(frozen=True)
class Key:
    """One setting the CLI reads: where it is, its default, and its check."""

    section: str
    name: str
    default: object
    check: Callable[[str], object]


COMPUTE_KEYS = (
    Key("compute", "device", "auto", check_device),
    Key("compute", "threads", 0, check_threads),
)


@dataclass
class ComputeSettings:
    """The device and threads the studio saved; ``notices`` say which keys were bad."""

    device: str = "auto"
    threads: int = 0
    notices: list[str] = field(default_factory=list)


def settings_path() -> Path:
    return paths.config_dir() / "settings.ini"


def read_compute_settings(file: Path | None = None) -> ComputeSettings:
    """The compute settings in ``file`` (the studio's ``settings.ini`` by default)."""
    file = file or settings_path()
    values: dict[str, object] = {key.name: key.default for key in COMPUTE_KEYS}
    notices: list[str] = []
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    try:
        parser.read(file, encoding="utf-8")
    except (configparser.Error, OSError, UnicodeDecodeError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        notices.append(message("settings.unreadable", path=file, reason=reason))
        return ComputeSettings(notices=notices)
    for key in COMPUTE_KEYS:
        raw = parser.get(key.section, key.name, fallback=None)
        if raw is None:
            continue
        try:
            values[key.name] = key.check(raw.strip().strip('"'))
        except BadInput as exc:
            problem = exc.message or str(exc)
            notices.append(
                message("settings.bad_value", name=file.name, problem=problem, default=key.default)
            )
    return ComputeSettings(str(values["device"]), int(values["threads"]), notices)  # type: ignore[call-overload]
