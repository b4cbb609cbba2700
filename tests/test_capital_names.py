"""Surnames in capitals, as police notifications write them, are names.

A police notification's line of children present, copied into the
neighbouring family's plan, named three children and their ages: every name
in capitals, which read as no one's name, so the 15 words were not judged.
All names here are fictional.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import FILLER
from test_family_figures import found_only_through
from test_match import in_own_letter, index_family_notes

NOTIFICATION = (
    "Police notification. Officers attended after a call about shouting at the address. "
    "Children present: {children}, hiding in the bathroom. DASH risk assessed as standard."
)
FAMILIES = (  # C-8400's line is the one copied; C-8401 receives it
    "BROOKE CROWTHER (15), WREN CROWTHER (4), MARNIE CROWTHER (4)",
    "TYLER OKONJO (9), AMELIA OKONJO (6)",
    "JAYDEN FARRIMOND (12), POPPY FARRIMOND (7)",
    "KAI BRIERLEY (3), ROSIE BRIERLEY (5)",
)


@pytest.fixture
def notifications_store(tmp_path: Path) -> Path:
    texts = [f"{NOTIFICATION.format(children=c)} {FILLER}" for c in FAMILIES]
    return index_family_notes(tmp_path, "police", 84, "police", 7, texts)


def test_a_line_of_children_named_in_capitals_is_another_familys(
    notifications_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copied = f"Children present: {FAMILIES[0]}, hiding in the bathroom."
    document = in_own_letter(copied)
    own = document.replace(FAMILIES[0], FAMILIES[1])  # the receiving family's own children
    found_only_through(
        monkeypatch,
        "_names_in_capitals",
        notifications_store,
        (document, own),
        ("C-8401", "C-8400"),
    )
