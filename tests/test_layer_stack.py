"""The Edit tab's layer stack driven directly, with no widget (#15, layers of results):
the photo as base, results on top with their masks, visibility, opacity, order, rename,
delete, one undo step each, and the flattened picture and its recipe."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from engines.image.layers import Layer, flatten
from engines.imagefile import Recipe
from studio.widgets.canvas.layer_stack import LayerStack, live_opacity

SIZE = (6, 4)


def _flat(colour: tuple[int, int, int]) -> Image.Image:
    return Image.new("RGB", SIZE, colour)


def _stack() -> tuple[LayerStack, list[int]]:
    stack = LayerStack()
    seen: list[int] = []
    stack.changed.connect(lambda: seen.append(len(stack.layers)))
    rng = np.random.default_rng(1)
    photo = Image.fromarray(rng.integers(0, 256, (4, 6, 3), dtype=np.uint8), "RGB")
    stack.set_base(photo.convert("RGBA"), "photo.jpg")
    return stack, seen


def test_results_stack_over_the_photo_with_their_masks() -> None:
    stack, seen = _stack()
    assert stack.layers == () and stack.selected is None and seen == [0]
    mask = Image.new("L", SIZE, 255)
    stack.add(_flat((200, 0, 0)), "red.png", Recipe(prompt="red", seed=3), mask)
    stack.add(_flat((0, 200, 0)), "green.png")
    assert [layer.name for layer in stack.layers] == ["red.png", "green.png"]
    assert stack.selected == 1 and stack.current is stack.layers[1]
    assert stack.layers[0].mask is mask and stack.layers[1].mask is None
    assert seen == [0, 1, 2]
    with pytest.raises(ValueError):
        stack.add(Image.new("RGB", (7, 4)), "other-size.png")
    see_through = Image.new("RGBA", SIZE, (9, 9, 9, 128))  # an emoji model's: not stacked
    assert not stack.fits(see_through) and stack.fits(see_through.convert("RGB"))
    assert stack.fits(Image.new("RGBA", SIZE, (9, 9, 9, 255)))  # alpha, but opaque
    photo = stack.base_pixels()
    assert np.array_equal(stack.flatten(), np.broadcast_to(np.uint8([0, 200, 0]), photo.shape))


def test_visibility_opacity_order_rename_and_delete_each_flatten_as_said() -> None:
    stack, _ = _stack()
    stack.add(_flat((200, 0, 0)), "red.png")
    stack.add(_flat((0, 0, 255)), "blue.png")
    photo = stack.base_pixels()
    red, blue = (layer.pixels for layer in stack.layers)

    def expect(*layers: Layer) -> None:
        assert np.array_equal(stack.flatten(), flatten(photo, list(layers)))

    stack.set_visible(1, False)
    expect(Layer(red), Layer(blue, visible=False))
    assert np.array_equal(stack.flatten(), red)
    stack.set_visible(1, True)
    stack.set_opacity(1, 50)
    assert stack.layers[1].percent == 50 and stack.layers[1].opacity == 0.5
    expect(Layer(red), Layer(blue, 0.5))
    assert stack.flatten()[0, 0].tolist() == [100, 0, 128]  # (200+0)/2, (0+255)/2 half up
    stack.set_opacity(1, 250)  # clamped
    assert stack.layers[1].percent == 100
    assert stack.move(1, -1) and [la.name for la in stack.layers] == ["blue.png", "red.png"]
    assert stack.selected == 0  # the moved layer stays selected
    assert not stack.move(0, -1) and not stack.move(1, +1)  # bottom and top
    expect(Layer(blue), Layer(red))
    stack.rename(0, "  sky  ")
    stack.rename(0, "   ")  # an empty name is not taken
    assert stack.layers[0].name == "sky"
    stack.remove(1)
    assert [la.name for la in stack.layers] == ["sky"] and stack.selected == 0
    expect(Layer(blue))
    stack.remove(0)
    assert stack.layers == () and stack.selected is None
    assert np.array_equal(stack.flatten(), photo)


def test_each_edit_is_one_undo_step_and_an_opacity_drag_is_one() -> None:
    stack, _ = _stack()
    stack.add(_flat((200, 0, 0)), "red.png")
    stack.add(_flat((0, 0, 255)), "blue.png")
    for percent in (90, 70, 40):  # a slider's drag
        stack.set_opacity(1, percent)
    stack.set_visible(0, False)
    stack.move(1, -1)
    stack.rename(0, "sky")
    states = []
    while stack.can_undo:
        states.append([(la.name, la.percent, la.visible) for la in stack.layers])
        stack.undo()
    assert states == [
        [("sky", 40, True), ("red.png", 100, False)],
        [("blue.png", 40, True), ("red.png", 100, False)],
        [("red.png", 100, False), ("blue.png", 40, True)],
        [("red.png", 100, True), ("blue.png", 40, True)],
        [("red.png", 100, True), ("blue.png", 100, True)],
        [("red.png", 100, True)],
    ]
    assert stack.layers == ()
    while stack.can_redo:
        stack.redo()
    assert [(la.name, la.percent, la.visible) for la in stack.layers] == states[0]
    stack.undo()
    stack.set_opacity(0, 10)  # a new edit drops what could be redone
    assert not stack.can_redo
    stack.set_visible(0, stack.layers[0].visible)  # no change: no step
    stack.undo()
    assert stack.layers[0].percent == 40


def test_the_layers_share_pixels_between_steps_and_never_write_them() -> None:
    stack, _ = _stack()
    source = np.full((4, 6, 3), 9, np.uint8)
    stack.add(Image.fromarray(source, "RGB"), "nine.png")
    pixels = stack.layers[0].pixels
    assert not pixels.flags.writeable
    stack.set_opacity(0, 30)
    stack.set_visible(0, False)
    assert stack.layers[0].pixels is pixels  # a step holds the same array


def test_a_new_photo_starts_a_fresh_stack() -> None:
    stack, _ = _stack()
    stack.add(_flat((200, 0, 0)), "red.png")
    stack.set_base(Image.new("RGBA", (3, 3)), "other.png")
    assert stack.layers == () and not stack.can_undo and stack.size == (3, 3)
    stack.set_base(Image.new("RGBA", (3, 3), (0, 0, 0, 0)), "emoji.png")
    assert not stack.fits(Image.new("RGB", (3, 3)))  # a transparent picture: no layers


def test_the_composite_recipe_names_every_layer() -> None:
    stack, _ = _stack()
    made = Recipe(prompt="a red sky", seed=5, model="tiny", strength=0.6)
    stack.add(_flat((200, 0, 0)), "red-sky-s5.png", made, Image.new("L", SIZE, 255))
    stack.add(_flat((0, 0, 255)), "blue.png", Recipe(prompt="blue", seed=8))
    stack.set_opacity(1, 50)
    stack.add(_flat((0, 9, 0)), "hidden.png")
    stack.set_visible(2, False)
    recipe = stack.composite_recipe()
    assert recipe.prompt == "blue" and recipe.seed == 8  # the top visible layer's
    assert recipe.extra["Layer opacity"] == "50%"
    assert recipe.extra["Composite"] == "4 layers"
    assert recipe.extra["Layer 1"] == "photo.jpg; source photo"
    assert recipe.extra["Layer 2"] == (
        "red-sky-s5.png; 100%; a red sky; seed 5; model tiny; strength 0.6; masked"
    )
    assert recipe.extra["Layer 3"] == "blue.png; 50%; blue; seed 8"
    assert recipe.extra["Layer 4"] == "hidden.png; 100%; hidden"
    back = Recipe.from_parameters(recipe.to_parameters())  # survives the PNG text
    assert back.extra["Layer 2"] == recipe.extra["Layer 2"]
    assert back.extra["Composite"] == "4 layers"


def test_an_opacity_drag_is_live_up_to_4_megapixels() -> None:
    stack = LayerStack()
    assert live_opacity(stack)
    stack.set_base(Image.new("RGB", (2000, 2000)), "4mp.png")
    assert live_opacity(stack)
    stack.set_base(Image.new("RGB", (2001, 2000)), "larger.png")
    assert not live_opacity(stack)  # flattening it again per step would stall the drag
