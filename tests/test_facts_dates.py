"""Event date rules (no spaCy model needed)."""

from __future__ import annotations

import datetime as dt

import pytest

from newsfold.facts.dates import date_spans, extract_dates
from newsfold.facts.numbers import find_number_mentions

THU = dt.date(2022, 2, 3)  # a Thursday
D = dt.date


def one(text: str, published: dt.date | None = THU) -> tuple[dt.date, dt.date | None]:
    found = extract_dates(text, published)
    assert len(found) == 1, found
    return found[0].date, found[0].date_end


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("drills scheduled for Feb. 10-20.", D(2022, 2, 10), D(2022, 2, 20)),
        ("war games set for February 10-20.", D(2022, 2, 10), D(2022, 2, 20)),
        ("set to take place between February 10 to 20.", D(2022, 2, 10), D(2022, 2, 20)),
        ("from February 28 to March 2", D(2022, 2, 28), D(2022, 3, 2)),
        ("on 10 February 2021", D(2021, 2, 10), None),
        ("the ministry reported (10/17/2022).", D(2022, 10, 17), None),
        ("on 2022-10-17", D(2022, 10, 17), None),
        ("on 17.10.2022", D(2022, 10, 17), None),
        ("Biden decided on Wednesday to act.", D(2022, 2, 2), None),
        ("Shoigu arrived on Thursday.", D(2022, 2, 3), None),
        ("They will meet on Monday.", D(2022, 2, 7), None),
        ("a drone last month", D(2022, 1, 1), D(2022, 1, 31)),
        ("expected this month", D(2022, 2, 1), D(2022, 2, 28)),
        ("earlier this week", D(2022, 1, 31), D(2022, 2, 3)),
        ("as it did in 2014", D(2014, 1, 1), D(2014, 12, 31)),
        ("In February, Russia attacked.", D(2022, 2, 1), D(2022, 2, 28)),
        ("three days ago", D(2022, 1, 31), None),
        ("yesterday", D(2022, 2, 2), None),
    ],
)
def test_resolved(text: str, start: dt.date, end: dt.date | None) -> None:
    assert one(text) == (start, end)


def test_month_day_takes_the_nearest_year() -> None:
    assert one("on December 30", D(2022, 1, 2)) == (D(2021, 12, 30), None)


def test_weekday_followed_by_a_date_is_that_date() -> None:
    found = extract_dates("on Thursday (February 3) he said", THU)
    assert [(d.surface, d.date) for d in found] == [("February 3", D(2022, 2, 3))]


@pytest.mark.parametrize("text", ["on Wednesday", "last month", "Feb. 10-20", "yesterday"])
def test_relative_needs_publication(text: str) -> None:
    assert extract_dates(text, None) == []
    # ... but its digits are still not quantities
    assert find_number_mentions(text, "en", date_spans(text)) == []


def test_absolute_without_publication() -> None:
    assert one("on February 3, 2022", None) == (D(2022, 2, 3), None)


def test_offsets() -> None:
    text = "Shoigu arrived on Thursday."
    (d,) = extract_dates(text, THU)
    assert text[d.start : d.end] == d.surface == "on Thursday"


def test_non_english_only_numeric() -> None:
    found = extract_dates("am Montag, dem 17.10.2022", D(2022, 10, 18), "de")
    assert [(d.date, d.date_end) for d in found] == [(D(2022, 10, 17), None)]
    assert extract_dates("le 3/4/2022", None, "fr")[0].date == D(2022, 4, 3)
