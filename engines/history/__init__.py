"""The history of everything the studio made (see :mod:`engines.history.store`)."""

from engines.history.store import KINDS, History, HistoryItem, HistoryQuery, default_path

__all__ = ["KINDS", "History", "HistoryItem", "HistoryQuery", "default_path"]
