"""Entity name merging and the JSON round trip (no spaCy model)."""

from __future__ import annotations

import datetime as dt
import json

from newsfold.facts.entities import canonicalise, clean_name, merge_entities, strip_title
from newsfold.facts.model import ArticleFacts, Entity, EventDate, Quantity, Quote


def ent(text: str, label: str = "PERSON", start: int = 0) -> Entity:
    return Entity(start, start + len(text), text, label, clean_name(text))


def canon(ents: list[Entity]) -> dict[str, str]:
    return {e.text: e.canonical for e in canonicalise(ents)}


def test_surname_becomes_full_name() -> None:
    got = canon([ent("Jens Stoltenberg"), ent("Stoltenberg"), ent("Stoltenberg", "GPE")])
    assert set(got.values()) == {"Jens Stoltenberg"}


def test_mislabelled_surname_is_relabelled() -> None:
    out = canonicalise([ent("Jens Stoltenberg"), ent("Stoltenberg", "GPE")])
    assert out[1].label == "PERSON"


def test_titles_are_stripped() -> None:
    assert strip_title("NATO Secretary-General Jens Stoltenberg") == "Jens Stoltenberg"
    assert strip_title("President Joe Biden") == "Joe Biden"
    assert canon([ent("President Joe Biden"), ent("Biden")]) == {
        "President Joe Biden": "Joe Biden",
        "Biden": "Joe Biden",
    }


def test_ambiguous_surname_stays() -> None:
    got = canon([ent("John Smith"), ent("Jane Smith"), ent("Smith")])
    assert got["Smith"] == "Smith"


def test_places_are_not_people() -> None:
    got = canon(
        [
            ent("George Washington"),
            ent("Washington", "GPE"),
            ent("Ukrainian", "NORP"),
            ent("Various Ukrainian"),
        ]
    )
    assert got["Washington"] == "Washington"
    assert got["Ukrainian"] == "Ukrainian"


def test_aliases_and_acronyms() -> None:
    got = canon(
        [
            ent("U.S.", "GPE"),
            ent("the United States", "GPE"),
            ent("Associated Press", "ORG"),
            ent("AP", "ORG"),
        ]
    )
    assert got["U.S."] == got["the United States"] == "United States"
    assert got["AP"] == "Associated Press"


def test_possessive_and_the() -> None:
    assert clean_name("Russia's") == "Russia"
    assert clean_name("the Kremlin") == "Kremlin"


def test_merge_across_articles() -> None:
    a = ArticleFacts(entities=canonicalise([ent("Alexander Lukashenko"), ent("Lukashenko")]))
    b = ArticleFacts(
        entities=canonicalise([ent("Alexandr Lukashenko"), ent("Alexander Lukashenko")])
    )
    c = ArticleFacts(entities=canonicalise([ent("Stoltenberg")]))
    d = ArticleFacts(entities=canonicalise([ent("NATO Secretary-General Jens Stoltenberg")]))
    m = merge_entities([a, b, c, d])
    assert m["Alexandr Lukashenko"] == m["Lukashenko"] == "Alexander Lukashenko"
    assert m["Stoltenberg"] == "Jens Stoltenberg"
    assert m["NATO Secretary-General Jens Stoltenberg"] == "Jens Stoltenberg"


def test_json_round_trip() -> None:
    f = ArticleFacts(
        entities=[Entity(0, 5, "Putin", "PERSON", "Vladimir Putin")],
        quantities=[
            Quantity(
                10,
                30,
                "up to 9,000 soldiers",
                9000.0,
                None,
                "soldiers",
                "Russia",
                "bound",
                "upper",
                False,
                "Up to 9,000 soldiers.",
                "Belarus",
            ),
            Quantity(40, 50, "40-50 tanks", 40.0, 50.0, "tanks", None, "fact", None, True, "x"),
        ],
        quotes=[Quote(1, 4, "abc", None, "direct")],
        dates=[
            EventDate(3, 13, "Feb. 10-20", dt.date(2022, 2, 10), dt.date(2022, 2, 20)),
            EventDate(20, 30, "on Wednesday", dt.date(2022, 2, 2), None),
        ],
    )
    d = f.to_json()
    assert d["dates"][0]["date"] == "2022-02-10"
    assert ArticleFacts.from_json(d) == f
    assert ArticleFacts.from_json(json.loads(json.dumps(d))) == f
