"""The text front end shared by the speech engines: markup, sentences and scripts.

* Markup: ``[pause 500ms]`` / ``[pause 1.5s]`` and SSML ``<break time="500ms"/>`` make
  silence; ``[voice kokoro:jf_alpha]`` (or just ``[voice jf_alpha]``) switches the voice
  for the rest of the text. Other SSML-looking tags (``<speak>``, ``<s>``) are dropped so
  that they are not read out.
* Sentences: split after ``.``, ``!``, ``?`` and their Japanese forms ``。！？``, but not
  after an abbreviation (``Dr.``, ``e.g.``), an initial (``J. R. R.``) or inside a number
  (``3.14``). Sentences too long for one model call are cut at a comma or a space.
* Scripts: each voice says which writing systems it can read; letters of other scripts
  are skipped and counted so that the user gets one notice instead of a spelled-out
  "Chinese letter, Chinese letter".

Everything here is a generator or a single pass over the text, so a 100,000-character
script costs no more memory than its own string.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

from engines.errors import BadInput
from engines.messages import message

MAX_PAUSE_S = 60.0
"""A longer pause is most likely a typo (``[pause 5000s]``); it is refused."""

MAX_SENTENCE_CHARS = 400
"""Longer sentences are cut: VITS and Kokoro memory grows with the input, and Kokoro
accepts at most 510 tokens."""


@dataclass(frozen=True)
class Speak:
    """Text to be spoken with the current voice."""

    text: str


@dataclass(frozen=True)
class Pause:
    """Silence of ``seconds``."""

    seconds: float


@dataclass(frozen=True)
class SwitchVoice:
    """Speak the rest of the text with ``voice_id``."""

    voice_id: str


Segment = Speak | Pause | SwitchVoice

_MARKUP = re.compile(
    r"\[\s*pause\s+(?P<pause>[^\]]*)\]"
    r"|<\s*break\b(?P<break>[^>]*)/?\s*>"
    r"|\[\s*voice(?:\s*[:=]\s*|\s+)(?P<voice>[^\]]*)\]"
    r"|</?\s*(?:speak|s|p|prosody|voice|emphasis|sub|say-as)\b[^>]*>",
    re.IGNORECASE,
)
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|sec|secs|seconds?)?\s*$", re.IGNORECASE)
_BREAK_TIME = re.compile(r"""time\s*=\s*["']([^"']*)["']""", re.IGNORECASE)
# SSML's named break strengths, in seconds (the SSML spec leaves them to the engine).
_BREAK_STRENGTH = {
    "none": 0.0,
    "x-weak": 0.1,
    "weak": 0.25,
    "medium": 0.4,
    "strong": 0.75,
    "x-strong": 1.2,
}


def parse_duration(text: str, markup: str) -> float:
    """``500ms``, ``1.5s`` or a bare number of milliseconds, as seconds."""
    m = _DURATION.match(text)
    if not m:
        raise BadInput(message("speech.bad_pause", markup=repr(markup)))
    value = float(m.group(1))
    unit = (m.group(2) or "ms").lower()
    seconds = value / 1000.0 if unit == "ms" else value
    if seconds > MAX_PAUSE_S:
        raise BadInput(
            message("speech.pause_too_long", markup=repr(markup), most=f"{MAX_PAUSE_S:.0f}")
        )
    return seconds


def parse_markup(text: str) -> Iterator[Segment]:
    """Split text into spoken text, pauses and voice switches, in order."""
    pos = 0
    for m in _MARKUP.finditer(text):
        if m.start() > pos:
            yield Speak(text[pos : m.start()])
        pos = m.end()
        if m.group("pause") is not None:
            yield Pause(parse_duration(m.group("pause"), m.group(0)))
        elif m.group("break") is not None:
            attrs = m.group("break")
            time_attr = _BREAK_TIME.search(attrs)
            if time_attr:
                yield Pause(parse_duration(time_attr.group(1), m.group(0)))
            else:
                strength = re.search(r"""strength\s*=\s*["']([^"']*)["']""", attrs)
                key = strength.group(1).lower() if strength else "medium"
                yield Pause(_BREAK_STRENGTH.get(key, 0.4))
        elif m.group("voice") is not None:
            voice = m.group("voice").strip()
            if not voice:
                raise BadInput(message("speech.no_voice_named", tag=repr(m.group(0))))
            yield SwitchVoice(voice)
        # any other tag: dropped
    if pos < len(text):
        yield Speak(text[pos:])


# -- sentences ------------------------------------------------------------------------

# A period after these does not end a sentence.
ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof sr jr st mt vs etc eg ie cf al approx dept est fig figs inc ltd
    co corp no nos vol vols ch p pp ed eds rev gen col lt sgt capt cmdr gov sen rep jan
    feb mar apr jun jul aug sep sept oct nov dec mon tue wed thu fri sat sun e.g i.e
    a.m p.m u.s u.k""".split()  # noqa: SIM905 - a word list reads better as text
)

