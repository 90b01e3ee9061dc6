"""Refresh every translation: ``python -m studio.i18n.update``.

For each area (studio.i18n.areas) and language, ``pyside6-lupdate`` brings the area's
``.ts`` up to date with the source (new strings come in unfinished, gone ones are marked
obsolete and dropped) and ``pyside6-lrelease`` compiles it to the ``.qm`` the studio
loads. Translate the unfinished entries (Qt Linguist: ``pyside6-linguist FILE.ts``) and
run it again; tests/i18n checks that the committed files are current and complete.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from xml.etree import ElementTree

from studio.i18n.areas import AREAS, ROOT, TRANSLATED_LANGUAGES, area_files, qm_file, ts_file


def tool(name: str) -> str:
    """The PySide6 tool ``name`` (next to this Python, or on PATH)."""
    beside = Path(sys.executable).with_name(name)
    found = str(beside) if beside.exists() else shutil.which(name)
    if found is None:
        raise SystemExit(f"{name} was not found: install PySide6 (it ships the tool).")
    return found


def lupdate(area: str, ts: Path, *, drop_obsolete: bool = True) -> None:
    """Run lupdate over ``area``'s files into ``ts`` (made if missing). Locations are left
    out so that moving code does not churn the file."""
    files = [str(p.relative_to(ROOT)) for p in area_files(area)]
    if not files:
        return
    args = [tool("pyside6-lupdate"), *files, "-locations", "none", "-source-language", "en"]
    if drop_obsolete:
        args.append("-no-obsolete")
    args += ["-target-language", ts.stem.rsplit("_", 1)[1], "-ts", str(ts)]
    subprocess.run(args, cwd=ROOT, check=True, capture_output=True, text=True)


def lrelease(ts: Path, qm: Path) -> None:
    subprocess.run(
        [tool("pyside6-lrelease"), str(ts), "-qm", str(qm)],
        check=True,
        capture_output=True,
        text=True,
    )


ENGINE_MESSAGES = ROOT / "studio" / "i18n" / "engine_messages.py"


def engine_messages_source() -> str:
    """The text of ``studio/i18n/engine_messages.py``: every template of
    engines.messages.MESSAGES marked for lupdate, one literal a line (lupdate reads
    neither concatenated literals nor names)."""
    from engines.messages import MESSAGES

    lines = [
        '"""Every template of engines.messages.MESSAGES, marked for lupdate (context',
        'EngineMessages). Written by ``python -m studio.i18n.update``: do not edit."""',
        "",
        "from __future__ import annotations",
        "",
        "from studio.i18n import QT_TRANSLATE_NOOP",
        "",
        "# fmt: off",
        "TEMPLATES: dict[str, str] = {",
    ]
    for key, template in MESSAGES.items():
        literal = json.dumps(template, ensure_ascii=False)
        lines.append(f'    "{key}": QT_TRANSLATE_NOOP("EngineMessages", {literal}),')
    lines += ["}", "# fmt: on", ""]
    return "\n".join(lines)


def write_engine_messages() -> bool:
    """Rewrite engine_messages.py when the catalogue changed; True if it was written."""
    text = engine_messages_source()
    if ENGINE_MESSAGES.exists() and ENGINE_MESSAGES.read_text(encoding="utf-8") == text:
        return False
    ENGINE_MESSAGES.write_text(text, encoding="utf-8")
    return True


CLI_HELP = ROOT / "studio" / "cli" / "help_texts.py"


def write_cli_help() -> bool:
    """Rewrite studio/cli/help_texts.py when the CLI's help changed; True if written."""
    from studio.cli.help_words import help_texts_source

    text = help_texts_source()
    if CLI_HELP.exists() and CLI_HELP.read_text(encoding="utf-8") == text:
        return False
    CLI_HELP.write_text(text, encoding="utf-8")
    return True


def update(areas: tuple[str, ...] = AREAS) -> list[Path]:
    """Update the .ts and .qm of ``areas`` (and the lists of engine messages, which the
    core area holds, and of the CLI's help texts); returns the files written."""
    written = [ENGINE_MESSAGES] if write_engine_messages() else []
    written += [CLI_HELP] if write_cli_help() else []
    for area in areas:
        if not area_files(area):
            continue
        for language in TRANSLATED_LANGUAGES:
            ts, qm = ts_file(area, language), qm_file(area, language)
            if not ts.exists():
                with tempfile.TemporaryDirectory(prefix="sozo-lupdate-") as folder:
                    if not source_count(scan(area, Path(folder))):
                        continue  # an area with no translatable string yet (the CLI)
            lupdate(area, ts)
            lrelease(ts, qm)
            written += [ts, qm]
    return written


def scan(area: str, folder: Path) -> Path:
    """A fresh .ts of ``area``'s source strings (untranslated), written in ``folder``."""
    ts = folder / f"sozo_{area}_ja.ts"
    lupdate(area, ts)
    return ts


def source_count(ts: Path) -> int:
    """How many source strings a .ts holds (0 for a missing file)."""
    if not ts.exists():
        return 0
    return len(ElementTree.parse(ts).getroot().findall("context/message"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Refresh the studio's .ts and .qm files.")
    parser.add_argument("areas", nargs="*", metavar="AREA", help=f"some of: {', '.join(AREAS)}")
    args = parser.parse_args(argv)
    unknown = [a for a in args.areas if a not in AREAS]
    if unknown:
        parser.error(f"unknown area {unknown[0]!r}: choose from {', '.join(AREAS)}")
    for path in update(tuple(args.areas) or AREAS):
        print(path.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
