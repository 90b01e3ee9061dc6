"""One text tag, the studio's JSON recipe, put into and read out of each audio format.

libsndfile writes only its fixed tag names (title, comment...), so the recipe is added
after the file is written whole, to the temporary file before its rename
(:class:`engines.audio.AudioWriter`), under one name per format:

- FLAC: a Vorbis comment ``SOZO_RECIPE=...`` in the VORBIS_COMMENT metadata block
  (FLAC format, "METADATA_BLOCK_VORBIS_COMMENT"); the block is rewritten and the audio
  frames after it copied as they are.
- OGG Vorbis and Opus: the same Vorbis comment in the comment header packet (Vorbis I
  specification section 5; RFC 7845 section 5.2 for OpusTags). The header packets are
  paginated again and every later page renumbered, with its CRC computed again (RFC 3533).
- WAV: an ``iXML`` chunk whose ``<USER>`` field holds ``sozo-recipe:`` and the JSON
  (iXML specification 2.10; its USER field is free text for applications), beside the
  ``id3 `` chunk's ``TXXX:sozo_recipe`` frame.
- MP3: an ID3v2.3 ``TXXX`` frame described ``sozo_recipe`` (ID3v2.3 section 4.2.2).
- MIDI: a text meta event (FF 01) ``sozo-recipe:`` and the JSON, in the first track
  (:func:`engines.music.data.write_midi`).

The JSON is written with ASCII escapes, so it survives readers that take text as latin-1.
"""

from __future__ import annotations

import os
import shutil
import zlib
from collections.abc import Iterator
from pathlib import Path
from xml.sax.saxutils import escape

VORBIS_KEY = "SOZO_RECIPE"
ID3_DESCRIPTION = "sozo_recipe"
TEXT_PREFIX = "sozo-recipe:"  # MIDI text events and the iXML USER field
COPY_BLOCK = 1 << 20


# -- FLAC ----------------------------------------------------------------------------------


def _flac_blocks(f: object) -> list[tuple[int, bytes]]:
    """The metadata blocks (type, data) after ``fLaC``; the file is left at the audio."""
    blocks: list[tuple[int, bytes]] = []
    while True:
        head = f.read(4)  # type: ignore[attr-defined]
        if len(head) < 4:
            raise ValueError("the FLAC metadata ends early")
        kind, size = head[0] & 0x7F, int.from_bytes(head[1:4], "big")
        blocks.append((kind, f.read(size)))  # type: ignore[attr-defined]
        if head[0] & 0x80:
            return blocks


def _vorbis_comments(data: bytes) -> tuple[bytes, list[bytes]]:
    """The vendor string and the ``KEY=value`` comments of a Vorbis comment body."""
    n = int.from_bytes(data[:4], "little")
    vendor, pos = data[4 : 4 + n], 4 + n
    count = int.from_bytes(data[pos : pos + 4], "little")
    pos += 4
    comments = []
    for _ in range(count):
        size = int.from_bytes(data[pos : pos + 4], "little")
        comments.append(data[pos + 4 : pos + 4 + size])
        pos += 4 + size
    return vendor, comments


def _vorbis_body(vendor: bytes, comments: list[bytes]) -> bytes:
    out = len(vendor).to_bytes(4, "little") + vendor + len(comments).to_bytes(4, "little")
    return out + b"".join(len(c).to_bytes(4, "little") + c for c in comments)


def _with_comment(data: bytes, key: str, value: str) -> bytes:
    vendor, comments = _vorbis_comments(data) if data else (b"Sozo Studio", [])
    prefix = key.upper().encode() + b"="
    kept = [c for c in comments if not c.upper().startswith(prefix)]
    return _vorbis_body(vendor, [*kept, prefix + value.encode("utf-8")])


def _find_comment(data: bytes, key: str) -> str | None:
    prefix = key.upper().encode() + b"="
    for c in _vorbis_comments(data)[1]:
        if c.upper().startswith(prefix):
            return c[len(prefix) :].decode("utf-8", "replace")
    return None


def add_flac_comment(path: Path, key: str, value: str) -> None:
    """Set the Vorbis comment ``key`` of a FLAC file (other comments kept)."""
    scratch = path.with_name(path.name + ".tagging")
    try:
        with path.open("rb") as src:
            if src.read(4) != b"fLaC":
                raise ValueError(f"{path.name} is not a FLAC file")
            blocks = _flac_blocks(src)
            found = [i for i, (kind, _) in enumerate(blocks) if kind == 4]
            if found:
                blocks[found[0]] = (4, _with_comment(blocks[found[0]][1], key, value))
            else:
                blocks.insert(1, (4, _with_comment(b"", key, value)))  # after STREAMINFO
            with scratch.open("wb") as dst:
                dst.write(b"fLaC")
                for i, (kind, data) in enumerate(blocks):
                    last = 0x80 if i == len(blocks) - 1 else 0
                    dst.write(bytes([last | kind]) + len(data).to_bytes(3, "big") + data)
                shutil.copyfileobj(src, dst, COPY_BLOCK)
        os.replace(scratch, path)
    finally:
        scratch.unlink(missing_ok=True)


