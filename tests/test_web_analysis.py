"""What the pages compute: origin groups, summaries, highlights, key numbers, SVG."""

from __future__ import annotations

import re
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from newsfold.web import analysis, svg


def art(
    aid: str, published: str | None = None, dup: str | None = None, **kw: Any
) -> dict[str, Any]:
    return {"id": aid, "published": published, "duplicate_of": dup, "seq": 0, **kw}


def test_origin_groups_follow_corroboration_then_copies() -> None:
    arts = [
        art("a", "2025-03-04"),
        art("b", "2025-03-05", dup="a"),
        art("c", "2025-03-05"),
        art("d", None),
    ]
    groups = analysis.origin_groups(
        arts,
        {
            "origins": {"a": "a", "b": "a", "c": "a", "d": "d"},
            "origin_reasons": {"c": "cites Meridian Wire"},
        },
    )
    assert [(g.head["id"], [c["id"] for c in g.copies]) for g in groups] == [
        ("a", ["b", "c"]),
        ("d", []),
    ]
    assert groups[0].copies[1]["origin_reason"] == "cites Meridian Wire"
    assert groups[0].copies[0]["origin_reason"] == "near-verbatim copy"
    without = analysis.origin_groups(arts, None)
    assert [(g.head["id"], len(g.copies)) for g in without] == [("a", 1), ("c", 0), ("d", 0)]
    weird = analysis.origin_groups(arts, {"origins": ["not", "a", "map"], "origin_reasons": 3})
    assert len(weird) == 3


def test_sentences_keep_offsets() -> None:
    text = 'First one here. "Quoted, too," he said. Mr. X came.\n\nNew paragraph! 42 more.'
    spans = analysis.sentences(text)
    pieces = [text[s:e] for s, e in spans]
    assert pieces[0] == "First one here."
    assert pieces[1] == '"Quoted, too," he said.'
    assert pieces[-1] == "42 more."
    assert all(text[s:e].strip() == text[s:e] for s, e in spans)


def test_summary_prefers_what_reports_share_and_cites_each_sentence() -> None:
    docs = [
        art(
            "w",
            "2025-03-04",
            language="en",
            title="wire",
            text=(
                "Floods killed 42 people in the Oska valley on Tuesday, officials said. "
                "The weather service had warned about heavy rain for days before. "
                "A local football match was cancelled as well."
            ),
        ),
        art(
            "l",
            "2025-03-05",
            language="en",
            title="local",
            text=(
                "The governor said 45 people were killed by floods in the Oska valley. "
                "Rescue teams from Nordvik reached Brannock late on Wednesday night."
            ),
        ),
        art(
            "f",
            "2025-03-05",
            language="fr",
            title="fr",
            text=("Les inondations dans la vallée de l'Oska ont fait 42 morts mardi soir."),
        ),
    ]
    summary = analysis.summarize(docs)
    assert 1 <= len(summary) <= 3
    # the sentence both reports share comes in once, not twice
    assert sum("killed" in s["text"] for s in summary) == 1
    assert [s["published"] for s in summary] == sorted(s["published"] for s in summary)
    for s in summary:
        doc = next(d for d in docs if d["id"] == s["article"])
        assert doc["text"][s["start"] : s["end"]] == s["text"]
        assert doc["language"] == "en"  # the main language only
    assert analysis.summarize([]) == []
    assert analysis.summarize([art("x", text="   ")]) == []


