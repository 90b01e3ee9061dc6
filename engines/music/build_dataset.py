"""Extract the melody corpus from music21's bundled, public-domain collections.

    pip install music21
    python engines/music/build_dataset.py [-o assets/data/music/folk_melodies.npz]

Collections taken (about 4,300 tunes): O'Neill's Music of Ireland (1850), Ryan's Mammoth
Collection, Aird's Airs, miscFolk, and the soprano lines of the Bach chorales. The
music21 code is BSD; these tunes are public domain in contributed transcriptions.
``essenFolksong`` is deliberately left out: it was given for non-commercial use only.

Parsing costs 26-64 ms a tune, so this runs once (a few minutes) and the token arrays
are kept in the .npz, which training, evaluation and the tests read.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from engines.music.data import (
    COLLECTIONS,
    METERS,
    MODES,
    PITCH_HIGH,
    PITCH_LOW,
    STEPS_PER_QUARTER,
    Corpus,
    Note,
    default_corpus_path,
    notes_to_tokens,
    split_held_out,
)

FOLK = ("oneills1850", "ryansMammoth", "airdsAirs", "miscFolk")
MODE_ALIASES = {"ionian": "major", "aeolian": "minor"}


def _key(part) -> tuple[int, int]:
    from music21 import key

    found = list(part.recurse().getElementsByClass(key.KeySignature))
    if not found:
        return -1, -1
    k = found[0]
    if isinstance(k, key.Key):
        mode = MODE_ALIASES.get(k.mode, k.mode)
        return k.tonic.pitchClass, MODES.index(mode) if mode in MODES else -1
    # A bare key signature: major, or its relative minor when the tune ends on that tonic.
    notes = list(part.recurse().notes)
    last = notes[-1].pitches[-1].pitchClass if notes else -1
    minor = k.asKey("minor")
    if minor.tonic.pitchClass == last:
        return minor.tonic.pitchClass, MODES.index("minor")
    return k.asKey("major").tonic.pitchClass, MODES.index("major")


def tune_tokens(part) -> tuple[np.ndarray, np.ndarray, int, int, int] | None:
    """(tokens, bar starts, tonic, mode, meter) of a one-line part, or None if unusable."""
    from music21 import meter as m21meter
    from music21 import stream

    sigs = list(part.recurse().getElementsByClass(m21meter.TimeSignature))
    meter_name = sigs[0].ratioString if sigs else "4/4"
    meter = METERS.index(meter_name) if meter_name in METERS else METERS.index("other")
    bar_ql = sigs[0].barDuration.quarterLength if sigs else 4.0
    measures = list(part.getElementsByClass(stream.Measure))
    bars = [
        round(float(m.offset) * STEPS_PER_QUARTER)
        for m in measures
        if abs(float(m.duration.quarterLength) - bar_ql) < 1e-6
    ]
    notes: list[Note] = []
    # Tied notes are merged here: music21's stripTies deep-copies the whole part, which
    # made extraction ten times slower.
    for n in part.flatten().notes:
        if n.duration.isGrace or n.duration.quarterLength == 0:
            continue
        pitch = max(p.midi for p in n.pitches)  # chords: the top note
        start = round(float(n.offset) * STEPS_PER_QUARTER)
        length = max(1, round(float(n.duration.quarterLength) * STEPS_PER_QUARTER))
        tied = n.tie is not None and n.tie.type in ("stop", "continue")
        if tied and notes and notes[-1].pitch == pitch:
            last = notes[-1]
            notes[-1] = Note(pitch, last.start, start + length - last.start)
            continue
        notes.append(Note(pitch, start, length))
    if len(notes) < 8:
        return None
    if min(n.pitch for n in notes) < PITCH_LOW or max(n.pitch for n in notes) >= PITCH_HIGH:
        return None
    steps = max(n.start + n.length for n in notes)
    tonic, mode = _key(part)
    return notes_to_tokens(notes, steps), np.array(bars, dtype=np.int64), tonic, mode, meter


def iter_parts(collection: str):
    """(title, part) for every tune of a collection."""
    from music21 import corpus, stream

    paths = [p for p in corpus.getPaths() if f"/corpus/{collection}/" in str(p)]
    for path in sorted(paths, key=str):
        try:
            parsed = corpus.parse(path)
        except Exception as exc:  # a few contributed files do not parse: skip them
            print(f"  skipped {path}: {exc}", flush=True)
            continue
        scores = parsed.scores if isinstance(parsed, stream.Opus) else [parsed]
        for score in scores:
            title = (score.metadata.title if score.metadata else None) or Path(path).stem
            parts = list(score.parts)
            if collection == "bach":
                if len(parts) < 4:
                    continue  # not a four-part chorale
                soprano = [p for p in parts if "soprano" in (p.partName or "").lower()]
                yield title, (soprano or parts)[0]
            elif parts:
                yield title, parts[0]
            else:
                yield title, score


def extract(collection: str, cache: Path | None) -> list[tuple]:
    """(title, tokens, bars, tonic, mode, meter) of a collection's usable tunes.

    With ``cache``, a finished collection is kept there, so that collections can be
    extracted by separate processes (``--only``) and a rerun skips them.
    """
    import pickle

    done = cache / f"{collection}.pkl" if cache else None
    if done is not None and done.exists():
        return pickle.loads(done.read_bytes())
    rows = []
    for title, part in iter_parts(collection):
        try:
            got = tune_tokens(part)
        except Exception as exc:  # odd transcriptions: skip the tune, say which
            print(f"  skipped {title!r}: {exc}", flush=True)
            continue
        if got is not None:
            rows.append((str(title)[:80], *got))
    if done is not None:
        done.parent.mkdir(parents=True, exist_ok=True)
        done.write_bytes(pickle.dumps(rows))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-o", "--output", type=Path, default=default_corpus_path())
    parser.add_argument("--cache", type=Path, default=None, help="keep each collection here")
    parser.add_argument(
        "--only", nargs="*", default=None, help="extract only these collections into --cache"
    )
    args = parser.parse_args()
    t0 = time.time()
    if args.only:
        for collection in args.only:
            rows = extract(collection, args.cache)
            print(f"{collection}: {len(rows)} tunes ({time.time() - t0:.0f} s)", flush=True)
        return 0
    tokens, bars, tonics, modes, meters, colls, titles = [], [], [], [], [], [], []
    for collection in (*FOLK, "bach"):
        rows = extract(collection, args.cache)
        for title, tok, bar, tonic, mode, meter in rows:
            titles.append(title)
            tokens.append(tok)
            bars.append(bar)
            tonics.append(tonic)
            modes.append(mode)
            meters.append(meter)
            colls.append(COLLECTIONS.index(collection))
        print(f"{collection}: {len(rows)} tunes ({time.time() - t0:.0f} s)", flush=True)
    corpus = Corpus(
        tokens=tokens,
        bar_starts=bars,
        key_tonic=np.array(tonics),
        key_mode=np.array(modes),
        meter=np.array(meters),
        collection=np.array(colls),
        held_out=split_held_out(len(tokens)),
        titles=titles,
    )
    corpus.save(args.output)
    print(f"{len(tokens)} tunes, {sum(len(t) for t in tokens)} steps -> {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