# A sentence ends at . ! ? (one or more, maybe followed by closing quotes or brackets)
# followed by white space, or at 。！？ (no space needed in Japanese), or at a blank line.
_SENTENCE_END = re.compile(
    r"(?P<latin>[.!?…]+[\"'”’)\]]*)(?=\s)"
    r"|(?P<cjk>[。！？!?]+[」』）)\]”’]*)"
    r"|(?P<para>\n[ \t]*\n\s*)"
)
_WORD_BEFORE = re.compile(r"([\w.]+)$")


def _is_abbreviation(text_before: str) -> bool:
    """True if the period that ends ``text_before`` belongs to an abbreviation or initial."""
    m = _WORD_BEFORE.search(text_before)
    if not m:
        return False
    word = m.group(1).rstrip(".")
    if len(word) == 1 and word.isalpha() and word.isupper():
        return True  # an initial: "J. R. R. Tolkien"
    return word.lower() in ABBREVIATIONS


# After a closing quote or bracket, these continue the sentence that quoted something:
# 「元気？」と聞いた。 / 「はい。」って言った。 / 「本当！」など. (A new sentence does not
# start with a quoting particle.)
_JAPANESE_QUOTE_CONTINUES = ("と", "って", "っ", "など", "なんて", "、", "，")
_CLOSERS = "」』）)]”’\"'"


def _quote_continues(match: re.Match[str], text: str) -> bool:
    """True if the sentence end ``match`` only closes a quotation inside a sentence:
    ``「元気？」と聞いた。`` or ``"Hello!" she said.``"""
    ender = match.group("latin") or match.group("cjk") or ""
    if not ender or ender[-1] not in _CLOSERS:
        return False
    after = text[match.end() :]
    if match.group("cjk"):
        return after.lstrip(" \u3000").startswith(_JAPANESE_QUOTE_CONTINUES)
    # English: a quotation ended by ! or ? and followed by a lower-case word ("she said").
    word = after.lstrip()
    return ender.rstrip(_CLOSERS)[-1:] in "!?" and word[:1].islower()


def split_sentences(text: str) -> Iterator[str]:
    """Yield the sentences of ``text`` (stripped, non-empty) one at a time."""
    start = 0
    for m in _SENTENCE_END.finditer(text):
        end = m.end()
        if m.group("latin") == "." and _is_abbreviation(text[start : m.start()]):
            continue
        if _quote_continues(m, text):
            continue
        sentence = " ".join(text[start:end].split())
        start = end
        if sentence:
            yield from _cut_long(sentence)
    rest = " ".join(text[start:].split())
    if rest:
        yield from _cut_long(rest)


def _cut_long(sentence: str, limit: int = MAX_SENTENCE_CHARS) -> Iterator[str]:
    """Cut a sentence longer than ``limit`` at the last comma, else space, before it."""
    while len(sentence) > limit:
        window = sentence[:limit]
        cut = max(window.rfind(c) for c in ",;:、，")
        if cut < limit // 3:
            cut = window.rfind(" ")
        if cut < limit // 3:
            cut = limit - 1  # no break at all (a long run of kana): cut anywhere
        yield sentence[: cut + 1].strip()
        sentence = sentence[cut + 1 :].strip()
    if sentence:
        yield sentence


# -- a quick first chunk ----------------------------------------------------------------

# A cut before one of these falls between phrases ("The library opens | at nine").
_PHRASE_STARTS = frozenset(
    """at in on to of for from with by about after before during until into over under
    and but or so because while when where which who that if than as""".split()  # noqa: SIM905
)
_CLAUSE_MARKS = ",;:、，"
# Japanese: a particle right after a kanji or katakana word ends a phrase (今日は|いい天気).
_JAPANESE_PARTICLES = "はがもをにでへと"
# ...or after two (では, にも), but not inside them (公園では|春に, not 公園で|は).
_PARTICLE_ENDINGS = "はもの"
FIRST_CHUNK_WORDS = (3, 6)
"""An English first chunk has 3 to 6 words: about a second of speech, which the
voices make in a fraction of the time a whole sentence takes."""
FIRST_CHUNK_CHARS = (2, 10)
"""The same for Japanese, in characters (no spaces to count words by)."""


