"""Licences: every shipped model and data set is named with its licence in the app, and
nothing non-commercial or share-alike is trained into weights we ship."""

from __future__ import annotations

import pytest

from engines.catalogue import Catalogue, Source
from engines.licences import COMPONENTS

# Licence terms that no data trained into weights we ship may carry.
FORBIDDEN_IN_WEIGHTS = ("non-commercial", "noncommercial", "-nc", "share-alike", "-sa")


def forbidden_terms(text: str) -> list[str]:
    """The non-commercial or share-alike markers found in a licence or provenance text."""
    low = text.lower()
    return [term for term in FORBIDDEN_IN_WEIGHTS if term in low]


def test_forbidden_terms_are_recognised() -> None:
    assert forbidden_terms("CC-BY-NC 4.0") == ["-nc"]
    assert forbidden_terms("CC-BY-SA 4.0") == ["-sa"]
    assert forbidden_terms("for non-commercial research") == ["non-commercial"]
    assert forbidden_terms("OFL-1.1") == []


def test_weights_we_ship_use_no_non_commercial_or_share_alike_data() -> None:
    shipped = [m for m in Catalogue().all() if m.source is Source.assets]
    assert len(shipped) >= 5
    for model in shipped:
        assert model.licence, model.id
        assert model.data_provenance, f"{model.id} does not say what it was trained on"
        # The provenance may name what was left out for its terms; the licence may not.
        assert forbidden_terms(model.licence) == [], model.id
    for component in COMPONENTS:
        if component.trained_into_weights:
            assert forbidden_terms(component.licence) == [], component.name


@pytest.mark.gui
def test_about_box_lists_models_and_data_sets_with_licences() -> None:
    from studio.dialogs import about_html

    html = about_html(Catalogue())
    for model in Catalogue().all():
        assert model.licence.replace("'", "&#x27;") in html or model.licence in html
    for component in COMPONENTS:
        assert component.licence in html
    assert "Noto Color Emoji" in html and "OFL-1.1" in html