def test_segments_cover_the_text_with_nested_marks() -> None:
    text = 'Governor Lena Okafor said "42 people died in Dunmere" on Tuesday.'
    facts = {
        "entities": [
            {"start": 9, "end": 20, "text": "Lena Okafor", "label": "PERSON"},
            {"start": 45, "end": 52, "text": "Dunmere", "label": "GPE"},
        ],
        "quantities": [
            {"start": 27, "end": 36, "value": 42, "thing": "deaths", "modality": "fact"}
        ],
        "quotes": [{"start": 27, "end": 52, "speaker": "Lena Okafor"}],
        "dates": [
            {"start": 57, "end": 64, "date": "2025-03-04"},
            {"start": 60, "end": 999, "date": "bad offsets"},
            {"start": "x", "end": 3},
        ],
        "junk": None,
    }
    marks = analysis.fact_marks(text, facts)
    assert len(marks) == 5
    segs = analysis.segments(text, marks)
    assert "".join(s["text"] for s in segs) == text
    forty_two = next(s for s in segs if s["text"].startswith("42"))
    assert forty_two["kinds"] == "hl-quote hl-quantity"
    assert forty_two["title"].startswith("deaths = 42 (fact)")
    assert analysis.segments("", []) == []


@given(
    st.text(max_size=60), st.lists(st.tuples(st.integers(-5, 70), st.integers(-5, 70)), max_size=8)
)
def test_segments_always_rebuild_the_text(text: str, spans: list[tuple[int, int]]) -> None:
    facts = {"entities": [{"start": a, "end": b, "text": "x"} for a, b in spans]}
    segs = analysis.segments(text, analysis.fact_marks(text, facts))
    assert "".join(s["text"] for s in segs) == text


def test_claim_rows_and_key_numbers() -> None:
    events: list[dict[str, Any]] = [
        {"id": "e1", "first_date": "2025-04-02", "title": "one"},
        {"id": "e2", "first_date": "2025-04-23", "title": "two"},
        {"id": "e3", "first_date": None, "title": "undated"},
    ]
    corr: dict[str, Any] = {
        "e1": {
            "origins": {"a": "a", "b": "b"},
            "claims": [
                {
                    "thing": "troops",
                    "values": [3000, 10000],
                    "modalities": ["approximate", "forecast"],
                    "origins": 2,
                    "conflict": "forecast and fact",
                    "members": [
                        {"article": "a", "value": 3000, "modality": "approximate"},
                        {"article": "b", "value": 3000, "modality": "approximate"},
                        {"article": "a", "value": 10000, "modality": "forecast"},
                    ],
                },
                {"thing": "money", "values": [[1, 2]], "members": []},
                "junk",
            ],
        },
        "e2": {"claims": [{"thing": "troops", "values": [12000], "modalities": ["fact"]}]},
        "e3": {"claims": [{"thing": "troops", "values": [1]}]},
    }
    rows = analysis.claim_rows(corr["e1"])
    assert rows[0]["thing"] == "troops" and rows[0]["conflict"]
    assert rows[0]["values_text"] == "3,000, 10,000"
    series = analysis.key_numbers(events, corr)
    troops = next(s for s in series if s["thing"] == "troops")
    assert [(p["event"], p["value"], p["origins"]) for p in troops["points"]] == [
        ("e1", 3000.0, 2),
        ("e2", 12000.0, 1),
    ]
    assert troops["points"][0]["conflict"] == "forecast and fact"
    assert series[0]["thing"] == "troops"  # seen in most events first
    assert analysis.key_numbers([], {}) == []


def test_number_formats() -> None:
    assert analysis.fmt_number(12000) == "12,000"
    assert analysis.fmt_number(17.2) == "17.2"
    assert analysis.fmt_number([40, 50]) == "40–50"
    assert analysis.fmt_number(None) == ""
    assert analysis.fmt_compact(2_400_000_000) == "2.4 bn"
    assert analysis.fmt_compact(1_500_000) == "1.5 m"
    assert analysis.fmt_compact(800) == "800"


HOSTILE = '<script>alert(1)</script>"><img src=x onerror=alert(1)>'


