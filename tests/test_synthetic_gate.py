"""Quality gate on a dated multi-outlet stream: different same-day events stay apart.

The ECB+ gate (tests/test_eval_gate.py) has no publication dates; this one runs the
clusterer with the real embedder over the first 2,000 articles of the synthetic crawl
(:mod:`benchmarks.synth`, seed 1: eight kinds of events, five languages, wire copies,
rewrites, all dated). An earlier event model joined unrelated same-day events there
(BCubed precision 0.53 at 2,000 articles, 0.19 pairwise at 10k); floors sit just under
the figures reached (in parentheses).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from newsfold.evaluate import bcubed
from newsfold.events import StreamingClusterer
from newsfold.features import doc_features

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # benchmarks/ is a folder beside src/, not installed
    sys.path.insert(0, str(ROOT))

from benchmarks.synth import Generator  # noqa: E402  # needs the path set just above

pytestmark = pytest.mark.slow

SYNTH_2K_P = 0.70  # (0.721)
SYNTH_2K_F1 = 0.80  # (0.817)


def test_synthetic_stream_events_are_not_over_merged() -> None:
    from newsfold.embed import lead, make_embedder

    gen = Generator(1, days=60)
    docs: list = []
    for line, event in gen.stories():
        if len(docs) >= 2000:
            break
        docs += gen.reports(line, event)[: 2000 - len(docs)]
    docs.sort(key=lambda d: (d.date, d.id))
    texts = [(d.title, "\n\n".join(d.paragraphs)) for d in docs]
    vectors = make_embedder("use-m3").embed([lead(t, b) for t, b in texts])
    clusterer = StreamingClusterer()
    for d, (title, body), vector in zip(docs, texts, vectors, strict=True):
        clusterer.add(doc_features(d.id, title, body, vector, d.date, d.language))
    pred = {m: e.id for e in clusterer.events.values() for m in e.members}
    p, r, f = bcubed({d.id: d.label["event"] for d in docs}, pred)
    assert p >= SYNTH_2K_P, (p, r, f)
    assert f >= SYNTH_2K_F1, (p, r, f)
