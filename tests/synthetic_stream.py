"""The first 2,000 articles of the synthetic crawl with real vectors, built once per test
session: the event and storyline gates read the same stream (embedding it costs most)."""

from __future__ import annotations

import sys
from functools import lru_cache
from pathlib import Path
from typing import Any

from newsfold.features import DocFeatures, doc_features

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # benchmarks/ is a folder beside src/, not installed
    sys.path.insert(0, str(ROOT))

from benchmarks.synth import Generator  # noqa: E402  # needs the path set just above


@lru_cache(maxsize=1)
def synthetic_2k() -> tuple[list[Any], list[DocFeatures]]:
    """(generator docs with their labels, their features) in date order, seed 1."""
    from newsfold.embed import lead, make_embedder

    docs = Generator(1, days=60).first(2000)
    texts = [(d.title, "\n\n".join(d.paragraphs)) for d in docs]
    vectors = make_embedder("use-m3").embed([lead(t, b) for t, b in texts])
    feats = [
        doc_features(d.id, title, body, vector, d.date, d.language, date_sure=True)
        for d, (title, body), vector in zip(docs, texts, vectors, strict=True)
    ]
    return docs, feats
