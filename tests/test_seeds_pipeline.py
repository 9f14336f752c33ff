"""The five real seed articles through the whole default pipeline (../shared/seeds)."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsfold.export import export_rows
from newsfold.pipeline import Pipeline, PipelineOptions
from newsfold.store import open_store

pytestmark = pytest.mark.slow

# From ../shared/seeds/EXPECTED.md
EXPECTED_DATES = {
    "000": "2022-02-03",
    "001": "2022-02-03",
    "002": "2022-02-03",
    "003": "2022-10-17",
    "004": "2022-01-28",
}
EXPECTED_EVENTS = [{"000", "001", "002"}, {"003"}, {"004"}]


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory):
    seeds = Path(__file__).resolve().parents[2] / "shared" / "seeds"
    if not seeds.is_dir():
        pytest.skip("../shared/seeds is not there")
    db = tmp_path_factory.mktemp("seeds") / "seeds.db"
    store = open_store(str(db))
    stats = Pipeline(store, PipelineOptions()).run([str(seeds)])
    yield seeds, store, stats
    store.close()


def _rows(store) -> dict[str, dict]:
    return {r["id"][:3]: r for r in export_rows(store)}


def test_three_events_one_storyline(seeded) -> None:
    _, store, stats = seeded
    assert stats.new == 5 and stats.rejected == 0
    rows = _rows(store)
    groups: dict[str, set[str]] = {}
    for key, row in rows.items():
        groups.setdefault(row["event"], set()).add(key)
    assert sorted(groups.values(), key=min) == EXPECTED_EVENTS
    assert len({row["storyline"] for row in rows.values()}) == 1


def test_each_placement_is_logged_with_its_score(seeded) -> None:
    _, store, _ = seeded
    rows = _rows(store)
    placed = store.placements(r["id"] for r in rows.values())
    assert set(placed) == {r["id"] for r in rows.values()}
    by_key = {k: placed[r["id"]] for k, r in rows.items()}
    # the three reports of the first event: one founded it, two joined it, scored
    first = [by_key[k] for k in ("000", "001", "002")]
    assert sum("score" in p for p in first) == 2, first
    assert all(p["score"] >= p["threshold"] for p in first if "score" in p)
    # the two other events were founded, each with its best candidate under the threshold
    for key in ("003", "004"):
        assert "score" not in by_key[key]
        assert by_key[key].get("runner_up_score", 0.0) < by_key[key]["threshold"]


def test_dates_as_labelled(seeded) -> None:
    _, store, _ = seeded
    rows = _rows(store)
    assert {k: r["published"] for k, r in rows.items()} == EXPECTED_DATES
    assert rows["002"]["date_source"] == "header"
    assert rows["004"]["date_source"] == "context"
    assert rows["004"]["date_confidence"] < 0.5


def test_rerun_is_idempotent(seeded) -> None:
    seeds, store, _ = seeded
    before = list(export_rows(store))
    counts = store.counts()
    stats = Pipeline(store, PipelineOptions()).run([str(seeds)])
    assert stats.new == 0 and stats.unchanged == 5
    assert list(export_rows(store)) == before
    assert store.counts() == counts