def split_first_clause(sentence: str) -> tuple[str, str] | None:
    """Cut a sentence into a short head and the rest, so that the head's audio is ready
    (and playing) soon while the rest is made; None if the sentence is short already.

    The cut is at a clause mark (a comma or 、) if there is one early, else before a word
    that starts a phrase ("at", "and", "which"...), else after a particle (or two, では)
    that follows a kanji or katakana word, else after four words. Only the first sentence
    of a request is cut: later ones are made while earlier ones play, and a whole sentence
    keeps its prosody.
    """
    words = sentence.split()
    lo, hi = FIRST_CHUNK_WORDS
    if len(words) >= 2 * lo + 1:  # a language written with spaces
        for n in range(lo, hi + 1):  # after a comma ending the n-th word
            if words[n - 1][-1] in _CLAUSE_MARKS:
                return _cut_at_word(words, n)
        for n in range(lo, hi + 1):  # before a word that starts a phrase
            if words[n].lower() in _PHRASE_STARTS:
                return _cut_at_word(words, n)
        return _cut_at_word(words, 4)
    lo, hi = FIRST_CHUNK_CHARS
    text = sentence.strip()
    if len(words) > 1 or len(text) < lo + 6:
        return None
    for i in range(lo - 1, min(hi, len(text) - 5)):
        if text[i] in _CLAUSE_MARKS:
            return text[: i + 1], text[i + 1 :].lstrip()
    for i in range(lo - 1, min(hi, len(text) - 5)):
        if text[i] in _JAPANESE_PARTICLES and text[i + 1] not in _PARTICLE_ENDINGS:
            word_end = i - 2 if text[i - 1] in _JAPANESE_PARTICLES else i - 1  # では
            if word_end >= 0 and script_of(text[word_end]) in ("Han", "Katakana"):
                return text[: i + 1], text[i + 1 :]
    return None


def _cut_at_word(words: list[str], n: int) -> tuple[str, str]:
    return " ".join(words[:n]), " ".join(words[n:])


# -- scripts --------------------------------------------------------------------------


def script_of(char: str) -> str | None:
    """The writing system of a letter (``Latin``, ``Han``, ``Hiragana``...); None for
    digits, punctuation, symbols and spaces."""
    if not char.isalpha():
        return None
    try:
        name = unicodedata.name(char)
    except ValueError:
        return "Unknown"
    first = name.split(" ", 1)[0]
    if first == "CJK" or "IDEOGRAPH" in name:
        return "Han"
    if first in ("HALFWIDTH", "FULLWIDTH"):
        first = name.split(" ")[1]
    return first.capitalize()


def is_speakable(text: str) -> bool:
    """True if the text has a letter or digit (not only punctuation or symbols)."""
    return any(c.isalnum() for c in text)


@dataclass
class ScriptFilter:
    """Removes letters of scripts a voice cannot read, counting what it removed.

    ``scripts`` empty means "any script" (a voice whose language we do not know).
    """

    scripts: frozenset[str]
    skipped: Counter[str] = field(default_factory=Counter)

    def __call__(self, text: str) -> str:
        if not self.scripts:
            return text
        out: list[str] = []
        for ch in text:
            script = script_of(ch)
            if script is None or script in self.scripts:
                out.append(ch)
            else:
                self.skipped[script] += 1
                # Keep word boundaries so that the words around it do not merge.
                if out and out[-1] != " ":
                    out.append(" ")
        return "".join(out)

    def notice(self, voice_name: str) -> str | None:
        if not self.skipped:
            return None
        parts = ", ".join(f"{n} {script}" for script, n in self.skipped.most_common())
        total = sum(self.skipped.values())
        which = "speech.skipped_letter" if total == 1 else "speech.skipped_letters"
        return message(which, voice=voice_name, parts=parts)


LANGUAGE_SCRIPTS: dict[str, frozenset[str]] = {
    "ja": frozenset({"Han", "Hiragana", "Katakana"}),
    "zh": frozenset({"Han"}),
    "ko": frozenset({"Hangul"}),
    "ru": frozenset({"Cyrillic"}),
    "uk": frozenset({"Cyrillic"}),
    "bg": frozenset({"Cyrillic"}),
    "sr": frozenset({"Cyrillic", "Latin"}),
    "kk": frozenset({"Cyrillic"}),
    "mk": frozenset({"Cyrillic"}),
    "el": frozenset({"Greek"}),
    "ar": frozenset({"Arabic"}),
    "fa": frozenset({"Arabic"}),
    "he": frozenset({"Hebrew"}),
    "ka": frozenset({"Georgian"}),
    "hi": frozenset({"Devanagari"}),
    "ne": frozenset({"Devanagari"}),
    "th": frozenset({"Thai"}),
}
"""Scripts a voice of each language family reads. Families not listed read Latin."""


def scripts_for_language(family: str) -> frozenset[str]:
    return LANGUAGE_SCRIPTS.get(family.lower(), frozenset({"Latin"}))