def read_flac_comment(path: Path, key: str) -> str | None:
    with path.open("rb") as f:
        if f.read(4) != b"fLaC":
            return None
        for kind, data in _flac_blocks(f):
            if kind == 4:
                return _find_comment(data, key)
    return None


# -- Ogg -------------------------------------------------------------------------------------

_REVERSED = bytes(int(f"{b:08b}"[::-1], 2) for b in range(256))


def ogg_crc(data: bytes) -> int:
    """Ogg's CRC-32 (polynomial 0x04C11DB7, not reflected, initial value and final xor 0;
    RFC 3533 section 6), computed with zlib's reflected CRC-32 on bit-reversed bytes."""
    raw = zlib.crc32(data.translate(_REVERSED), 0xFFFFFFFF) ^ 0xFFFFFFFF  # init 0, no xor
    return int(f"{raw:032b}"[::-1], 2)


def _ogg_pages(f: object) -> Iterator[tuple[bytearray, list[int], bytes]]:
    """(27-byte header, lacing values, body) of each page from the file position on."""
    while True:
        head = f.read(27)  # type: ignore[attr-defined]
        if not head:
            return
        if len(head) < 27 or head[:4] != b"OggS":
            raise ValueError("not an Ogg page")
        lacing = list(f.read(head[26]))  # type: ignore[attr-defined]
        yield bytearray(head), lacing, f.read(sum(lacing))  # type: ignore[attr-defined]


def _page(head: bytearray, lacing: list[int], body: bytes) -> bytes:
    head[22:26] = b"\0\0\0\0"
    head[26] = len(lacing)
    page = bytes(head) + bytes(lacing) + body
    return page[:22] + ogg_crc(page).to_bytes(4, "little") + page[26:]


def _packets(pages: list[tuple[bytearray, list[int], bytes]]) -> list[bytes]:
    packets, current = [], b""
    for _, lacing, body in pages:
        pos = 0
        for n in lacing:
            current += body[pos : pos + n]
            pos += n
            if n < 255:
                packets.append(current)
                current = b""
    return packets


def _comment_packet_tags(packet: bytes) -> tuple[bytes, bytes, bytes]:
    """(prefix, Vorbis comment body, suffix) of a Vorbis or Opus comment header."""
    if packet.startswith(b"\x03vorbis"):
        return packet[:7], packet[7:-1], packet[-1:]  # the framing bit
    if packet.startswith(b"OpusTags"):
        return packet[:8], packet[8:], b""
    raise ValueError("not a Vorbis or Opus comment header")


