"""The rule layer on any input: no crash, offsets inside the text, and no
quadratic blow-up on long repetitive input (no spaCy model needed)."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsfold.corroborate import corroborate
from newsfold.facts.dates import date_spans, extract_dates
from newsfold.facts.evaluate import make_article
from newsfold.facts.model import ArticleFacts
from newsfold.facts.numbers import find_number_mentions
from newsfold.facts.quantities import SentDoc, build_quantities
from newsfold.facts.quotes import extract_quotes
from newsfold.facts.text import sentence_spans

PIECES = st.sampled_from(
    [" ", "\n", ".", ",", '"', "“", "”", "‘", "’", "-", "–", "/", "$", "€", "%", "(", ")",
     "1", "30,000", "2014", "1.5", "½", "one", "two", "hundred", "thousands", "and", "between",
     "to", "up", "more than", "some", "said", "he", "Stoltenberg", "February", "Feb.", "10-20",
     "Monday", "last", "week", "years", "troops", "tanks", "according to", "AP", "(AP)",
     "S-400", "3:30", "p.m.", "e", "x", "^", "+/-", "ago", "not"]
)  # fmt: skip
TEXTS = st.one_of(
    st.lists(PIECES, max_size=60).map(" ".join),
    st.lists(PIECES, max_size=60).map("".join),
    st.text(max_size=300),
)


def rules_only(text: str, lang: str = "en") -> ArticleFacts:
    mentions = find_number_mentions(text, lang, date_spans(text))
    sents = [SentDoc(s, e) for s, e in sentence_spans(text)]
    return ArticleFacts(
        quantities=build_quantities(text, mentions, sents, english=lang == "en"),
        quotes=extract_quotes(text, [], english=lang == "en"),
        dates=extract_dates(text, dt.date(2022, 2, 3), lang),
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=TEXTS, lang=st.sampled_from(["en", "de", "fr", "xx"]))
def test_any_text(text: str, lang: str) -> None:
    f = rules_only(text, lang)
    for q in f.quantities:
        assert 0 <= q.start < q.end <= len(text)
        assert text[q.start : q.end] == q.surface
        assert q.modality in ("fact", "approximate", "bound", "forecast")
        assert (q.bound is not None) == (q.modality == "bound")
    for x in f.quotes:
        assert 0 <= x.start <= x.end <= len(text) and text[x.start : x.end] == x.text
    for d in f.dates:
        assert text[d.start : d.end] == d.surface
        assert d.date_end is None or d.date_end >= d.date
    assert ArticleFacts.from_json(f.to_json()) == f


@settings(max_examples=50, deadline=None)
@given(a=TEXTS, b=TEXTS)
def test_corroborate_any_text(a: str, b: str) -> None:
    arts = [make_article("a", a), make_article("b", b)]
    c = corroborate("e", arts, {"a": rules_only(a), "b": rules_only(b)})
    assert set(c.origins) == {"a", "b"}
    assert set(c.origin_reasons) == {"a", "b"}


@pytest.mark.parametrize(
    "unit",
    ["1", "1,", "1 000 ", "one two three ", "one hundred and ", "February 10 to ", "on Monday ",
     ".", "1-", "1e", "1/2 ", "He said the ", '"', "‘a’", "$1.5bn (AP) “He said 30,000 troops” "],
)  # fmt: skip
def test_linear_time(unit: str) -> None:
    small, big = unit * 200, unit * 1600
    t0 = time.perf_counter()
    rules_only(small)
    t1 = time.perf_counter()
    rules_only(big)
    t2 = time.perf_counter()
    # 8x the text may cost at most ~20x the time (plus slack for tiny inputs)
    assert t2 - t1 <= 20 * (t1 - t0) + 0.5
