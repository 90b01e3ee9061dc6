"""The Image panel's state driven directly, with no widget: the seed and its lock, the LoRA
list and the Edit tab's picture and mask, and the request built from them alone."""

from __future__ import annotations

from pathlib import Path

from PIL import Image
from PySide6.QtCore import QObject

from engines.image.types import LoraWeight
from studio.panels.image_state import MAX_SEED, ImageState


def ready_state() -> ImageState:
    state = ImageState()
    state.model_id = "tiny-sd"
    state.takes_loras = True
    return state


def recorded(state: QObject, *names: str) -> dict[str, list[object]]:
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


def test_the_explore_state_builds_the_walk_and_pad_requests_and_reports_only_changes() -> None:
    import numpy as np

    from engines.image.engine import DirectionRequest, PromptWalkRequest, WalkRequest
    from studio.panels.image_state import ExploreState, LatentWalk, PadCorners, PromptWalk

    state = ExploreState()
    seen = recorded(state, "walk", "position", "corners", "pad_point", "direction_amounts")
    assert state.walk_request(0.5, upscale=True) is None  # nothing to walk yet
    assert state.pad_request((1.0, 0, 0, 0), upscale=True) is None

    a, b = np.zeros((4, 8, 8)), np.ones((4, 8, 8))
    walk = LatentWalk(a, b)
    state.walk = walk
    state.walk = walk  # the same walk: no signal (and no element-wise comparison)
    request = state.walk_request(0.25, upscale=False)
    assert isinstance(request, WalkRequest)
    assert (request.a is a, request.b is b, request.t, request.upscale) == (True, True, 0.25, False)

    state.walk = PromptWalk(("a cat", 1), ("a dog", 2), steps=25, guidance=3.0)
    drafted = state.walk_request(0.5, upscale=True, draft_steps=6)
    assert isinstance(drafted, PromptWalkRequest) and drafted.steps == 6
    full = state.walk_request(0.5, upscale=True)
    assert isinstance(full, PromptWalkRequest) and full.steps == 25 and full.a == ("a cat", 1)

    state.position = 0.5
    state.position = 0.5
    state.corners = PadCorners((a, b, a, b))
    state.pad_point = (0.2, 0.8)
    state.set_amount(1, 1.5)
    state.set_amount(3, -0.5)
    state.set_amount(1, 0.0)  # back to zero: no push along it
    pad = state.pad_request((0.1, 0.2, 0.3, 0.4), upscale=True)
    assert isinstance(pad, DirectionRequest)
    assert all(x is y for x, y in zip(pad.corners, (a, b, a, b), strict=True))
    assert (pad.weights, pad.amounts) == ((0.1, 0.2, 0.3, 0.4), ((3, -0.5),))

    state.clear()  # another model: its latents mean nothing to the next one
    assert (state.walk, state.corners, state.direction_amounts) == (None, None, ())
    assert len(seen["walk"]) == 3 and seen["walk"][-1] is None
    assert seen["position"] == [0.5]
    assert seen["pad_point"] == [(0.2, 0.8)]
    assert seen["direction_amounts"] == [((1, 1.5),), ((1, 1.5), (3, -0.5)), ((3, -0.5),), ()]
    assert len(seen["corners"]) == 2
