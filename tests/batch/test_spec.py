"""Batch files: what each kind expands into, and one clear line for each mistake."""

from __future__ import annotations

from pathlib import Path

import pytest

from engines.batch.spec import MAX_ITEMS, load_batch, parse_batch, split_chapters
from engines.errors import BadInput


def _write(tmp_path: Path, text: str, name: str = "b.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_prompt_grid_is_every_prompt_guidance_and_seed(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        'kind = "image-grid"\nprompts = ["red heart", "a cat!"]\n'
        "seeds = {from = 5, count = 3}\nguidance = [2, 3.5]\nsteps = 2\n",
    )
    batch = load_batch(path)
    assert batch.output == tmp_path / "b" and batch.kind == "image-grid"
    assert len(batch.items) == 2 * 2 * 3
    names = [item.name for item in batch.items]
    assert len(set(names)) == len(names)
    assert names[0] == "0000-p1-red-heart-g2-s5.png"
    assert names[-1] == "0011-p2-a-cat-g3.5-s7.png"
    assert {item.params["seed"] for item in batch.items} == {5, 6, 7}
    assert all(item.params["steps"] == 2 for item in batch.items)
    # The same file, the same batch; a changed setting, another fingerprint.
    assert load_batch(path).fingerprint() == batch.fingerprint()
    changed = _write(tmp_path, path.read_text().replace("steps = 2", "steps = 3"))
    assert load_batch(changed).fingerprint() != batch.fingerprint()


def test_walk_melodies_and_chapters(tmp_path: Path) -> None:
    walk = parse_batch(
        {"kind": "image-walk", "from_seed": 1, "to_seed": 9, "frames": 5}, base=tmp_path
    )
    assert [i.params["t"] for i in walk.items] == [0.0, 0.25, 0.5, 0.75, 1.0]
    tunes = parse_batch(
        {"kind": "melodies", "seeds": [3, 1], "format": "flac", "output": "/x/tunes"},
        base=tmp_path,
    )
    assert [i.name for i in tunes.items] == ["melody-0000-s3.flac", "melody-0001-s1.flac"]
    assert tunes.output == Path("/x/tunes")
    (tmp_path / "book.txt").write_text(
        "Preface line.\n\n# One\nFirst chapter.\n\n# Two: the end\nSecond.\n", encoding="utf-8"
    )
    book = parse_batch({"kind": "read-aloud", "text_file": "book.txt"}, base=tmp_path)
    assert [i.name for i in book.items] == [
        "chapter-001-preface-line.flac",
        "chapter-002-one.flac",
        "chapter-003-two-the-end.flac",
    ]
    assert book.items[1].params["text"] == "One\nFirst chapter."


def test_chapters_by_pattern_and_a_text_without_headings() -> None:
    text = "CHAPTER I\nIt was.\nCHAPTER II\nIt is.\n"
    assert split_chapters(text, r"^CHAPTER [IVX]+$") == [
        ("CHAPTER I", "CHAPTER I\nIt was."),
        ("CHAPTER II", "CHAPTER II\nIt is."),
    ]
    assert split_chapters("Just one\nparagraph.") == [("", "Just one\nparagraph.")]
    assert split_chapters("\n\n") == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('kind = "video"', "kind must be one of"),
        ('kind = "image-grid"\nseeds = [1]', "needs prompts"),
        ('kind = "image-grid"\nprompts = ["x"]', "needs seeds"),
        ('kind = "image-grid"\nprompts = ["x"]\nseeds = [-1]', "between 0 and"),
        ('kind = "image-grid"\nprompts = ["x"]\nseeds = [2, 2]', "lists a seed twice"),
        ('kind = "image-grid"\nprompts = ["x"]\nseeds = ["one"]', "whole number"),
        ('kind = "image-grid"\nprompts = ["x"]\nseeds = [1]\nsteps = 0', "steps must be"),
        ('kind = "image-grid"\nprompts = ["x"]\nseeds = [1]\nguidance = nan', "guidance must"),
        ('kind = "image-grid"\nprompts = ["x"]\nseeds = [1]\nstep = 2', "Unknown key"),
        ('kind = "image-grid"\nprompts = [1]\nseeds = [1]', "list of texts"),
        ('kind = "image-grid"\nprompts = []\nseeds = [1]', "makes nothing"),
        (
            f'kind = "image-grid"\nprompts = ["a", "b"]\nseeds = {{from = 0, count = {MAX_ITEMS}}}',
            "the most one batch makes",
        ),
        ('kind = "image-walk"\nto_seed = 1', "needs from_seed and to_seed"),
        ('kind = "image-walk"\nfrom_seed = 1\nto_seed = 2\nframes = 1', "frames must be"),
        ('kind = "melodies"\nseeds = [1]\nformat = "ogg"', "format must be mid"),
        ('kind = "melodies"\nseeds = [1]\nbars = 1000', "bars must be"),
        ('kind = "read-aloud"', "needs text_file"),
        ('kind = "read-aloud"\ntext_file = "missing.txt"', "does not exist"),
        ('kind = "melodies"\nseeds = [1]\nthreads = 0', "threads must be"),
        ("kind = ", "not valid TOML"),
    ],
)
def test_mistakes_are_one_line(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(BadInput, match=message) as caught:
        load_batch(_write(tmp_path, text))
    assert "\n" not in str(caught.value)


def test_unreadable_batch_files(tmp_path: Path) -> None:
    with pytest.raises(BadInput, match="does not exist"):
        load_batch(tmp_path / "none.toml")
    with pytest.raises(BadInput, match="is a folder"):
        load_batch(tmp_path)
    latin = tmp_path / "latin.toml"
    latin.write_bytes(b'kind = "caf\xe9"')
    with pytest.raises(BadInput, match="not UTF-8"):
        load_batch(latin)
    (tmp_path / "bad.txt").write_bytes(b"\xff\xfe")
    with pytest.raises(BadInput, match="not UTF-8"):
        load_batch(_write(tmp_path, 'kind = "read-aloud"\ntext_file = "bad.txt"'))
    (tmp_path / "book.txt").write_text("A book.", encoding="utf-8")
    with pytest.raises(BadInput, match="chapter_pattern"):
        load_batch(
            _write(tmp_path, 'kind = "read-aloud"\ntext_file = "book.txt"\nchapter_pattern = "("')
        )


@pytest.mark.parametrize(
    ("address", "message"),
    [
        ("127.0.0.1:1", "Cannot reach the Ray cluster at 127.0.0.1:1"),
        ("ray://127.0.0.1:1", "Cannot reach"),
        ("nonsense", "is not a Ray address"),
        ("host:notaport", "is not a Ray address"),
    ],
)
def test_a_ray_address_nobody_answers_at_is_one_line(address: str, message: str) -> None:
    from engines.batch.run import check_reachable

    with pytest.raises(BadInput, match=message):
        check_reachable(address, timeout=2)
