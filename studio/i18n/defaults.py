"""What the studio starts with in Japanese, besides translated labels: the Text panel's
presets (names and the instructions sent to the model) and the Speech panel's voice and
sample script. These are content, not interface text, so they are data here rather
than entries of a ``.ts`` file; the English ones live with the engines
(``engines.text.conversation.DEFAULT_PRESETS``)."""

from __future__ import annotations

from engines.speech import DEFAULT_JAPANESE

# Preset name -> template ("{text}" is where the message goes), as DEFAULT_PRESETS.
JAPANESE_PRESETS: dict[str, str] = {
    "チャット": "{text}",
    "続きを書く": "次の文章の続きを、同じ語り口と文体で書いてください。\n\n{text}",
    "要約": "次の文章を数文で要約してください。\n\n{text}",
    "英語に翻訳": "次の日本語の文章を英語に翻訳してください。\n\n{text}",
    "日本語に翻訳": "次の文章を日本語に翻訳してください。\n\n{text}",
    "文体を変えて書き直す": "次の文章を、温かく生き生きとした文体で書き直してください。\n\n{text}",
    "アイデア出し": "次のテーマについて、多様なアイデアを十個、箇条書きで挙げてください。\n\n{text}",
}

JAPANESE_VOICE = DEFAULT_JAPANESE  # a packaged Kokoro Japanese voice
JAPANESE_SAMPLE_TEXT = (
    "こんにちは。創造スタジオへようこそ。この文章を書き換えて、「話す」を押してください。"
)

# Every Japanese default text, for the font subset (packaging/subset_font.py).
JAPANESE_TEXTS: tuple[str, ...] = (
    *JAPANESE_PRESETS,
    *JAPANESE_PRESETS.values(),
    JAPANESE_SAMPLE_TEXT,
)


def presets_for(language: str) -> dict[str, str] | None:
    """The default presets for ``language``; None: the engines' English ones."""
    return dict(JAPANESE_PRESETS) if language == "ja" else None
