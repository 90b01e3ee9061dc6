"""Saving a generation's pictures with their recipes, on the job's worker thread.

PNG encoding of a batch (zlib, with the recipe in text chunks) took 60 ms and more on
the GUI thread (issue #21): the pictures are now written by the job that made them, and
the panel only shows the files. A picture that could not be written is kept in memory
(with the error), so the panel can offer to save it elsewhere.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from engines.errors import BadInput
from engines.imagefile import Recipe, save_result


@dataclass
class SavedPictures:
    """What :func:`save_pictures` wrote, and what it could not."""

    saved: list[tuple[Path, Recipe]] = field(default_factory=list)
    # The pictures from the first that failed on, each with its recipe, kept in memory.
    unsaved: list[tuple[Any, Recipe]] = field(default_factory=list)
    error: BaseException | None = None  # why the first of ``unsaved`` was not written


def save_pictures(
    pictures: list[Any],
    base: Recipe,
    first_seed: int,
    folder: str | os.PathLike[str],
    *,
    watermark: bool = False,
    sign: bool = False,
    edited_from: Path | None = None,
) -> SavedPictures:
    """Save each picture in ``folder`` with ``base``'s recipe and its own seed.

    Each picture gets its own seed (``first_seed + i``), so its recipe remakes it alone
    (batch 1). On the first failure the rest are kept, unsaved, with the error.
    ``watermark`` and ``sign``: the invisible mark and the content credentials
    (:func:`engines.imagefile.save_result`); ``edited_from``: the picture an edit was
    made from, named in the credentials as its source.
    """
    outcome = SavedPictures()
    for i, picture in enumerate(pictures):
        recipe = replace(base, seed=first_seed + i)
        try:
            path = save_result(
                picture, folder, recipe, watermark=watermark, sign=sign, edited_from=edited_from
            )
            outcome.saved.append((path, recipe))
        except (OSError, BadInput) as exc:
            outcome.unsaved = [
                (p, replace(base, seed=first_seed + j)) for j, p in enumerate(pictures)
            ][i:]
            outcome.error = exc
            break
    return outcome
