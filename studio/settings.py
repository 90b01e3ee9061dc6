"""The user's settings: observable state kept in an INI file with QSettings.

Each setting has a ``<name>_changed`` signal emitted only when the value really changes,
so widgets bound to it never echo. The file lives in ``engines.paths.config_dir()``
(``SOZO_CONFIG_DIR`` moves it, which the tests use).
"""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import QByteArray, QObject, QSettings, Signal, SignalInstance

from engines import paths
from engines.device import DevicePreference
from engines.errors import BadInput
from engines.settings_file import check_threads

THEMES = ("system", "light", "dark")
LANGUAGES = ("system", "en", "ja")  # "system": follow the system locale
MAX_RECENT_LORAS = 30
MAX_PORT = 65535
# The API server's defaults, as studio.server.http's (not imported: the server brings the
# engines' modules with it, which the panels importing the settings must not; a test
# checks the two agree).
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8188


class StudioSettings(QObject):
    """Device, threads, output folder, theme and language, and where the window's API
    server listens (host, port, API key), persisted across restarts."""

    device_changed = Signal(str)
    threads_changed = Signal(int)
    output_dir_changed = Signal(str)
    theme_changed = Signal(str)
    language_changed = Signal(str)
    recent_loras_changed = Signal(str)
    server_host_changed = Signal(str)
    server_port_changed = Signal(int)
    server_api_key_changed = Signal(str)

    def __init__(self, file: Path | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.file = file or paths.config_dir() / "settings.ini"
        self.file.parent.mkdir(parents=True, exist_ok=True)
        self._qs = QSettings(str(self.file), QSettings.Format.IniFormat)
        # One line per key whose saved value was bad and was replaced by its default
        # (the window shows them); the same checks as the CLI's (engines.settings_file).
        self.notices: list[str] = []
        _ = self.device, self.threads, self.theme  # read now, so a bad value is noticed

    def _bad_value(self, key: str, value: object, default: object) -> None:
        text = self.tr("The settings file held {value} for {key}: using the default, {default}.")
        notice = text.format(value=repr(value)[:40], key=key, default=default)
        if notice not in self.notices:
            self.notices.append(notice)

    def _get_str(self, key: str, default: str) -> str:
        value = self._qs.value(key, default)
        return str(value) if value is not None else default

    def _set(self, key: str, value: object, signal: SignalInstance) -> None:
        # INI files read every value back as text, so compare as text.
        if self._qs.contains(key) and str(self._qs.value(key)) == str(value):
            return
        self._qs.setValue(key, value)
        self._qs.sync()
        signal.emit(value)

    # -- device ----------------------------------------------------------------------
    @property
    def device(self) -> str:
        value = self._get_str("compute/device", "auto")
        if value in {p.value for p in DevicePreference}:
            return value
        self._bad_value("compute/device", value, "auto")
        return "auto"

    @device.setter
    def device(self, value: str) -> None:
        self._set("compute/device", DevicePreference.parse(value).value, self.device_changed)

    @property
    def threads(self) -> int:
        """CPU threads for engines; 0 means the automatic choice."""
        value = self._get_str("compute/threads", "0")
        try:
            return check_threads(value)
        except BadInput:
            self._bad_value("compute/threads", value, 0)
            return 0

    @threads.setter
    def threads(self, value: int) -> None:
        self._set("compute/threads", check_threads(str(value)), self.threads_changed)

    # -- files -----------------------------------------------------------------------
    @property
    def output_dir(self) -> str:
        return self._get_str("files/output_dir", str(paths.default_output_dir()))

    @output_dir.setter
    def output_dir(self, value: str) -> None:
        self._set("files/output_dir", str(value), self.output_dir_changed)

    # -- look ------------------------------------------------------------------------
    @property
    def theme(self) -> str:
        value = self._get_str("look/theme", "system")
        if value in THEMES:
            return value
        self._bad_value("look/theme", value, "system")
        return "system"

    @theme.setter
    def theme(self, value: str) -> None:
        if value not in THEMES:
            raise ValueError(f"theme must be one of {THEMES}")
        self._set("look/theme", value, self.theme_changed)

    @property
    def language(self) -> str:
        """ "system" (follow the system locale), "en" or "ja"; shown from the next start."""
        value = self._get_str("look/language", "system")
        return value if value in LANGUAGES else "system"

    @language.setter
    def language(self, value: str) -> None:
        if value not in LANGUAGES:
            raise ValueError(f"language must be one of {LANGUAGES}")
        self._set("look/language", value, self.language_changed)

    # -- image ---------------------------------------------------------------------
    @property
    def recent_loras(self) -> list[str]:
        """LoRA files the user has added, newest first: a picture's recipe names its LoRA
        files by name only, and is matched against these to remake it."""
        try:
            value = json.loads(self._get_str("image/recent_loras", "[]"))
        except ValueError:
            return []
        return [str(v) for v in value] if isinstance(value, list) else []

    def remember_lora(self, path: str) -> None:
        paths = [path, *(p for p in self.recent_loras if p != path)][:MAX_RECENT_LORAS]
        self._set("image/recent_loras", json.dumps(paths), self.recent_loras_changed)

    # -- API server (#17) -------------------------------------------------------------
    @property
    def server_host(self) -> str:
        """The address the window's API server listens on (127.0.0.1: this machine)."""
        value = self._get_str("server/host", DEFAULT_HOST).strip()
        if value and not any(c.isspace() for c in value):
            return value
        self._bad_value("server/host", value, DEFAULT_HOST)
        return DEFAULT_HOST

    @server_host.setter
    def server_host(self, value: str) -> None:
        host = value.strip()
        if not host or any(c.isspace() for c in host):
            raise ValueError("the server host must be an address without spaces")
        self._set("server/host", host, self.server_host_changed)

    @property
    def server_port(self) -> int:
        value = self._get_str("server/port", str(DEFAULT_PORT))
        try:
            port = int(value)
        except ValueError:
            port = 0
        if 1 <= port <= MAX_PORT:
            return port
        self._bad_value("server/port", value, DEFAULT_PORT)
        return DEFAULT_PORT

    @server_port.setter
    def server_port(self, value: int) -> None:
        if not 1 <= value <= MAX_PORT:
            raise ValueError(f"the server port must be between 1 and {MAX_PORT}")
        self._set("server/port", int(value), self.server_port_changed)

    @property
    def server_api_key(self) -> str:
        """The bearer token clients must send ("": none; only a loopback host allows it).
        Kept in the settings file as it is, as the CLI's --api-key takes it."""
        return self._get_str("server/api_key", "").strip()

    @server_api_key.setter
    def server_api_key(self, value: str) -> None:
        self._set("server/api_key", value.strip(), self.server_api_key_changed)

    # -- window ----------------------------------------------------------------------
    def window_geometry(self) -> QByteArray | None:
        value = self._qs.value("window/geometry")
        return value if isinstance(value, QByteArray) else None

    def window_state(self) -> QByteArray | None:
        value = self._qs.value("window/state")
        return value if isinstance(value, QByteArray) else None

    def save_window(self, geometry: QByteArray, state: QByteArray) -> None:
        self._qs.setValue("window/geometry", geometry)
        self._qs.setValue("window/state", state)
        self._qs.sync()

    def last_panel(self) -> str:
        return self._get_str("window/panel", "text")

    def set_last_panel(self, name: str) -> None:
        self._qs.setValue("window/panel", name)
