"""Text to IPA phonemes with espeak-ng, as Piper voices were trained on.

The library and its data come from the ``espeakng-loader`` wheel, so no system package is
needed. We call ``espeak_TextToPhonemes`` through ctypes: it returns one clause per
call and moves a text pointer past it (plus one character it peeked at). Piper's own
bridge uses a patched call that also returns the clause's punctuation; the stock
library lacks it, so we read the punctuation from the text the pointer moved over.
Piper keeps ``, : ;`` between clauses as phonemes (the voices learned to pause there)
and ends a sentence with its ``. ? !``.

espeak-ng keeps global state (the current voice), so every call holds one lock.
"""

from __future__ import annotations

import ctypes
import re
import threading
import unicodedata

from engines.errors import ModelUnavailable

_AUDIO_OUTPUT_SYNCHRONOUS = 2
_ESPEAK_CHARS_UTF8 = 1
_ESPEAK_PHONEMES_IPA = 0x02

_lock = threading.Lock()
_lib: ctypes.CDLL | None = None
_voice: str | None = None

# The clause's punctuation: the last . , ; : ! ? before trailing quotes, spaces and the
# one character espeak peeked at.
_TERMINATOR = re.compile(r"([.,;:!?])[\"'”’)\]\s]*\S?$")
# espeak marks words it read in another language: "(en)wɜːld(fr)". Piper drops the flags.
_LANGUAGE_FLAG = re.compile(r"\([^)]*\)")


def _library() -> ctypes.CDLL:
    global _lib
    if _lib is not None:
        return _lib
    try:
        import espeakng_loader
    except ImportError:
        raise ModelUnavailable(
            "espeak-ng is not installed (it turns text into phonemes): pip install espeakng-loader"
        ) from None
    lib = ctypes.CDLL(espeakng_loader.get_library_path())
    lib.espeak_Initialize.restype = ctypes.c_int
    lib.espeak_Initialize.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
    lib.espeak_SetVoiceByName.restype = ctypes.c_int
    lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
    lib.espeak_TextToPhonemes.restype = ctypes.c_char_p
    lib.espeak_TextToPhonemes.argtypes = [
        ctypes.POINTER(ctypes.c_void_p),
        ctypes.c_int,
        ctypes.c_int,
    ]
    data = espeakng_loader.get_data_path().encode()
    if lib.espeak_Initialize(_AUDIO_OUTPUT_SYNCHRONOUS, 0, data, 0) < 0:
        raise ModelUnavailable(f"espeak-ng failed to start with its data in {data.decode()}")
    _lib = lib
    return lib


def _set_voice(lib: ctypes.CDLL, voice: str) -> None:
    global _voice
    if voice == _voice:
        return
    if lib.espeak_SetVoiceByName(voice.encode()) != 0:
        raise ModelUnavailable(f"espeak-ng has no voice (language) named {voice!r}")
    _voice = voice


def clauses(text: str, voice: str) -> list[tuple[str, str]]:
    """``(phonemes, punctuation)`` for each clause of ``text``; punctuation may be ""."""
    data = text.encode("utf-8")
    with _lock:
        lib = _library()
        _set_voice(lib, voice)
        buffer = ctypes.create_string_buffer(data)
        base = ctypes.addressof(buffer)
        pointer = ctypes.c_void_p(base)
        out: list[tuple[str, str]] = []
        pos = 0
        while pointer.value is not None:
            phonemes = lib.espeak_TextToPhonemes(
                ctypes.byref(pointer), _ESPEAK_CHARS_UTF8, _ESPEAK_PHONEMES_IPA
            )
            end = len(data) if pointer.value is None else pointer.value - base
            read = data[pos:end].decode("utf-8", errors="ignore")
            pos = end
            m = _TERMINATOR.search(read)
            out.append(
                ((phonemes or b"").decode("utf-8", errors="ignore"), m.group(1) if m else "")
            )
            if end >= len(data):
                break
    return out


def phonemize_sentence(text: str, voice: str) -> list[str]:
    """One sentence as Piper's phoneme list: NFD code points with clause punctuation.

    Mid-sentence ``. ! ?`` (after an abbreviation or initial, since the caller split the
    sentences) become a plain space so that "Dr. Smith" is read as one phrase.
    """
    parts = clauses(text, voice)
    phonemes = ""
    for i, (ipa, mark) in enumerate(parts):
        ipa = _LANGUAGE_FLAG.sub("", ipa).strip()
        if not ipa and not mark:
            continue
        last = i == len(parts) - 1
        if last:
            phonemes += ipa + mark
        elif mark in (",", ":", ";"):
            phonemes += ipa + mark + " "
        else:
            phonemes += ipa + " "
    return list(unicodedata.normalize("NFD", phonemes.strip()))
