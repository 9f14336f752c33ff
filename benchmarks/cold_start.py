"""Same-day reports of different events at the start of a store: how often do they join?

    python -m benchmarks.cold_start [--n 500] [--pairs 4000] [--competing 1 3 10] [--model PATH]

The first ``n`` articles of the synthetic crawl (:mod:`benchmarks.synth`, seed 1, real
multilingual vectors) give every pair of English reports published the same day; each
pair is scored as the event model scores an article against a one-article event, with
``competing`` events in the week (1: a new store or a quiet feed, where being dated
together weighs most). Printed: pairs of different gold events that would join (score
>= the join threshold) and pairs of one event that would, for each ``competing``.
``--model`` takes another ``event_model.json`` (e.g. an older one from git) to compare.
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT / "src") not in sys.path:
    sys.path.insert(0, str(ROOT / "src"))
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# E402: these imports need the sys.path lines above (run as a script or a module)
from benchmarks.synth import Generator  # noqa: E402
from newsfold.events import (  # noqa: E402
    ClusterConfig,
    EventState,
    PairModel,
    StreamingClusterer,
    doc_weights,
    pair_features,
    sigmoid,
)
from newsfold.features import DocumentFrequencies, doc_features  # noqa: E402


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=500)
    parser.add_argument("--pairs", type=int, default=4000)
    parser.add_argument("--competing", type=int, nargs="+", default=[1, 3, 10])
    parser.add_argument("--model", type=Path, default=None, help="another event_model.json")
    args = parser.parse_args(argv)

    from newsfold.embed import lead, make_embedder

    docs = Generator(1, days=60).first(args.n)
    texts = [(d.title, "\n\n".join(d.paragraphs)) for d in docs]
    vectors = make_embedder("use-m3").embed([lead(t, b) for t, b in texts])
    feats = [
        doc_features(d.id, t, b, v, d.date, d.language, date_sure=True)
        for d, (t, b), v in zip(docs, texts, vectors, strict=True)
    ]
    df = DocumentFrequencies()
    for f in feats:
        df.add(f.keys())
    config = ClusterConfig()
    if args.model is not None:
        config.model = PairModel.from_json(json.loads(args.model.read_text("utf-8"))["event"])
    clusterer = StreamingClusterer(config)
    pairs = [
        (a, b)
        for a, b in itertools.combinations(range(len(docs)), 2)
        if docs[a].date == docs[b].date and docs[a].language == docs[b].language == "en"
    ]
    random.Random(0).shuffle(pairs)
    pairs = pairs[: args.pairs]
    for competing in args.competing:
        joined = {True: 0, False: 0}
        total = {True: 0, False: 0}
        for a, b in pairs:
            event = EventState(id="e", vector_sum=np.zeros_like(feats[a].vector))
            event.add(feats[a])
            w = doc_weights(feats[b], df)
            feats_ab = pair_features(feats[b], event, df, w, competing=competing)
            same = docs[a].label["event"] == docs[b].label["event"]
            total[same] += 1
            joined[same] += sigmoid(clusterer.logit(feats_ab)) >= config.model.threshold
        print(
            f"competing {competing}: different events joined {joined[False]}/{total[False]}, "
            f"same event joined {joined[True]}/{total[True]}"
        )


if __name__ == "__main__":
    main()
