"""Issue 21: the range rules, the settings file with garbage in it, a damaged list of
imported models, and tracebacks kept in the log file rather than on stderr."""

from __future__ import annotations

import json
import logging
import math
from pathlib import Path

import pytest

from engines import validate
from engines.catalogue import Catalogue, Task
from engines.errors import BadInput
from engines.jobs import Job, JobState
from engines.settings_file import read_compute_settings
from studio.cli import main


# -- the rules -----------------------------------------------------------------------------
@pytest.mark.parametrize("text", ["0", "1024", " 8 "])
def test_threads_in_range_pass(text: str) -> None:
    assert validate.THREADS.parse(text) == int(text)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("99999999999", "--threads 99999999999 is out of range"),
        ("-1", "out of range"),
        ("1025", "0 to 1024"),
        ("four", "takes a whole number"),
        ("2.5", "takes a whole number"),
        ("9" * 5000, "..."),  # past Python's int parsing limit, and cut short when shown
    ],
)
def test_threads_out_of_range_say_so(text: str, words: str) -> None:
    with pytest.raises(BadInput) as caught:
        validate.THREADS.parse(text)
    assert words in str(caught.value) and len(str(caught.value)) < 200


def test_seeds_are_0_to_2_to_the_32_minus_1() -> None:
    assert validate.SEED.check(0) == 0
    assert validate.SEED.check(2**32 - 1) == 2**32 - 1
    for bad in (-1, 2**32, 2**64 - 1):
        with pytest.raises(BadInput, match="0 to 2\\*\\*32 - 1"):
            validate.SEED.check(bad)


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf, 0.0, 0.1, 4.5, True, "1"])
def test_speed_refuses_what_no_voice_can_take(value: object) -> None:
    with pytest.raises(BadInput):
        validate.SPEED.check(value)


def test_open_and_closed_ends() -> None:
    assert validate.TOP_P.check(1.0) == 1.0
    assert validate.STRENGTH.check(0.01) == 0.01
    with pytest.raises(BadInput, match="above 0"):
        validate.TOP_P.check(0.0)
    assert validate.MUSIC_TEMPERATURE.check(0) == 0  # 0 is greedy, allowed


def test_every_count_has_an_upper_bound() -> None:
    rules = [v for v in vars(validate).values() if isinstance(v, validate.Rule)]
    assert len(rules) >= 15
    assert all(math.isfinite(r.high) for r in rules)


# -- the settings file -----------------------------------------------------------------------
def _settings(config: Path, text: str | bytes) -> Path:
    config.mkdir(parents=True, exist_ok=True)
    file = config / "settings.ini"
    file.write_bytes(text if isinstance(text, bytes) else text.encode())
    return file


@pytest.mark.parametrize(
    ("text", "device", "threads", "words"),
    [
        ("[compute]\ndevice=cpu\nthreads=99999999999\n", "cpu", 0, "compute/threads"),
        ("[compute]\ndevice=cpu\nthreads=lots\n", "cpu", 0, "compute/threads"),
        ("[compute]\ndevice=cpu\nthreads=-4\n", "cpu", 0, "out of range"),
        ("[compute]\ndevice=tpu\nthreads=3\n", "auto", 3, "tpu"),
        ("threads=4\n", "auto", 0, "cannot be read"),  # no [section] at all
        (b"\xff\xfe\x00[compute\x00", "auto", 0, "cannot be read"),
    ],
)
def test_garbage_in_settings_falls_back_for_the_bad_keys_only(
    isolated_dirs: Path, text: str | bytes, device: str, threads: int, words: str
) -> None:
    _settings(isolated_dirs, text)
    saved = read_compute_settings()
    assert (saved.device, saved.threads) == (device, threads)
    assert len(saved.notices) == 1 and words in saved.notices[0]


