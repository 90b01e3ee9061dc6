"""The committed translations are current and complete: lupdate over each area's code
finds no string the .ts lacks or leaves unfinished, and each shipped .qm is what
lrelease makes of its .ts (compiled here to a temporary folder and compared byte for
byte: lrelease is deterministic, so a difference is a .qm not rebuilt)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

import pytest

from studio.i18n.areas import AREAS, ROOT, TRANSLATED_LANGUAGES, area_files, qm_file, ts_file
from studio.i18n.update import lrelease, scan

# Areas translated: all of them (the command line's help and output included).
DONE = ("core", "image", "music", "cli")


def messages(ts: Path) -> dict[tuple[str, str], str | None]:
    """(context, source) -> translation, None where it is unfinished or empty."""
    out: dict[tuple[str, str], str | None] = {}
    for context in ElementTree.parse(ts).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            translation = message.find("translation")
            text = translation.text if translation is not None else None
            if translation is not None and message.get("numerus") == "yes":
                # Plural messages hold one <numerusform> per plural form (Japanese: one).
                forms = [form.text or "" for form in translation.iter("numerusform")]
                text = forms[0] if forms and all(f.strip() for f in forms) else None
            unfinished = translation is None or translation.get("type") in (
                "unfinished",
                "obsolete",
                "vanished",
            )
            out[(name, message.findtext("source") or "")] = (
                None if unfinished or not (text or "").strip() else text
            )
    return out


@pytest.mark.parametrize("area", DONE)
@pytest.mark.parametrize("language", TRANSLATED_LANGUAGES)
def test_the_ts_file_has_every_string_of_the_code_translated(
    area: str, language: str, tmp_path: Path
) -> None:
    committed = messages(ts_file(area, language))
    in_code = messages(scan(area, tmp_path))
    assert in_code, f"lupdate found no string in the {area} area"
    missing = sorted(key for key in in_code if key not in committed)
    assert not missing, (
        f"{ts_file(area, language).name} is stale, run python -m studio.i18n.update and "
        f"translate: {missing[:10]}"
    )
    unfinished = sorted(key for key in in_code if committed[key] is None)
    assert not unfinished, f"untranslated in {ts_file(area, language).name}: {unfinished[:10]}"
    gone = sorted(key for key in committed if key not in in_code)
    assert not gone, f"strings no longer in the code (run the update): {gone[:10]}"


@pytest.mark.parametrize("area", DONE)
@pytest.mark.parametrize("language", TRANSLATED_LANGUAGES)
def test_translations_keep_the_placeholders_of_their_source(area: str, language: str) -> None:
    for (context, source), text in messages(ts_file(area, language)).items():
        assert text is not None
        wanted = sorted(re.findall(r"%\d", source))
        assert sorted(re.findall(r"%\d", text)) == wanted, (context, source, text)
        if "&" in source.replace("&&", ""):  # a menu's mnemonic stays a mnemonic
            assert "&" in text, (context, source, text)


@pytest.mark.parametrize("area", DONE)
@pytest.mark.parametrize("language", TRANSLATED_LANGUAGES)
def test_the_shipped_qm_is_compiled_from_the_ts(area: str, language: str, tmp_path: Path) -> None:
    shipped = qm_file(area, language)
    assert shipped.exists(), f"{shipped.name} is missing: run python -m studio.i18n.update"
    fresh = tmp_path / shipped.name
    lrelease(ts_file(area, language), fresh)
    assert fresh.read_bytes() == shipped.read_bytes(), (
        f"{shipped.name} is older than its .ts: run python -m studio.i18n.update"
    )


def test_a_stale_ts_is_caught(tmp_path: Path) -> None:
    """The stale check itself: code with a string the .ts lacks is reported missing."""
    committed = messages(ts_file("core", "ja"))
    source = tmp_path / "new.py"
    source.write_text(
        "from PySide6.QtCore import QCoreApplication\n"
        'QCoreApplication.translate("Probe", "A string no translation has")\n',
        encoding="utf-8",
    )
    ts = tmp_path / "probe_ja.ts"
    from studio.i18n.update import tool

    subprocess.run(
        [tool("pyside6-lupdate"), str(source), "-locations", "none", "-ts", str(ts)],
        check=True,
        capture_output=True,
    )
    found = messages(ts)
    assert ("Probe", "A string no translation has") in found
    assert ("Probe", "A string no translation has") not in committed


def test_every_studio_module_is_in_exactly_one_area() -> None:
    seen: dict[Path, str] = {}
    for area in AREAS:
        for path in area_files(area):
            assert path not in seen, f"{path} is in {seen[path]} and {area}"
            seen[path] = area
    assert set(seen) == set((ROOT / "studio").rglob("*.py"))


def test_the_update_command_refuses_an_unknown_area() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "studio.i18n.update", "nonsense"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode != 0
    assert "unknown area 'nonsense'" in done.stderr
    assert "Traceback" not in done.stderr
