from __future__ import annotations

import datetime as dt

from newsfold.dedupe import Deduper, MinHasher, jaccard_estimate

BASE = (
    "Heavy rain flooded the lower districts of Nordvik on Tuesday, forcing more than "
    "3,000 residents from their homes, the city's emergency office said. Rescue teams "
    "used boats to reach families trapped on rooftops along the river, and the mayor "
    "asked people to stay away from the embankments until the water recedes."
)


def test_estimate_tracks_true_jaccard() -> None:
    hasher = MinHasher()
    a, b = hasher.signature(BASE), hasher.signature(BASE + " The army sent two trucks.")
    assert jaccard_estimate(a, a) == 1.0
    assert jaccard_estimate(a, b) > 0.75
    other = hasher.signature("Completely different text about the stock market and bonds " * 3)
    assert jaccard_estimate(a, other) < 0.1


def test_copies_link_to_the_earliest() -> None:
    d = Deduper()
    _, canon, _ = d.add("late", "h1", BASE, dt.date(2025, 3, 5))
    assert canon is None
    # an earlier-published copy arriving later becomes the canonical
    _, canon, moved = d.add("early", "h2", BASE + " Updated.", dt.date(2025, 3, 4))
    assert canon is None
    assert moved == {"late": "early"}
    _, canon, _ = d.add("third", "h3", "Breaking: " + BASE, None)
    assert canon == "early"
    _, canon, _ = d.add("rewrite", "h4", "Officials in Nordvik said thousands left homes.", None)
    assert canon is None


def test_exact_hash_match_is_a_copy_even_when_short() -> None:
    d = Deduper()
    d.add("a", "same", "Short.", None)
    _, canon, _ = d.add("b", "same", "Short.", None)
    assert canon == "a"


def test_reload_from_rows() -> None:
    d = Deduper()
    sig, _, _ = d.add("a", "h", BASE, dt.date(2025, 3, 4))
    fresh = Deduper()
    fresh.load([("a", "h", sig.tobytes(), dt.date(2025, 3, 4), len(BASE), None)])
    _, canon, _ = fresh.add("b", "h2", BASE + " More.", dt.date(2025, 3, 6))
    assert canon == "a"


def test_a_date_found_later_counts_like_a_reloaded_one() -> None:
    d = Deduper()
    d.add("undated", "h1", BASE, None)
    _, canon, _ = d.add("dated", "h2", BASE + " More.", dt.date(2025, 3, 5))
    assert canon is None  # a dated copy outranks an undated one
    d.set_published("undated", dt.date(2025, 3, 4))  # re-dating found an earlier date
    _, canon, moved = d.add("third", "h3", BASE + " Even more.", dt.date(2025, 3, 6))
    assert canon == "undated" and moved == {"dated": "undated", "undated": "undated"}