def test_svg_escapes_everything_from_the_store() -> None:
    arts = [
        art(HOSTILE, "2025-03-04", title=HOSTILE, source=HOSTILE),
        art("b", "2025-03-06", dup=HOSTILE, title="copy", source="Other"),
        art("c", None, title="undated", source="Other"),
    ]
    picture = str(svg.outlet_timeline(arts))
    assert "<script" not in picture and "<img" not in picture
    assert "&lt;script&gt;" in picture and 'class="dot copy"' in picture
    assert "1 undated article(s) not shown" in picture
    assert re.search(r'href="/articles/%3Cscript%3E', picture)
    events = [
        {
            "id": HOSTILE,
            "title": HOSTILE,
            "first_date": "2025-01-01",
            "last_date": "2025-02-01",
            "articles": 3,
            "outlets": 2,
        }
    ]
    series = [
        {
            "thing": HOSTILE,
            "points": [
                {
                    "event": HOSTILE,
                    "date": "2025-01-01",
                    "value": 5.0,
                    "label": HOSTILE,
                    "conflict": HOSTILE,
                    "title": HOSTILE,
                }
            ],
        }
    ]
    chart = str(svg.storyline_chart(events, series))
    assert "<script" not in chart and "<img" not in chart and "onerror=alert(1)>" not in chart
    assert svg.outlet_timeline([art("x")]) is None
    assert svg.storyline_chart([{"id": "e", "first_date": None}], []) is None


def test_time_axis_ticks_fit_any_span() -> None:
    import datetime as dt

    for days in (0, 1, 5, 15, 40, 100, 400, 3000):
        lo = dt.date(2025, 1, 1)
        scale = svg.TimeScale([lo, lo + dt.timedelta(days=days)], 0, 100)
        ticks = scale.ticks()
        assert 1 <= len(ticks) <= 20, days
        assert all(0 <= scale(d) <= 100 for d, _ in ticks)
        assert str(ticks[0][0].year) in ticks[0][1]


def test_claim_values_given_per_member_show_once() -> None:
    record = {
        "origins": {"a": "a", "b": "a", "c": "c"},
        "claims": [
            {
                "thing": "deaths",
                "values": [42.0, 42.0, 45],
                "modalities": ["fact", "fact", "fact"],
                "origins": ["a", "c"],
                "members": [
                    {"article": "a", "value": 42.0, "modality": "fact"},
                    {"article": "b", "value": 42.0, "modality": "fact"},
                    {"article": "c", "value": 45, "modality": "fact"},
                ],
            }
        ],
    }
    (row,) = analysis.claim_rows(record)
    assert row["values_text"] == "42, 45" and row["modalities"] == ["fact"]
    assert row["origins"] == 2  # a list of origins counts as its length
    assert row["value_detail"] == (
        "42 (fact): 2 article(s), 1 origin(s); 45 (fact): 1 article(s), 1 origin(s)"
    )


def test_key_numbers_group_by_the_language_independent_thing() -> None:
    events: list[dict[str, Any]] = [
        {"id": f"e{i}", "first_date": f"2025-03-0{i}", "title": str(i)} for i in range(1, 5)
    ]
    corr: dict[str, Any] = {
        "e1": {"claims": [{"thing": "deaths", "values": [42]}]},
        "e2": {"claims": [{"thing": "morts", "values": [45]}, {"thing": "dead", "values": [44]}]},
        "e3": {"claims": [{"thing": "Tote", "values": [61]}, {"thing": "troops", "values": [9]}]},
        "e4": {"claims": [{"thing": "deaths", "values": [70]}]},
    }
    series = analysis.key_numbers(events, corr)
    assert [(s["key"], s["thing"]) for s in series] == [("death", "deaths"), ("troop", "troops")]
    assert [(p["event"], p["value"], p["thing"]) for p in series[0]["points"]] == [
        ("e1", 42, "deaths"),
        ("e2", 45, "morts"),  # one point per event: the larger of two equally backed values
        ("e3", 61, "Tote"),
        ("e4", 70, "deaths"),
    ]


def test_headline_claims_are_not_marked_in_the_body() -> None:
    from newsfold.web.analysis import fact_marks

    text = "Floods killed 12 people on Monday."
    facts = {
        "quantities": [
            {"start": 14, "end": 16, "value": 12, "thing": "people"},
            {"start": 0, "end": 2, "value": 40, "thing": "deaths", "in_title": True},
        ]
    }
    assert [(m.start, m.end) for m in fact_marks(text, facts)] == [(14, 16)]
