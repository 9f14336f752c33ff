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

SYNTH_2K_P = 0.73  # (0.742; session 2: 0.721)
SYNTH_2K_F1 = 0.835  # (0.846; session 2: 0.817)
# Share of each language's articles placed in the event holding most of the English
# articles of their gold event (benchmarks.multilingual.join_shares); session 3 took the
# non-English ones from 0.81-0.93 to 0.94-0.96 (figures in parentheses).
SYNTH_2K_JOIN = {
    "en": 0.985,  # (0.994)
    "de": 0.94,  # (0.962)
    "fr": 0.935,  # (0.956)
    "es": 0.92,  # (0.939)
    "it": 0.935,  # (0.955)
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
