"""``sozo serve``'s own lines in the locale's language, for a server that never imports
Qt: ``sozo serve`` runs ``python -m studio.cli.serve_words`` once at start (only when the
locale is not English), and this child, which may load Qt's translations, prints every
line's template as JSON. The templates keep their ``{placeholders}``."""

from __future__ import annotations

import json
import sys

from studio.cli.i18n import translate


def words() -> dict[str, str]:
    """Each line of ``sozo serve`` by key, in the locale's language."""
    return {
        "serving": translate("Cli", "Serving the OpenAI API at {address} (Ctrl+C stops)"),
        "serving_key": translate(
            "Cli",
            "Serving the OpenAI API at {address}; clients must send the API key (Ctrl+C stops)",
        ),
        "refused": translate("Cli", "[refused] {method} {path}: {status} {message}"),
        "job": translate("Cli", "[{job}] {title} {state} in {seconds} s"),
        "job_failed": translate("Cli", "[{job}] {title} failed in {seconds} s: {error}"),
        "finished": translate("Cli", "finished"),
        "cancelled": translate("Cli", "cancelled"),
        "stopped": translate("Cli", "Stopped."),
    }


if __name__ == "__main__":
    json.dump(words(), sys.stdout, ensure_ascii=False)
    sys.stdout.write("\n")
