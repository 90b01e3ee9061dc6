"""Light and dark themes. "system" follows the desktop's colour scheme and its changes."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

ACCENT = QColor("#d9485f")  # the icon's vermilion

_STYLE = """
QWidget#panelHeader QLabel#panelTitle { font-size: 18pt; font-weight: 600; }
QLabel#panelSubtitle { color: palette(placeholder-text); }
QFrame#engineNotice {
    border: 1px solid palette(mid); border-radius: 6px; padding: 8px;
    background: palette(alternate-base);
}
QListWidget#panelNav { border: none; font-size: 11pt; outline: 0; padding: 6px; }
QListWidget#panelNav::item { padding: 10px 14px; border-radius: 6px; }
QListWidget#panelNav::item:selected { background: palette(highlight);
    color: palette(highlighted-text); border: none; }
QListWidget#panelNav::item:hover:!selected { background: palette(alternate-base); }
QLabel#jobError { color: #c0392b; }
"""


def system_is_dark() -> bool:
    hints = QGuiApplication.styleHints()
    return hints.colorScheme() == Qt.ColorScheme.Dark


def _dark_palette() -> QPalette:
    p = QPalette()
    base, window, text = QColor("#1e1f22"), QColor("#2b2d31"), QColor("#e6e6e6")
    p.setColor(QPalette.ColorRole.Window, window)
    p.setColor(QPalette.ColorRole.WindowText, text)
    p.setColor(QPalette.ColorRole.Base, base)
    p.setColor(QPalette.ColorRole.AlternateBase, QColor("#34363c"))
    p.setColor(QPalette.ColorRole.ToolTipBase, window)
    p.setColor(QPalette.ColorRole.ToolTipText, text)
    p.setColor(QPalette.ColorRole.Text, text)
    p.setColor(QPalette.ColorRole.Button, QColor("#34363c"))
    p.setColor(QPalette.ColorRole.ButtonText, text)
    p.setColor(QPalette.ColorRole.Highlight, ACCENT)
    p.setColor(QPalette.ColorRole.HighlightedText, QColor("#ffffff"))
    p.setColor(QPalette.ColorRole.Link, QColor("#ff8a9b"))
    p.setColor(QPalette.ColorRole.PlaceholderText, QColor("#9a9ca3"))
    p.setColor(QPalette.ColorRole.Mid, QColor("#4a4d55"))
    for role in (
        QPalette.ColorRole.Text,
        QPalette.ColorRole.ButtonText,
        QPalette.ColorRole.WindowText,
    ):
        p.setColor(QPalette.ColorGroup.Disabled, role, QColor("#7d8088"))
    return p


def _light_palette() -> QPalette:
    p = QApplication.style().standardPalette()
    p.setColor(QPalette.ColorRole.Highlight, ACCENT)
    p.setColor(QPalette.ColorRole.HighlightedText, QColor("#ffffff"))
    p.setColor(QPalette.ColorRole.AlternateBase, QColor("#f4f1ee"))
    return p


def apply_theme(app: QApplication, theme: str) -> str:
    """Apply "system", "light" or "dark"; returns the scheme actually used."""
    app.setStyle("Fusion")
    dark = system_is_dark() if theme == "system" else theme == "dark"
    app.setPalette(_dark_palette() if dark else _light_palette())
    app.setStyleSheet(_STYLE)
    return "dark" if dark else "light"
