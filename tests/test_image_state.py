"""The Image panel's state driven directly, with no widget: the seed and its lock, the LoRA
list and the Edit tab's picture and mask, and the request built from them alone."""

from __future__ import annotations

from pathlib import Path

from PIL import Image

from engines.image.types import LoraWeight
from studio.panels.image_state import MAX_SEED, ImageState


def ready_state() -> ImageState:
    state = ImageState()
    state.model_id = "tiny-sd"
    state.takes_loras = True
    return state


def recorded(state: ImageState, *names: str) -> dict[str, list[object]]:
    seen: dict[str, list[object]] = {name: [] for name in names}
    for name in names:
        getattr(state, f"{name}_changed").connect(seen[name].append)
    return seen


def test_the_seed_rolls_unless_locked_and_reports_only_changes() -> None:
    state = ready_state()
    seen = recorded(state, "seed", "seed_locked")
    state.seed = 1234
    state.seed = 1234  # no change: no signal
    state.seed_locked = True
    assert [state.next_seed() for _ in range(3)] == [1234, 1234, 1234]
    assert state.request(state.next_seed()).seed == 1234
    assert seen == {"seed": [1234], "seed_locked": [True]}
    state.seed_locked = False
    drawn = [state.next_seed() for _ in range(5)]
    assert 1234 not in drawn and len(set(drawn)) > 1 and all(0 <= s <= MAX_SEED for s in drawn)
    assert seen["seed"][1:] == drawn  # each new seed is said once


def test_the_lora_list_goes_only_to_a_model_that_takes_it() -> None:
    state = ready_state()
    seen = recorded(state, "loras")
    loras = (LoraWeight(Path("style.safetensors"), 0.8), LoraWeight(Path("detail.safetensors")))
    state.loras = loras
    state.loras = tuple(loras)  # an equal list: no signal
    assert seen["loras"] == [loras]
    assert state.request(1).loras == loras
    state.takes_loras = False  # an emoji model: the list stays, the request has none
    assert state.request(1).loras == () and state.loras == loras


def test_the_edit_picture_and_mask_make_img2img_and_inpainting(tmp_path: Path) -> None:
    state = ready_state()
    seen = recorded(state, "edit_image", "edit_mask", "use_edit")
    assert state.edit_files(tmp_path) == (None, None) and not state.editing
    picture = Image.new("RGBA", (64, 64), (200, 30, 30, 255))
    state.edit_image = picture
    state.edit_image = picture.copy()  # the same pixels: no signal
    assert seen["edit_image"] == [picture]
    assert state.edit_files(tmp_path) == (None, None)  # not used until switched on
    state.use_edit = True
    init, mask = state.edit_files(tmp_path)
    assert mask is None and init is not None
    assert Image.open(init).tobytes() == picture.tobytes()
    request = state.request(3, init_image=init, mask=mask)
    assert request.init_image == init and request.strength == state.strength
    painted = Image.new("L", (64, 64), 0)
    painted.paste(255, (16, 16, 48, 48))
    state.edit_mask = painted
    init, mask = state.edit_files(tmp_path)
    assert mask is not None and Image.open(mask).tobytes() == painted.tobytes()
    assert state.request(3, init_image=init, mask=mask).mask == mask
    state.edit_image = None  # nothing to edit: text to image again
    assert not state.editing and state.edit_files(tmp_path) == (None, None)
    assert seen["use_edit"] == [True] and seen["edit_mask"] == [painted]
