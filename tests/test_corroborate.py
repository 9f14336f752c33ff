"""Origins and claim groups on hand-made articles (no spaCy model)."""

from __future__ import annotations

import datetime as dt

import numpy as np

from newsfold.corroborate import corroborate, fmt_value, wire_sources
from newsfold.facts.evaluate import make_article
from newsfold.facts.model import ArticleFacts, Quantity, Quote
from newsfold.models import Article

D1, D2, D3 = dt.date(2022, 2, 1), dt.date(2022, 2, 2), dt.date(2022, 2, 3)

BODY_A = (
    "The ministry said on Thursday that the border crossing was closed after heavy fighting. "
    "Local officials reported long queues of trucks near the town. Farmers complained about "
    "the delays and lost income. Police patrols were increased along the main road."
)
BODY_B = (
    "Heavy rain flooded the valley on Thursday, officials said. Rescue teams evacuated "
    "families from three villages. The weather service warned of more storms over the "
    "weekend. Schools in the district will stay closed."
)


def art(aid: str, text: str, published: dt.date | None = D1, dup: str | None = None) -> Article:
    a = make_article(aid, text, published)
    a.duplicate_of = dup
    return a


def q(value: float, thing: str = "troops", modality: str = "fact", *, bound: str | None = None,
      subject: str | None = None, place: str | None = None, negated: bool = False,
      value_max: float | None = None) -> Quantity:  # fmt: skip
    return Quantity(0, 5, f"{value} {thing}", value, value_max, thing, subject or place, modality,
                    bound, negated, "", place)  # fmt: skip


def facts(*qs: Quantity, quotes: tuple[str, ...] = ()) -> ArticleFacts:
    return ArticleFacts(
        quantities=list(qs), quotes=[Quote(0, 1, t, None, "direct") for t in quotes]
    )


# ------------------------------------------------------------------ origins


def test_duplicate_of_links() -> None:
    arts = [art("a", BODY_A), art("b", BODY_B, D2, dup="a")]
    c = corroborate("e", arts, {})
    assert c.origins == {"a": "a", "b": "a"}
    assert c.origin_reasons["b"] == "near-verbatim copy"


def test_shingle_copy() -> None:
    arts = [art("a", BODY_A, D2), art("b", BODY_A.replace("Thursday", "Friday"), D1)]
    c = corroborate("e", arts, {})
    assert c.origins == {"a": "b", "b": "b"}  # b was published first
    assert c.origin_reasons["a"] == "near-verbatim copy"


def test_shared_quotation_links_rewrites() -> None:
    quote = "This is the biggest Russian deployment there since the Cold War"
    a = art("a", f'{BODY_A} "{quote}," Stoltenberg said.')
    b = art("b", f"{BODY_B} “{quote.replace('This', 'this')}”, the NATO chief told reporters.", D2)
    c = corroborate("e", [a, b], {"a": facts(quotes=(quote,)), "b": facts(quotes=(quote,))})
    assert c.origins["b"] == "a"
    assert c.origin_reasons["b"].startswith("shares quotation: 'this is the biggest russian")


def test_short_shared_quote_does_not_link() -> None:
    quote = "a good sign"
    a = art("a", f'{BODY_A} It is "{quote}," he said.')
    b = art("b", f'{BODY_B} It is "{quote}," she said.', D2)
    c = corroborate("e", [a, b], {"a": facts(quotes=(quote,)), "b": facts(quotes=(quote,))})
    assert c.origins == {"a": "a", "b": "b"}


def test_wire_attributions() -> None:
    assert wire_sources("KYIV (AP) — The ministry said") == {"AP"}
    assert wire_sources("he told reporters, as per the Associated Press (AP).") == {"AP"}
    assert wire_sources(
        "Fraser reported from Ankara. Dasha Litvinova contributed to this report."
    ) == {"AP"}
    assert wire_sources("the troops left, Reuters reported.") == {"Reuters"}
    assert wire_sources("according to AFP, the talks failed") == {"AFP"}
    assert wire_sources("Daily Sabah, grounding its info from various sources, reports") == {
        "Daily Sabah"
    }
    assert wire_sources("Reporting by Tom Balmforth; Editing by Alex Richardson") == {"Reuters"}
    assert wire_sources(BODY_A) == set()


def test_same_wire_links() -> None:
    a = art("a", BODY_A + " Fraser reported from Ankara.")
    b = art("b", BODY_B + " The minister spoke, as per the Associated Press (AP).", D2)
    c = corroborate("e", [a, b], {})
    assert c.origins["b"] == "a"
    assert c.origin_reasons["b"] == "same wire attribution (AP)"


