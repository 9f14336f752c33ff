"""Quality gate on storylines over a dated multi-outlet stream: they must not collapse.

The synthetic crawl (:mod:`benchmarks.synth`, seed 1, first 2,000 articles, real
embedder) holds storylines of 1-4 events of eight kinds in invented places, so events of
the same kind look alike on topic; only their places, people and organisations tell
storylines apart. Storylines linked on topic and on relative name shares collapsed there
(13 storylines for 366, BCubed precision 0.021, F1 0.040); the rare-name gate in
:mod:`newsfold.storylines` keeps them apart. Events are linked as the pipeline links them:
where the stream enters a new week and at the end of a run (batch boundaries play no
part); floors sit just under the figures reached (in parentheses).
"""

from __future__ import annotations

import pytest
from benchmarks.storyline_long import measure, replay, stream

from newsfold.evaluate import bcubed
from newsfold.storylines import LINK_DAYS
from synthetic_stream import synthetic_2k  # tests/ is on the path (pytest rootdir)

pytestmark = pytest.mark.slow

SYNTH_2K_LINE_P = 0.96  # (0.973 with the merge name veto, session 13; 0.942 with cap_sure,
# session 12; 0.941, F1 0.957 with RARE_INSIDE;
# session 3: 0.859; session 2: 0.701)
SYNTH_2K_LINE_F1 = 0.965  # (0.977; 0.956; 0.957; session 3: 0.913; session 2: 0.811)
SYNTH_2K_LINE_P_TINY = 0.95  # (0.963 with rounds every 4 articles; 0.932 before the merge
# name veto, 0.895 before RARE_SHARE,
# 0.472 before RARE_INSIDE)
# storylines of up to 10 events over months (benchmarks/storyline_long.py, 1,500 articles,
# seed 1): 0.991 / 0.983 / 0.987 with the merge name veto (session 13); 0.979 / 0.977 /
# 0.978 with cap_sure; 0.971 / 0.962 / 0.966 before; 0.960 / 0.932 / 0.946 before RARE_SHARE
LONG_LINE_P = 0.98
LONG_LINE_R = 0.973
LONG_LINE_F1 = 0.977


def _storylines(
    rounds: int | None = None, runs: int | None = None
) -> tuple[tuple[float, float, float, int], dict[str, str]]:
    """Storyline BCubed (and the storyline of each article) on the synthetic 2k stream,
    linked where the stream enters a new link period, at the end of the stream, and:
    ``rounds``: in a final round every that many articles (as undated articles released
    early make the pipeline do); ``runs``: in runs of that many articles, each ending with
    a provisional round that the next run undoes first (as Pipeline runs do)."""
    assert LINK_DAYS == 7  # the figures above were measured with weekly rounds
    docs, feats = synthetic_2k()
    _, pred, lines = replay(feats, rounds=rounds, runs=runs)
    p, r, f = bcubed({d.id: d.label["storyline"] for d in docs}, pred)
    return (p, r, f, lines), pred


def test_synthetic_stream_storylines_do_not_collapse() -> None:
    (p, r, f, lines), _ = _storylines()
    assert p >= SYNTH_2K_LINE_P, (p, r, f, lines)
    assert f >= SYNTH_2K_LINE_F1, (p, r, f, lines)


def test_storylines_hold_with_rounds_every_few_articles() -> None:
    """Linked and summed again every few articles (undated articles released early make
    the pipeline do so; every run end did before its links became provisional),
    storylines once snowballed (P 0.47 with rounds every 4 articles, 0.27 with every one)
    until the rare-name gate asked for names that two of the storyline's events hold
    (RARE_INSIDE)."""
    (p, r, f, lines), _ = _storylines(rounds=4)
    assert p >= SYNTH_2K_LINE_P_TINY, (p, r, f, lines)


def test_tiny_runs_give_the_storylines_of_one_run() -> None:
    """A desk that runs newsfold every few articles: each run's end links provisionally,
    the next run undoes that first, so the storylines are those of one run."""
    one = _storylines()
    assert _storylines(runs=4) == one


def test_long_storylines_are_not_cut_up() -> None:
    """Storylines of up to 10 events 7-60 days apart (months long) stay whole: in the
    stream's first weeks, weekdays and common first names no longer pass as rare names
    and link unrelated events (RARE_SHARE), which had cut long storylines into pieces."""
    docs, feats = stream(1500, seed=1, max_events=10, days=240, embedder="use-m3")
    found = measure(docs, feats)
    p, r, f = found["storylines_bcubed"]
    assert p >= LONG_LINE_P and r >= LONG_LINE_R and f >= LONG_LINE_F1, found
