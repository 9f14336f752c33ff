"""The hand-labelled facts of the five seed articles (shared/seeds/EXPECTED.md)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from newsfold.corroborate import corroborate
from newsfold.facts import FactExtractor
from newsfold.facts.evaluate import load_seed_articles, score_seed_facts

SEEDS = Path(__file__).parents[2] / "shared" / "seeds"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not (SEEDS / "EXPECTED.md").exists(), reason="shared/seeds not available"),
]


@pytest.fixture(scope="module")
def fx() -> Iterator[FactExtractor]:
    yield FactExtractor()


@pytest.fixture(scope="module")
def report(fx: FactExtractor) -> dict[str, Any]:
    return score_seed_facts(SEEDS, fx)


@pytest.fixture(scope="module")
def e1(fx: FactExtractor) -> Any:
    arts, events = load_seed_articles(SEEDS)
    e1_arts = [a for a in arts if events[a.id] == "E1"]
    facts = dict(zip([a.id for a in e1_arts], fx.extract_many(e1_arts), strict=True))
    return corroborate("E1", e1_arts, facts)


def test_every_seed_check_passes(report: dict[str, Any]) -> None:
    assert report["failed"] == []
    assert report["passed"] == report["total"] >= 20


def test_e1_one_origin_through_shared_quotes(e1: Any) -> None:
    assert set(e1.origins.values()) == {"000"}
    assert e1.origin_reasons["001"].startswith("shares quotation")
    assert e1.origin_reasons["002"].startswith("shares quotation")


def test_e1_30000_conflict(e1: Any) -> None:
    (g,) = [c for c in e1.claims if 30000 in c.values]
    assert g.origins == 1
    assert g.conflict is not None
    assert "stated as forecast (000, 001)" in g.conflict
    assert "002" in g.conflict.split("as fact")[1]


def test_e1_claims_are_the_labelled_ones(e1: Any) -> None:
    troop_values = sorted({c.values[0] for c in e1.claims if "troop" in c.thing})
    assert troop_values == [1000, 2000, 30000, 100000]
