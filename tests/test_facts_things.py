"""Counted-noun keys and subject names (no spaCy model needed)."""

from __future__ import annotations

import pytest

from newsfold.facts.things import is_time_unit, normalise_subject, plural, singular, thing_key


@pytest.mark.parametrize(
    ("thing", "key"),
    [
        ("troops", "troop"),
        ("combat troops", "troop"),
        ("soldiers", "troop"),
        ("military personnel", "troop"),
        ("service members", "troop"),
        ("personnel", "personnel"),
        ("armored combat vehicles", "vehicle"),
        ("armoured combat vehicles", "vehicle"),
        ("artillery pieces and mortars", "artillery piece+mortar"),
        ("foreign military attachés", "attache"),
        ("training camps", "camp"),
        ("tanks", "tank"),
        ("deaths", "death"),
        ("death toll", "death"),
        ("people", "person"),
        ("percent", "percent"),
        ("dollars", "dollar"),
        ("", ""),
    ],
)
def test_thing_key(thing: str, key: str) -> None:
    assert thing_key(thing) == key


@pytest.mark.parametrize(
    ("plural_form", "single"),
    [("cities", "city"), ("churches", "church"), ("boxes", "box"), ("wives", "wife"),
     ("buses", "bus"), ("children", "child"), ("status", "status"), ("tanks", "tank")],
)  # fmt: skip
def test_singular(plural_form: str, single: str) -> None:
    assert singular(plural_form) == single


def test_plural() -> None:
    assert plural("troop") == "troops"
    assert plural("casualty") == "casualties"
    assert plural("box") == "boxes"


def test_time_units() -> None:
    assert is_time_unit("years")
    assert not is_time_unit("troops")


@pytest.mark.parametrize(
    ("name", "norm"),
    [
        ("Russian", "Russia"),
        ("U.S.", "US"),
        ("United States", "US"),
        ("the United States", "US"),
        ("American", "US"),
        ("United States-based", "US"),
        ("Ukraine's", "Ukraine"),
        ("Belarus", "Belarus"),
        ("NATO", "NATO"),
        (None, None),
    ],
)
def test_normalise_subject(name: str | None, norm: str | None) -> None:
    assert normalise_subject(name) == norm