def test_independent_reports_with_common_phrases_stay_apart() -> None:
    a = art("a", "Russia moved 30,000 troops, officials said on Thursday. " + BODY_A)
    b = art("b", "Russia moved 30,000 troops, NATO said on Thursday. " + BODY_B, D2)
    c = corroborate("e", [a, b], {})
    assert c.origins == {"a": "a", "b": "b"}
    assert c.origin_reasons == {"a": "independent", "b": "independent"}


def test_paraphrase_alignment() -> None:
    a_text = (
        "The ministry closed the northern border crossing after heavy fighting overnight. "
        "Local officials reported long queues of trucks waiting near the town of Sumy. "
        "Farmers complained loudly about the delays and their lost income this season. "
        "Police patrols were increased along the main road to the capital."
    )
    b_text = (
        "After heavy fighting overnight the ministry closed the northern border crossing. "
        "Long queues of trucks waiting near the town of Sumy were reported by local officials. "
        "Farmers loudly complained about the delays and lost income this season. "
        "Along the main road to the capital police patrols were increased."
    )
    c = corroborate("e", [art("a", a_text), art("b", b_text, D2)], {})
    assert c.origins["b"] == "a"
    assert c.origin_reasons["b"].startswith("paraphrase alignment ")


def test_vectors_alignment() -> None:
    rng = np.random.default_rng(0)
    va = rng.normal(size=(5, 16))
    vb = va[::-1] + rng.normal(scale=0.01, size=(5, 16))
    arts = [art("a", BODY_A), art("b", BODY_B, D2)]
    assert corroborate("e", arts, {}).origins["b"] == "b"
    c = corroborate("e", arts, {}, vectors={"a": va, "b": vb})
    assert c.origins["b"] == "a"
    assert c.origin_reasons["b"].startswith("paraphrase alignment 1.00")


def test_earliest_with_unknown_dates_and_ties() -> None:
    arts = [art("b", BODY_A, D1), art("a", BODY_A, D1), art("c", BODY_A, None)]
    c = corroborate("e", arts, {})
    assert set(c.origins.values()) == {"a"}


# ------------------------------------------------------------------ claims


def test_forecast_vs_fact_conflict_one_origin() -> None:
    quote = "we have seen a significant movement of Russian military forces into Belarus"
    arts = [
        art("000", BODY_A + quote),
        art("001", BODY_B + quote, D1),
        art("002", "Other text. " + quote, D2),
    ]
    f = {
        "000": facts(
            q(30000, "troops", "forecast", subject="Russia", place="Belarus"), quotes=(quote,)
        ),
        "001": facts(
            q(30000, "troops", "forecast", subject="Russia", place="Belarus"), quotes=(quote,)
        ),
        "002": facts(q(30000, "combat troops", "approximate", place="Belarus"), quotes=(quote,)),
    }
    c = corroborate("E1", arts, f)
    (g,) = c.claims
    assert g.articles == ["000", "001", "002"]
    assert g.origins == 1
    assert g.first == "000"
    assert g.subject == "Russia"
    assert g.conflict == "30,000 stated as forecast (000, 001) and as fact (002)"
    assert [m["article"] for m in g.members] == ["000", "001", "002"]
    assert set(g.members[0]) >= {
        "article",
        "value",
        "value_max",
        "modality",
        "surface",
        "start",
        "end",
    }


def test_bound_and_value_are_compatible() -> None:
    arts = [art("a", BODY_A), art("b", BODY_B, D2)]
    f = {"a": facts(q(100000, modality="bound", bound="lower")), "b": facts(q(100000))}
    (g,) = corroborate("e", arts, f).claims
    assert g.conflict is None
    assert g.origins == 2


def test_close_values_conflict() -> None:
    arts = [art("a", BODY_A), art("b", BODY_B, D2)]
    f = {"a": facts(q(42, "deaths")), "b": facts(q(45, "dead"))}
    (g,) = corroborate("e", arts, f).claims
    assert g.conflict == "values differ: 42 vs 45"


def test_approximate_tolerates_rounding() -> None:
    arts = [art("a", BODY_A), art("b", BODY_B, D2)]
    f = {"a": facts(q(42, "deaths", "approximate")), "b": facts(q(40, "deaths"))}
    (g,) = corroborate("e", arts, f).claims
    assert g.conflict is None


