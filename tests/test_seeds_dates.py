"""Slow tier: clean and date the five real seed articles in ../shared/seeds.

Checks the hand labels of EXPECTED.md: titles, boilerplate removed (and real
sentences kept), outlets, and publication dates - 000, 002 and 003 through
resolve_date, 001 and 004 (no date in their text) through anchor_on_related
with the other seeds as related articles.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from newsfold.clean import Cleaned, clean
from newsfold.dating import anchor_on_related, resolve_date
from newsfold.ingest import iter_inputs
from newsfold.models import DateResult, RawDocument

SEEDS = Path(__file__).parents[2] / "shared" / "seeds"
Seeds = dict[str, tuple[RawDocument, Cleaned]]
TODAY = dt.date(2026, 11, 21)  # fixed: 000's year comes from a ten-year weekday window

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not SEEDS.is_dir(), reason=f"seed folder {SEEDS} not present"),
]


@pytest.fixture(scope="module")
def seeds() -> Seeds:
    out = {}
    for item in iter_inputs([str(SEEDS)]):
        assert isinstance(item, RawDocument), item
        out[item.id[:3]] = (item, clean(item))
    assert sorted(out) == ["000", "001", "002", "003", "004"]
    return out


@pytest.fixture(scope="module")
def dates(seeds: Seeds) -> dict[str, DateResult]:
    return {
        key: resolve_date(doc, cleaned.text, cleaned.title, today=TODAY)
        for key, (doc, cleaned) in seeds.items()
    }


def full(cleaned: Cleaned) -> str:
    return f"{cleaned.title}\n\n{cleaned.text}"


@pytest.mark.parametrize(
    ("key", "title"),
    [
        ("000", "Russia moves 30,000 troops and military equipment to Belarus"),
        ("001", "NATO chief wary of Russian troop build-up in Belarus"),
    ],
)
def test_headline_titles(seeds: Seeds, key: str, title: str) -> None:
    cleaned = seeds[key][1]
    assert cleaned.title == title
    assert title not in cleaned.text


@pytest.mark.parametrize("key", ["002", "003", "004"])
def test_first_sentence_titles(seeds: Seeds, key: str) -> None:
    cleaned = seeds[key][1]
    assert 20 <= len(cleaned.title) <= 130  # a sentence up to 130 characters stays whole
    first = cleaned.text.split("\n\n")[0]
    assert first.startswith(cleaned.title.rstrip("…"))  # the body keeps its first sentence


REMOVED = {
    "000": [
        "Follow Army Recognition on Google News at this link",
        "Army Recognition Global Defense and Security news",
        'BMPT "Terminator" Tank Support Vehicles (Picture source: Russian MoD)',
        'S-400 "Triumf" air defense system (Picture source: Russian MoD)',
    ],
    "001": [
        "Skip to content",
        "Fraser reported from Ankara. Dasha Litvinova in Moscow contributed to this report.",
        "ABC News",
        "Not all news on the site expresses the point of view of the site",
    ],
    "002": ["— Oleg Nikolenko (@OlegNikolenko_) February 3, 2022"],
    "003": ["Categorized in:"],
    "004": [
        "CLICK HERE TO READ MORE FROM THE WASHINGTON EXAMINER",
        "ZELENSKY ‘DIDN’T SHY AWAY FROM ASKING FOR MORE’ FROM US, SENATOR SAYS",
    ],
}
KEPT = {
    "000": [
        "Russian officials deny that an invasion is planned.",
        "Stoltenberg welcomed U.S. President Joe Biden’s decision on Wednesday",
    ],
    "001": [
        "NATO Secretary General Jens Stoltenberg worries about Russia’s continued military "
        "build-up around Ukraine",
        "Russian officials deny that an invasion is planned.",
        "“We express on every platform that we support the territorial integrity",
    ],
    "002": [
        "Belarus accuses Ukraine of violating the country's airspace",
        '"Yet another provocation by Belarus.',
        "He also went on to appreciate recent offers of troops and equipment",
    ],
    "003": ["Alleged Ukrainian attack", "argued Revenko."],
    "004": ["“It remains imminent,” White House press secretary Jen Psaki said"],
}


@pytest.mark.parametrize("key", sorted(REMOVED))
def test_boilerplate_removed_and_sentences_kept(seeds: Seeds, key: str) -> None:
    cleaned = seeds[key][1]
    for line in REMOVED[key]:
        assert any(line in removed for removed in cleaned.removed), line
        assert line not in cleaned.text, line
    for sentence in KEPT[key]:
        assert sentence in cleaned.text, sentence
    assert "\n\n\n" not in cleaned.text
    assert cleaned.language == "en"
    assert cleaned.language_confidence > 0.9


@pytest.mark.parametrize(
    ("key", "outlet"),
    [
        ("000", "Army Recognition"),
        ("001", "ABC News"),
        ("002", None),
        ("003", None),
        ("004", "Washington Examiner"),
    ],
)
def test_outlets(seeds: Seeds, key: str, outlet: str | None) -> None:
    assert seeds[key][1].outlet == outlet


def test_dates_from_header_and_text(dates: dict[str, DateResult]) -> None:
    assert (dates["000"].date, dates["000"].source) == (dt.date(2022, 2, 3), "text")
    assert "Thursday (February 3)" in dates["000"].evidence
    assert (dates["002"].date, dates["002"].source, dates["002"].confidence) == (
        dt.date(2022, 2, 3),
        "header",
        1.0,
    )
    assert (dates["003"].date, dates["003"].source, dates["003"].confidence) == (
        dt.date(2022, 10, 17),
        "text",
        0.8,
    )
    assert dates["001"].date is None and dates["004"].date is None


def related(seeds: Seeds, dates: dict[str, DateResult], but: str) -> list[tuple[dt.date, str]]:
    return [
        (result.date, full(seeds[key][1]))
        for key, result in sorted(dates.items())
        if key != but and result.date is not None
    ]


def test_001_is_anchored_on_the_day_of_its_related_articles(
    seeds: Seeds, dates: dict[str, DateResult]
) -> None:
    result = anchor_on_related(full(seeds["001"][1]), related(seeds, dates, "001"))
    assert result is not None
    assert (result.date, result.source, result.confidence) == (dt.date(2022, 2, 3), "context", 0.3)


def test_004_precedes_its_related_articles(seeds: Seeds, dates: dict[str, DateResult]) -> None:
    others = related(seeds, dates, "004")
    result = anchor_on_related(full(seeds["004"][1]), others)
    assert result == DateResult(
        dt.date(2022, 1, 28), "context", 0.3, "on Friday, before 2022-02-03 (related article)"
    )
    # Still so once 001 has been dated by the second pass too.
    first = anchor_on_related(full(seeds["001"][1]), related(seeds, dates, "001"))
    assert first is not None and first.date is not None
    with_001 = [*others, (first.date, full(seeds["001"][1]))]
    again = anchor_on_related(full(seeds["004"][1]), with_001)
    assert again is not None and again.date == dt.date(2022, 1, 28)
