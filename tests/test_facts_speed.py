"""The facts speed benchmark (benchmarks/facts_speed.py) keeps working: articles are
built, extraction and corroboration run in this process, figures come back."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from newsfold.facts.evaluate import make_article

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # benchmarks/ is a folder beside src/, not installed
    sys.path.insert(0, str(ROOT))
from benchmarks import facts_speed  # noqa: E402  # needs the path set just above

BENCH = ROOT.parent / "shared" / "bench"


def test_share_out_keeps_events_whole_and_balances() -> None:
    events = [[make_article(f"{e}-{i}", "x" * size) for i in range(n)] for e, n, size in
              [("a", 3, 100), ("b", 1, 250), ("c", 2, 100), ("d", 1, 50)]]  # fmt: skip
    shares = facts_speed.share_out(events, 2)
    assert sorted(len(ev) for share in shares for ev in share) == [1, 1, 2, 3]
    loads = [sum(len(a.text) for ev in share for a in ev) for share in shares]
    assert sorted(loads) == [350, 450]  # largest first, each to the lighter share


def test_run_on_synthetic_articles() -> None:
    pairs = facts_speed.load_articles("synth", 12, 3000, 10)
    assert len(pairs) == 12
    r = facts_speed.run(pairs, processes=1, batch=8, ner_scope="selected")
    assert r["articles"] == 12
    assert r["cpu_ms_per_article"] > 0
    assert {"ner", "parse", "rules", "quantities", "quotes"} <= set(r["stage_cpu_ms_per_article"])
    assert "| 1 | 12 |" in facts_speed.markdown("synth", [r], facts_speed.machine())


@pytest.mark.slow
@pytest.mark.skipif(not (BENCH / "ecbplus").exists(), reason="shared/bench not available")
def test_ecbplus_articles_are_about_3kb_and_labelled() -> None:
    pairs = facts_speed.ecbplus_articles(50, 3000, BENCH)
    assert len(pairs) == 50
    assert all(2400 <= len(a.text) <= 3100 for a, _ in pairs)
    assert len({ev for _, ev in pairs}) < 50  # several articles per event