def test_a_huge_thread_count_in_settings_does_not_stop_the_cli(
    isolated_dirs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _settings(isolated_dirs, "[compute]\nthreads=99999999999\n")
    assert main(["models", "--task", "music"]) == 0
    out, err = capsys.readouterr()
    assert "melody" in out
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("sozo: note: settings.ini: compute/threads")


def test_studio_settings_fall_back_with_a_notice(isolated_dirs: Path) -> None:
    from studio.settings import StudioSettings

    text = "[compute]\ndevice=quantum\nthreads=99999999999\n[look]\ntheme=plaid\n"
    settings = StudioSettings(_settings(isolated_dirs, text))
    assert (settings.device, settings.threads, settings.theme) == ("auto", 0, "system")
    assert len(settings.notices) == 3 and "compute/threads" in settings.notices[1]
    assert "'plaid' for look/theme" in settings.notices[2]
    with pytest.raises(BadInput):
        settings.threads = 5000  # the same rule on the way in


# -- the list of imported models -----------------------------------------------------------
def _entry(model_id: str, path: Path) -> dict[str, str]:
    return {"id": model_id, "name": model_id, "task": "text", "family": "llama", "path": str(path)}


@pytest.mark.parametrize(
    "data", [b"{not json", b'{"id": "x"}', b"", b"\xff\xfe[\x00", b'[{"id": "x"}, 3]']
)
def test_a_damaged_list_is_set_aside_not_rewritten_empty(
    isolated_dirs: Path, tmp_path: Path, data: bytes
) -> None:
    isolated_dirs.mkdir(parents=True, exist_ok=True)
    listed = isolated_dirs / "user_models.json"
    listed.write_bytes(data)
    before = listed.read_bytes()
    catalogue = Catalogue()
    assert len(catalogue.notices) == 1 and "set aside" in catalogue.notices[0]
    kept = list(isolated_dirs.glob("user_models.json.damaged-*"))
    assert [p.read_bytes() for p in kept] == [before]
    model = tmp_path / "model.gguf"
    model.write_bytes(b"GGUF")
    catalogue.import_model(model, Task.text, "llama")  # a new list, the old one kept aside
    assert len(json.loads(listed.read_text(encoding="utf-8"))) == 1
    assert [p.read_bytes() for p in kept] == [before]


def test_bad_and_repeated_entries_are_left_out_and_the_list_kept(
    isolated_dirs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    isolated_dirs.mkdir(parents=True, exist_ok=True)
    listed = isolated_dirs / "user_models.json"
    good = _entry("user-a", tmp_path / "a.gguf")
    raw = [good, dict(good), {"id": "user-b"}, _entry("emoji-ldm", tmp_path / "c")]
    listed.write_text(json.dumps(raw), encoding="utf-8")
    catalogue = Catalogue()
    assert [m.id for m in catalogue.all() if m.id.startswith("user-")] == ["user-a"]
    assert sum(m.id == "emoji-ldm" for m in catalogue.all()) == 1  # ids are unique
    assert "3 imported model(s)" in catalogue.notices[0]
    (aside,) = isolated_dirs.glob("user_models.json.damaged-*")
    assert json.loads(aside.read_text(encoding="utf-8")) == raw
    mended = json.loads(listed.read_text(encoding="utf-8"))
    assert [m["id"] for m in mended] == ["user-a"]  # mended, not emptied
    assert Catalogue().notices == []  # so the next start is clean
    listed.write_text(json.dumps(raw), encoding="utf-8")  # the CLI says so too
    assert main(["models", "--task", "text"]) == 0
    assert "sozo: note: 3 imported model(s)" in capsys.readouterr().err


def test_an_unreadable_list_is_never_written_over(
    isolated_dirs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    isolated_dirs.mkdir(parents=True, exist_ok=True)
    listed = isolated_dirs / "user_models.json"
    listed.write_text(json.dumps([_entry("user-a", tmp_path / "a")]), encoding="utf-8")
    real_read = Path.read_text

    def denied(self: Path, *args: object, **kw: object) -> str:
        if self == listed:  # as for a file another user owns (root reads through chmod)
            raise PermissionError(13, "Permission denied", str(self))
        return real_read(self, *args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "read_text", denied)
    catalogue = Catalogue()
    assert catalogue.notices == ["Your list of imported models cannot be read: Permission denied."]
    with pytest.raises(BadInput, match="Not changing your imported models"):
        catalogue.import_model(tmp_path, Task.text, "llama")
    assert not [m for m in catalogue.all() if m.source.value == "user"]
    monkeypatch.undo()
    assert len(json.loads(listed.read_text(encoding="utf-8"))) == 1


# -- tracebacks go to the log file -----------------------------------------------------------
def _fails(ctx: object) -> None:
    raise ValueError("tensor shapes do not match (3 vs 4)")


def test_a_failed_job_puts_its_traceback_in_the_log_not_on_stderr(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    job = Job("broken", _fails)
    job.run()
    assert job.state is JobState.failed
    out, err = capfd.readouterr()
    assert "Traceback" not in err and "Traceback" not in out
    assert job.log_file == tmp_path / "sozo.log"
    text = job.log_file.read_text(encoding="utf-8")
    assert "Traceback" in text and "tensor shapes do not match" in text


def test_an_unexpected_cli_error_is_one_line_naming_the_log(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    from studio.cli import basic

    def broken(args: object) -> int:
        raise KeyError("catalogue index")

    monkeypatch.setattr(basic, "cmd_models", broken)
    assert main(["models"]) == 1
    lines = capfd.readouterr().err.strip().splitlines()
    log = tmp_path / "sozo.log"
    assert lines == [f"sozo: Internal error (KeyError): 'catalogue index' (details in {log})"]
    assert "Traceback" in log.read_text(encoding="utf-8")


def test_a_failed_job_in_the_cli_is_one_line_naming_the_log(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    from engines import registry

    monkeypatch.setattr(registry, "load", lambda *a, **k: _fails(None))
    assert main(["image", "heart", "-o", str(tmp_path / "x.png")]) == 1
    lines = capfd.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and lines[0].endswith(f"(details in {tmp_path / 'sozo.log'})")
    assert not (tmp_path / "x.png").exists()


def test_the_log_file_rotates(tmp_path: Path) -> None:
    from engines import errorlog

    errorlog.install()
    for n in range(3):
        errorlog.write_traceback(f"fault {n}", "x" * (errorlog.MAX_BYTES // 2))
    assert (tmp_path / "sozo.log.1").exists()
    handlers = [h for h in logging.getLogger().handlers if isinstance(h, errorlog._SozoLogFile)]
    assert len(handlers) == 1
