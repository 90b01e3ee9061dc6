"""Which language the command line speaks, read from the locale without importing Qt."""

from __future__ import annotations

import os
from collections.abc import Mapping


def locale_language(environ: Mapping[str, str] | None = None) -> str:
    """ "ja" when the locale's messages are Japanese, else "en" (C, POSIX, unset...): the
    first set of ``LC_ALL``, ``LC_MESSAGES`` and ``LANG``, as the C library reads them."""
    env = os.environ if environ is None else environ
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name, "")
        if value:
            return "ja" if value.lower().startswith("ja") else "en"
    return "en"
