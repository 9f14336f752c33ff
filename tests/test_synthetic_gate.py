"""Quality gate on a dated multi-outlet stream: different same-day events stay apart.

The ECB+ gate (tests/test_eval_gate.py) has no publication dates; this one runs the
clusterer with the real embedder over the first 2,000 articles of the synthetic crawl
(:mod:`benchmarks.synth`, seed 1: eight kinds of events, five languages, wire copies,
rewrites, all dated). An earlier event model joined unrelated same-day events there
(BCubed precision 0.53 at 2,000 articles, 0.19 pairwise at 10k); floors sit just under
the figures reached (in parentheses).
"""

from __future__ import annotations

import pytest

from newsfold.evaluate import bcubed
from newsfold.events import StreamingClusterer
from synthetic_stream import synthetic_2k  # tests/ is on the path (pytest rootdir)

pytestmark = pytest.mark.slow

SYNTH_2K_P = 0.965  # (0.976 with the merge name veto, session 13; 0.951 with cap_sure,
# session 12; 0.871; session 3: 0.742; session 2: 0.721)
SYNTH_2K_F1 = 0.968  # (0.978; 0.963; 0.917; session 3: 0.846; session 2: 0.817)
# Share of each language's articles placed in the event holding most of the English
# articles of their gold event (benchmarks.multilingual.join_shares); session 3 took the
# non-English ones from 0.81-0.93 to 0.94-0.96 (figures in parentheses, session 3's after).
# German lowered on purpose, 0.94 -> 0.93: session 4's event model (who-and-where
# disagreement, dated evidence weighed by competing events) places 2 fewer of this
# stream's 79 German articles (0.962 -> 0.937) while over generator seeds 1-3 the German
# share is unchanged (0.962 both; `python -m benchmarks.multilingual --seeds 1 2 3`) and
# French, Spanish and Italian rose 0.953/0.934/0.941 -> 0.970/0.964/0.970. English lowered
# too, 0.985 -> 0.98 (0.994 -> 0.983 here, 0.993 -> 0.989 over seeds 1-3).
SYNTH_2K_JOIN = {
    "en": 0.98,  # (0.990 with cap_sure; 0.983; 0.994)
    "de": 0.93,  # (0.937; 0.962)
    "fr": 0.97,  # (0.978; 0.956)
    "es": 0.94,  # (0.960 with cap_sure; 0.949; 0.939)
    "it": 0.955,  # (0.964; 0.955)
}


def test_synthetic_stream_events_are_not_over_merged() -> None:
    docs, feats = synthetic_2k()
    clusterer = StreamingClusterer()
    for doc in feats:
        clusterer.add(doc)
    pred = {m: e.id for e in clusterer.events.values() for m in e.members}
    p, r, f = bcubed({d.id: d.label["event"] for d in docs}, pred)
    assert p >= SYNTH_2K_P, (p, r, f)
    assert f >= SYNTH_2K_F1, (p, r, f)
    # multilingual: articles in other languages join the event of their English reports
    from benchmarks.multilingual import join_shares  # importable once synthetic_stream ran

    shares = {lang: hit / total for lang, (hit, total) in join_shares(docs, pred).items()}
    assert set(shares) == set(SYNTH_2K_JOIN), shares
    for lang, floor in SYNTH_2K_JOIN.items():
        assert shares[lang] >= floor, (lang, shares)