def add_ogg_comment(path: Path, key: str, value: str) -> None:
    """Set the comment ``key`` of an Ogg Vorbis or Opus file with one logical stream."""
    scratch = path.with_name(path.name + ".tagging")
    try:
        with path.open("rb") as src:
            pages = _ogg_pages(src)
            first = next(pages)
            headers_wanted = 3 if first[2].startswith(b"\x01vorbis") else 2
            header_pages: list[tuple[bytearray, list[int], bytes]] = []
            while len(_packets([first, *header_pages])) < headers_wanted:
                header_pages.append(next(pages))
            packets = _packets([first, *header_pages])
            if len(packets) != headers_wanted or header_pages[-1][1][-1] == 255:
                raise ValueError("audio shares a page with the Ogg headers")
            prefix, body, suffix = _comment_packet_tags(packets[1])
            packets[1] = prefix + _with_comment(body, key, value) + suffix
            template = header_pages[0][0]
            with scratch.open("wb") as dst:
                dst.write(_page(*first))
                seq = 1
                lacing: list[int] = []
                data = b""
                continued = False
                for packet in packets[1:]:
                    values = [255] * (len(packet) // 255) + [len(packet) % 255]
                    offsets = 0
                    for v in values:
                        lacing.append(v)
                        data += packet[offsets : offsets + v]
                        offsets += v
                        if len(lacing) == 255:
                            dst.write(_header_page(template, seq, continued, lacing, data))
                            seq += 1
                            continued = v == 255
                            lacing, data = [], b""
                if lacing:
                    dst.write(_header_page(template, seq, continued, lacing, data))
                    seq += 1
                for head, lace, page_body in pages:
                    head[18:22] = seq.to_bytes(4, "little")
                    seq += 1
                    dst.write(_page(head, lace, page_body))
        os.replace(scratch, path)
    finally:
        scratch.unlink(missing_ok=True)


def _header_page(
    template: bytearray, seq: int, continued: bool, lacing: list[int], data: bytes
) -> bytes:
    head = bytearray(template)
    head[5] = 0x01 if continued else 0x00
    head[6:14] = bytes(8)  # header pages have granule position 0
    head[18:22] = seq.to_bytes(4, "little")
    return _page(head, lacing, data)


def read_ogg_comment(path: Path, key: str) -> str | None:
    with path.open("rb") as f:
        if f.read(4) != b"OggS":
            return None
        f.seek(0)
        read: list[tuple[bytearray, list[int], bytes]] = []
        for page in _ogg_pages(f):
            read.append(page)
            packets = _packets(read)
            if len(packets) >= 2:
                try:
                    return _find_comment(_comment_packet_tags(packets[1])[1], key)
                except ValueError:
                    return None
            if len(read) > 64:  # a comment header is never that long
                return None
    return None


# -- ID3v2 (MP3, and WAV's id3 chunk) -------------------------------------------------------


def txxx_frame(description: str, value: str) -> bytes:
    """An ID3v2.3 TXXX frame, UTF-16 (encoding 1) description and value."""
    data = b"\x01" + description.encode("utf-16") + b"\0\0" + value.encode("utf-16")
    return b"TXXX" + len(data).to_bytes(4, "big") + b"\0\0" + data


def _decode_id3_text(encoding: int, raw: bytes) -> str:
    codec = {0: "latin-1", 1: "utf-16", 2: "utf-16-be", 3: "utf-8"}.get(encoding, "latin-1")
    return raw.decode(codec, "replace").rstrip("\0")


def find_txxx(tag: bytes, description: str) -> str | None:
    """The value of ``TXXX:description`` in a whole ID3v2.3 or 2.4 tag (header first)."""
    if tag[:3] != b"ID3" or len(tag) < 10:
        return None
    version = tag[3]
    size = (tag[6] << 21) | (tag[7] << 14) | (tag[8] << 7) | tag[9]
    pos, end = 10, min(len(tag), 10 + size)
    while pos + 10 <= end:
        frame_id, raw_size = tag[pos : pos + 4], tag[pos + 4 : pos + 8]
        if frame_id == b"\0\0\0\0":
            break
        if version == 4:
            n = (raw_size[0] << 21) | (raw_size[1] << 14) | (raw_size[2] << 7) | raw_size[3]
        else:
            n = int.from_bytes(raw_size, "big")
        data = tag[pos + 10 : pos + 10 + n]
        pos += 10 + n
        if frame_id != b"TXXX" or not data:
            continue
        encoding, rest = data[0], data[1:]
        sep = b"\0\0" if encoding in (1, 2) else b"\0"
        cut = next(
            (
                i
                for i in range(0, len(rest) - len(sep) + 1, len(sep))
                if rest[i : i + len(sep)] == sep
            ),
            -1,
        )
        if cut < 0:
            continue
        if _decode_id3_text(encoding, rest[:cut]) == description:
            return _decode_id3_text(encoding, rest[cut + len(sep) :])
    return None


def read_mp3_txxx(path: Path, description: str) -> str | None:
    with path.open("rb") as f:
        head = f.read(10)
        if head[:3] != b"ID3":
            return None
        size = (head[6] << 21) | (head[7] << 14) | (head[8] << 7) | head[9]
        return find_txxx(head + f.read(size), description)


# -- WAV ----------------------------------------------------------------------------------


def ixml_chunk(value: str) -> bytes:
    """An iXML document whose USER field holds ``sozo-recipe:`` and ``value``."""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<BWFXML><IXML_VERSION>2.10</IXML_VERSION>'
        f"<USER>{escape(TEXT_PREFIX + value)}</USER></BWFXML>"
    ).encode()


def riff_chunks(path: Path) -> Iterator[tuple[bytes, int, int]]:
    """(id, offset of the data, size) of each top-level chunk of a RIFF WAVE file."""
    with path.open("rb") as f:
        head = f.read(12)
        if head[:4] != b"RIFF" or head[8:12] != b"WAVE":
            return
        while True:
            chunk = f.read(8)
            if len(chunk) < 8:
                return
            size = int.from_bytes(chunk[4:], "little")
            yield chunk[:4], f.tell(), size
            f.seek(size + (size & 1), os.SEEK_CUR)


def read_wav_recipe(path: Path) -> str | None:
    """The recipe in a WAV file's iXML USER field, else in its id3 chunk's TXXX."""
    import xml.etree.ElementTree as ET

    found: dict[bytes, tuple[int, int]] = {}
    for chunk_id, offset, size in riff_chunks(path):
        found.setdefault(chunk_id, (offset, size))
    with path.open("rb") as f:
        if b"iXML" in found:
            offset, size = found[b"iXML"]
            f.seek(offset)
            try:
                user = ET.fromstring(f.read(size).rstrip(b"\0")).findtext("USER") or ""
            except ET.ParseError:
                user = ""
            if user.startswith(TEXT_PREFIX):
                return user[len(TEXT_PREFIX) :]
        if b"id3 " in found:
            offset, size = found[b"id3 "]
            f.seek(offset)
            return find_txxx(f.read(size), ID3_DESCRIPTION)
    return None