def test_distinct_values_and_subjects_are_separate_claims() -> None:
    arts = [art("a", BODY_A), art("b", BODY_B, D2)]
    f = {
        "a": facts(q(100000, subject="Russia"), q(30000, subject="Russia"), q(2000, subject="US")),
        "b": facts(q(2000, subject="Russia"), q(1000)),
    }
    claims = corroborate("e", arts, f).claims
    assert sorted((c.values[0], c.subject, len(c.articles)) for c in claims) == [
        (1000, None, 1), (2000, "Russia", 1), (2000, "US", 1), (30000, "Russia", 1),
        (100000, "Russia", 1),
    ]  # fmt: skip


def test_unknown_subject_joins_a_group() -> None:
    arts = [art("a", BODY_A), art("b", BODY_B, D2)]
    f = {"a": facts(q(2000, subject="US")), "b": facts(q(2000))}
    (g,) = corroborate("e", arts, f).claims
    assert (g.subject, g.articles) == ("US", ["a", "b"])


def test_negated_and_thingless_are_not_claims() -> None:
    arts = [art("a", BODY_A)]
    f = {"a": facts(q(400, ""), q(5000, negated=True))}
    assert corroborate("e", arts, f).claims == []


def test_ranges_use_their_midpoint() -> None:
    arts = [art("a", BODY_A), art("b", BODY_B, D2)]
    f = {"a": facts(q(40, "people", value_max=50)), "b": facts(q(45, "people"))}
    (g,) = corroborate("e", arts, f).claims
    assert g.conflict is None


def test_fmt_value() -> None:
    assert fmt_value(30000.0) == "30,000"
    assert fmt_value(4.2) == "4.2"


# ------------------------------------------------------------------ which values are one claim


def test_distinct_figures_of_one_thing_stay_apart() -> None:
    # 12,000 and 9,000 are within 25% of each other: they used to be joined as a
    # conflict although nothing says they count the same troops
    arts = [art("a", BODY_A), art("b", BODY_B, D2)]
    f = {"a": facts(q(12000, subject="Russia")), "b": facts(q(9000))}
    claims = corroborate("e", arts, f).claims
    assert sorted((c.values, c.conflict) for c in claims) == [([9000], None), ([12000], None)]


def test_two_figures_of_one_article_are_two_claims() -> None:
    arts = [art("a", BODY_A)]
    f = {"a": facts(q(12000, subject="Russia"), q(10000, subject="Russia"))}
    claims = corroborate("e", arts, f).claims
    assert sorted(c.values[0] for c in claims) == [10000, 12000]
    assert all(c.conflict is None for c in claims)


def test_same_subject_differing_figures_conflict() -> None:
    arts = [art("a", BODY_A), art("b", BODY_B, D2)]
    f = {
        "a": facts(q(30000, subject="Russia", place="Belarus")),
        "b": facts(q(28000, subject="Russia")),
    }
    (g,) = corroborate("e", arts, f).claims
    assert g.conflict == "values differ: 28,000 vs 30,000"


def test_overlapping_approximate_and_bound_join() -> None:
    arts = [art("a", BODY_A), art("b", BODY_B, D2), art("c", BODY_A + " More.", D3)]
    f = {
        "a": facts(q(10000, modality="bound", bound="lower")),
        "b": facts(q(11000, modality="approximate")),
        "c": facts(q(8000)),
    }
    claims = corroborate("e", arts, f).claims
    assert sorted((c.values, c.conflict) for c in claims) == [
        ([8000], None),
        ([10000, 11000], None),
    ]


def test_conflicting_tolls_stay_one_claim() -> None:
    arts = [art("a", BODY_A), art("b", BODY_B, D2)]
    f = {"a": facts(q(61, "people killed")), "b": facts(q(55, "deaths"))}
    (g,) = corroborate("e", arts, f).claims
    assert g.conflict == "values differ: 55 vs 61"


def test_long_texts_bypass_the_per_text_caches() -> None:
    from newsfold import corroborate as c

    long_text = "Officials said the river rose again. " * (c.CACHE_MAX_CHARS // 30)
    before = c._cached_text_features.cache_info().currsize
    sets, _ = c._text_features(long_text)
    assert sets and c._cached_text_features.cache_info().currsize == before
    short = "The river rose again on Tuesday, officials said."
    assert c._text_features(short) == c._read_text_features(short)  # cached equals fresh
    assert c._wires(long_text) == frozenset(c.wire_sources(long_text))
