"""Unit tests for newsfold.dating, on small inline texts."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsfold.dating import anchor_on_related, parse_date_string, resolve_date, weekday_mentions
from newsfold.models import DateResult, RawDocument

TODAY = dt.date(2026, 11, 21)  # fixed, so that "the last ten years" does not move
D = dt.date


def doc(text: str = "", **fields: object) -> RawDocument:
    return RawDocument(id="t", path="t.txt", format="txt", raw=text, text=text, **fields)  # type: ignore[arg-type]  # test helper passes optional fields through


def date_of(text: str, title: str = "", **fields: object) -> DateResult:
    return resolve_date(doc(text, **fields), text, title, today=TODAY)


# --------------------------------------------------------------------------- fields


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2022-02-03", D(2022, 2, 3)),
        ("2022-02-03T23:30:00-05:00", D(2022, 2, 3)),
        ("2022-02-03T10:00:00Z", D(2022, 2, 3)),
        ("2022-2-3 10:00", D(2022, 2, 3)),
        ("Thu, 03 Feb 2022 10:00:00 GMT", D(2022, 2, 3)),
        ("3 February 2022", D(2022, 2, 3)),
        ("Feb 3, 2022", D(2022, 2, 3)),
        ("1643846400", D(2022, 2, 3)),
        ("not a date", None),
        ("", None),
        ("2022-13-45", None),
    ],
)
def test_parse_date_string(value: str, expected: dt.date | None) -> None:
    assert parse_date_string(value) == expected


def test_given_date_comes_first() -> None:
    result = date_of("Monday (10/17/2022)", published="2022-02-03", header_date="2021-01-01")
    assert result == DateResult(D(2022, 2, 3), "given", 1.0, "given: 2022-02-03")


def test_unreadable_given_date_falls_through_to_header() -> None:
    result = date_of("", published="sometime", header_date="2021-01-01")
    assert (result.date, result.source, result.confidence) == (D(2021, 1, 1), "header", 1.0)


def test_html_date() -> None:
    result = date_of("", html_date="2025-04-02")
    assert (result.date, result.source, result.confidence) == (D(2025, 4, 2), "html", 0.9)


@pytest.mark.parametrize(
    ("url", "expected", "confidence"),
    [
        ("https://example.com/2022/02/03/nato-belarus/", D(2022, 2, 3), 0.8),
        ("https://example.com/world/nato-belarus-2022-02-03.html", D(2022, 2, 3), 0.8),
        ("https://example.com/news/20220203/nato", D(2022, 2, 3), 0.7),
    ],
)
def test_url_dates(url: str, expected: dt.date, confidence: float) -> None:
    result = date_of("No date in this text at all.", url=url)
    assert (result.date, result.source, result.confidence) == (expected, "url", confidence)


# --------------------------------------------------------------------------- text


def test_explicit_date_with_matching_weekday() -> None:
    result = date_of("The ministry reported Monday (10/17/2022) that tanks had arrived.")
    assert (result.date, result.source, result.confidence) == (D(2022, 10, 17), "text", 0.8)
    assert result.evidence == "Monday (10/17/2022)"


def test_weekday_chooses_between_month_day_and_day_month() -> None:
    # 3/4/2025 is a Tuesday read as March 4 and a Thursday read as April 3.
    assert date_of("Published Thursday (3/4/2025) by the desk").date == D(2025, 4, 3)
    assert date_of("Published Tuesday (3/4/2025) by the desk").date == D(2025, 3, 4)


def test_weekday_that_contradicts_the_date_lowers_confidence() -> None:
    result = date_of("The ministry reported Friday (10/17/2022) that tanks had arrived.")
    assert result.date == D(2022, 10, 17)
    assert result.confidence == pytest.approx(0.4)


@pytest.mark.parametrize(
    ("text", "expected", "source"),
    [
        (
            "Kronauer Tagblatt | Ausland | Montag, 10. März 2025\n\nDer Text.",
            D(2025, 3, 10),
            "dateline",
        ),
        ("Publié le mercredi 5 mars 2025 à 07h12\n\nLe texte.", D(2025, 3, 5), "dateline"),
        ("Diario · miércoles 2 de abril de 2025\n\nEl texto.", D(2025, 4, 2), "dateline"),
        ("Varnholm, 2 April 2025\n\nThe text.", D(2025, 4, 2), "dateline"),
        ("The talks ended on February 3, 2022 in Brussels.", D(2022, 2, 3), "text"),
        ("Officials met on 2022-02-03 to discuss it.", D(2022, 2, 3), "text"),
    ],
)
def test_written_full_dates(text: str, expected: dt.date, source: str) -> None:
    # a full date in a dateline or masthead line at the top is the report's own (sure);
    # one in a sentence may be a date the report quotes
    result = date_of(text)
    assert (result.date, result.source) == (expected, source)
    assert result.confidence >= 0.7


def test_a_dateline_date_is_sure_only_near_the_top_with_its_year_written() -> None:
    lead = "Floods hit the valley again this week, officials said. " * 8  # over 400 characters
    far = date_of(lead + "\n\nVarnholm, 2 April 2025\n\nThe text.")
    assert (far.date, far.source) == (D(2025, 4, 2), "text")
    guessed_year = date_of("NORDVIK, March 4 (Meridian Wire) - Floods.\n\n© 2025 Nordvik Courier")
    assert (guessed_year.date, guessed_year.source) == (D(2025, 3, 4), "text")


def test_foreign_month_name_goes_to_dateparser() -> None:
    result = date_of("Москва, 3 февраля 2022 года. Министр заявил о новых учениях.")
    assert result.date == D(2022, 2, 3)


def test_dateline_takes_its_year_from_the_text() -> None:
    text = "NORDVIK, March 4 (Meridian Wire) - Floods hit the valley.\n\n© 2025 Nordvik Courier"
    result = date_of(text)
    assert result.date == D(2025, 3, 4)
    assert result.confidence == pytest.approx(0.6)
    assert "year 2025" in result.evidence


def test_date_without_year_and_no_year_clue_is_unresolved() -> None:
    result = date_of("NORDVIK, March 4 (Meridian Wire) - Floods hit the valley.")
    assert result == DateResult(None, "none", 0.0)


def test_weekday_and_year_clue_give_the_year() -> None:
    text = "Stoltenberg spoke Thursday (February 3) about the 2022 drills."
    result = date_of(text)
    assert (result.date, result.confidence) == (D(2022, 2, 3), 0.6)


def test_year_clue_that_contradicts_the_weekday_is_ignored() -> None:
    # 2014 cannot be right (3 Feb 2014 was a Monday): the weekday picks 2022,
    # the only year of the last ten in which 3 February was a Thursday.
    text = "Stoltenberg spoke Thursday (February 3). Moscow invaded in 2014."
    result = date_of(text)
    assert (result.date, result.confidence) == (D(2022, 2, 3), 0.4)
    assert "from the weekday" in result.evidence


def test_ranges_months_as_verbs_and_future_dates_are_not_dates() -> None:
    assert date_of("Drills are scheduled for Feb. 10-20 near the border.").date is None
    assert date_of("Officials may 12 times revise it, as in 2022.").date is None
    assert date_of("The treaty expires on March 3, 2031.").date is None


def test_birth_dates_are_not_the_report_date() -> None:
    # an obituary's lead full date is the birth: left out, the death day's date wins
    text = "Page, 85, died on December 11. She was born on April 22, 1923. © 2008 AP"
    assert date_of(text).date == D(2008, 12, 11)
    assert date_of("Page was born on April 22, 1923 in Nashville.").date is None
    # a report of the birth itself (within the last year, no later year named) keeps it
    assert date_of("The princess was born on 2 May 2026 in London.").date == D(2026, 5, 2)
    # a birthday, or giving birth, is the day reported
    assert date_of("She celebrated her 90th birthday on March 3, 2008.").date == D(2008, 3, 3)
    assert date_of("The panda gave birth on June 12, 2019 at the zoo.").date == D(2019, 6, 12)


def test_title_date_counts() -> None:
    assert date_of("No date here.", title="Budget of 3 March 2024 passes").date == D(2024, 3, 3)


def test_nothing_found() -> None:
    assert date_of("The minister spoke to reporters.") == DateResult(None, "none", 0.0)


@pytest.mark.parametrize(
    "text", ["", "\x00\x00", "99/99/9999", "Monday (2/30/2022)", "0" * 5000, "May May May 32"]
)
def test_odd_text_never_raises(text: str) -> None:
    assert isinstance(date_of(text, url="http://[::1", published="\x00"), DateResult)


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=300), st.one_of(st.none(), st.text(max_size=30)))
def test_any_input_gives_a_result(text: str, published: str | None) -> None:
    result = date_of(text, published=published, url=text[:50])
    assert 0.0 <= result.confidence <= 1.0
    assert (result.date is None) == (result.source == "none")


# --------------------------------------------------------------------------- weekdays


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Stoltenberg said on Friday that", ["friday"]),
        ("on Thursday, after Biden's decision on Wednesday", ["thursday", "wednesday"]),
        ("am Donnerstagabend bestätigt", ["thursday"]),
        ("Black Friday sales, next Monday, released from Tuesday, on Sundays", []),
        ("the Sunday Times reported", []),
        ("", []),
    ],
)
def test_weekday_mentions(text: str, expected: list[str]) -> None:
    assert weekday_mentions(text) == expected


# --------------------------------------------------------------------------- related

DATED = (
    "NATO chief Jens Stoltenberg said 30,000 Russian troops were in Belarus. Biden sent "
    "2,000 troops to Poland and Germany and moved 1,000 from Germany to Romania. Shoigu "
    "arrived in Minsk."
)
LATER = (
    "The regional grouping brings 170 tanks and up to 9,000 Russian soldiers to Belarus, "
    "the ministry in Minsk said."
)


def test_article_lacking_the_facts_precedes_the_related_date() -> None:
    undated = "Stoltenberg said on Friday that Russia was sending thousands of troops to Belarus."
    result = anchor_on_related(undated, [(D(2022, 2, 3), DATED), (D(2022, 10, 17), LATER)])
    assert result == DateResult(
        D(2022, 1, 28), "context", 0.3, "on Friday, before 2022-02-03 (related article)"
    )


def test_article_sharing_the_facts_takes_the_nearest_weekday() -> None:
    undated = (
        "Stoltenberg said on Thursday that 30,000 Russian troops were in Belarus, after "
        "Biden decided on Wednesday to send 2,000 troops to Poland and Germany and move "
        "1,000 from Germany to Romania. Shoigu arrived in Minsk."
    )
    result = anchor_on_related(undated, [(D(2022, 2, 3), DATED)])
    assert result is not None
    assert (result.date, result.source, result.confidence) == (D(2022, 2, 3), "context", 0.3)
    assert result.evidence.startswith("on Thursday, nearest 2022-02-03")


def test_nearest_related_article_is_the_most_similar_one() -> None:
    undated = "The ministry in Minsk said on Tuesday that tanks of the regional grouping arrived."
    result = anchor_on_related(undated, [(D(2022, 2, 3), DATED), (D(2022, 10, 17), LATER)])
    assert result is not None and result.date == D(2022, 10, 11)  # the Tuesday before


def test_anchor_needs_a_weekday_and_a_dated_article() -> None:
    assert anchor_on_related("No weekday is named here.", [(D(2022, 2, 3), DATED)]) is None
    assert anchor_on_related("He spoke on Friday.", []) is None
    assert anchor_on_related("He spoke on Friday.", [(None, DATED)]) is None  # type: ignore[list-item]  # undated related articles are skipped


def test_article_with_the_headline_figure_of_the_related_one_shares_its_facts() -> None:
    dated = (
        "Rasovia will withdraw 4,000 troops from the border, negotiators said in Halvern, "
        "where Paolo Renzi and Hana Lindqvist met envoys of the Council of Northern States. "
        "About 8,000 troops stay; Teleria releases 3,500 reservists."
    )
    undated = "Sunde said on Thursday that Teleria would watch the 4,000 soldiers leave by train."
    result = anchor_on_related(undated, [(D(2025, 6, 5), dated)])
    assert result is not None and result.date == D(2025, 6, 5)
