"""Reproduce ``src/newsfold/data/event_model.json`` from the train and dev splits only.

    python -m benchmarks.train_pair_model [--shared ../shared] [--out PATH] [--cache DIR]

1. **event** model (article vs. current event): the ECB+ ``train`` split is read
   through the pipeline's own ingest, clean, date and embed stages, put in the
   pipeline's processing order and replayed with teacher forcing (each article
   meets the gold events built so far, through the clusterer's own candidate
   retrieval); a logistic regression learns same-event from the pair features.
   Its join threshold is 0.5 (the calibrated decision point); the event-merge
   threshold is chosen on the ``dev`` split by BCubed F1 of the real streaming
   clusterer (the whole grid is printed, lower join thresholds included).
2. **cross** model (article vs. event mostly in other languages): a logistic regression
   over what crosses languages (embedding, the event's leading names, numbers, the
   article's names),
   fitted to the SemEval-2022 Task 8 ``training_set.csv`` pairs in two languages.
3. The **pair** model (article vs. article, SemEval's Overall rating) is trained by
   ``benchmarks/train_semeval.py`` into ``newsfold/data/pair_model.json``.
4. The **time prior** is not learned (ECB+ gold events span text dates weeks apart, SemEval
   pairs none either): it is written as set in :data:`newsfold.events.TIME_PRIOR`.

The test splits are never read here.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

# E402: these imports need the sys.path lines above (run as a script or a module)
from newsfold.dating import METADATA_SOURCES  # noqa: E402
from newsfold.embed import Embedder, lead, make_embedder  # noqa: E402
from newsfold.evaluate import bcubed, semeval_rows  # noqa: E402
from newsfold.events import (  # noqa: E402
    TIME_PRIOR,
    ClusterConfig,
    PairModel,
    StreamingClusterer,
    doc_weights,
    pair_features,
)
from newsfold.features import DocFeatures, doc_features  # noqa: E402
from newsfold.ingest import iter_inputs  # noqa: E402
from newsfold.models import RawDocument, short_id  # noqa: E402
from newsfold.pairs import PairScorer  # noqa: E402

# What the event model sees (the time terms are the fixed prior, not learned).
EVENT_FEATURES = (
    "embedding",
    "embedding_max",
    "tfidf",
    "names",
    "numbers",
    "title",
    "salient",
    "covered",
    "size",
    "years",
    "year_conflict",
    "name_miss",
    "dated",
)
# "years" are the years the texts name, not the years of their dates: on a dated stream
# every pair shares one, and a model fitted on ECB+ (where only some articles carry a
# date) read that as evidence: it joined unrelated same-day events of the synthetic crawl.
# "salient"/"covered" (the names an article leads with, found in the event, and the
# names most of the event's articles lead with, found in the article) tell two
# same-kind events apart by who and where; "name_miss" (neither found) lets the model
# reject a pair whose words agree but whose who and where do not (two fires, two bids).
# "dated" replaces a plain "undated" flag: in ECB+ the dated reports (dates read from
# their URLs) are few, so "both dated" was strong evidence; on a crawl where every report
# is dated it joined unrelated same-day events (synthetic stream precision 0.74). Now
# being dated within a week of the event counts in proportion to how few events compete
# for those days (1 / events first dated within a week), and not at all further apart.
JOIN_THRESHOLD = 0.5
MERGE_TIE = 0.005  # dev F1 differences under this are noise (16 events): see train_event_model

# The cross-language model (an article against an event mostly in other languages: words
# and titles cannot match) sees only what crosses languages: the embedding, the event's
# leading names found in the article, numbers, and the article's names found in the event
# (German nouns and Romance determiners are kept out of names by newsfold.features).
CROSS_FEATURES = ("embedding", "covered", "numbers", "names")


def value(features: dict[str, float], key: str) -> float:
    """A feature, or the product of two for an interaction ("a*b")."""
    if "*" in key:
        a, b = key.split("*", 1)
        return features.get(a, 0.0) * features.get(b, 0.0)
    return features.get(key, 0.0)


def prepared_articles(docs: Sequence[dict[str, Any]]) -> list[Any]:
    """ECB+ documents (``id`` and ``text`` only) through the pipeline's ingest, clean and
    date stages, as ``newsfold run`` over one JSONL file reads them."""
    from newsfold.pipeline import prepare

    with tempfile.TemporaryDirectory() as tmp:
        jsonl = Path(tmp) / "docs.jsonl"
        jsonl.write_text(
            "".join(json.dumps({"id": d["id"], "text": d["text"]}) + "\n" for d in docs),
            encoding="utf-8",
        )
        return [prepare(i) for i in iter_inputs([str(jsonl)]) if isinstance(i, RawDocument)]


def prepare_ecb(
    shared: Path, splits: Sequence[str], embedder: Embedder, cache: Path | None
) -> dict[str, tuple[list[DocFeatures], dict[str, str]]]:
    """ECB+ documents of ``splits`` as the pipeline sees them, in its processing order."""
    from newsfold.pipeline import processing_order

    source = shared / "bench" / "ecbplus" / "docs.jsonl"
    out = {}
    for split in splits:
        docs = [json.loads(x) for x in source.read_text(encoding="utf-8").splitlines()]
        # in id order: same-date reports are clustered in arrival order, and the shipped
        # model was trained with same-date ties by id (docs.jsonl is in topic order)
        docs = sorted((d for d in docs if d["split"] == split), key=lambda d: d["id"])
        gold = {d["id"]: d["event"] for d in docs}
        articles = prepared_articles(docs)
        articles = processing_order(articles)
        texts = [lead(a.title, a.text) for a in articles]
        vectors = _embed(texts, embedder, cache)
        feats = [
            doc_features(
                a.id,
                a.title,
                a.text,
                v,
                a.published,
                a.language,
                a.source,
                date_sure=a.date_source in METADATA_SOURCES,
            )
            for a, v in zip(articles, vectors, strict=True)
        ]
        out[split] = (feats, gold)
    return out


def _embed(texts: list[str], embedder: Embedder, cache: Path | None) -> np.ndarray:
    if cache is None:
        return embedder.embed(texts)
    key = hashlib.sha256("\n\0".join([embedder.name, *texts]).encode()).hexdigest()[:20]
    path = cache / f"emb-{key}.npy"
    if path.exists():
        return np.load(path)
    vectors = embedder.embed(texts)
    cache.mkdir(parents=True, exist_ok=True)
    np.save(path, vectors)
    return vectors


def replay(
    docs: list[DocFeatures], gold: dict[str, str], config: ClusterConfig
) -> tuple[np.ndarray, np.ndarray]:
    """Teacher forcing: each article against its candidates among the gold events so far."""
    clusterer = StreamingClusterer(config)
    rows, labels = [], []
    for doc in docs:
        gold_id = short_id("ev", "gold:" + gold[doc.id])
        weights = doc_weights(doc, clusterer.df)
        competing = clusterer.competing(doc.date)
        candidates = clusterer.candidates(doc)
        if gold_id in clusterer.events and all(e.id != gold_id for e in candidates):
            candidates.append(clusterer.events[gold_id])  # retrieval missed it: still learn
        for event in candidates:
            feats = pair_features(doc, event, clusterer.df, weights, competing=competing)
            rows.append([value(feats, k) for k in EVENT_FEATURES])
            labels.append(int(event.id == gold_id))
        clusterer.place(doc, gold_id)
    return np.asarray(rows, dtype=np.float64), np.asarray(labels)


def cluster(
    docs: list[DocFeatures], gold: dict[str, str], config: ClusterConfig
) -> tuple[float, float, float]:
    clusterer = StreamingClusterer(config)
    for doc in docs:
        clusterer.add(doc)
    pred = {m: e.id for e in clusterer.events.values() for m in e.members}
    return bcubed(gold, pred)


def train_event_model(
    train: tuple[list[DocFeatures], dict[str, str]],
    dev: tuple[list[DocFeatures], dict[str, str]],
    cross: PairModel,
) -> tuple[PairModel, float, dict[str, Any]]:
    from sklearn.linear_model import LogisticRegression

    base = ClusterConfig(
        model=PairModel({}, 0.0), cross_model=None, time_prior=dict(TIME_PRIOR), merge_threshold=2.0
    )
    x, y = replay(*train, base)
    fit = LogisticRegression(C=1.0, max_iter=5000).fit(x, y)
    weights = {k: round(float(w), 4) for k, w in zip(EVENT_FEATURES, fit.coef_[0], strict=True)}
    bias = round(float(fit.intercept_[0]), 4)
    grid = []
    for threshold in (0.3, 0.4, 0.5, 0.6, 0.7):
        for merge in (0.3, 0.4, 0.5, 0.6, 0.8, 2.0):
            model = PairModel(weights, bias, threshold)
            config = ClusterConfig(
                model=model, cross_model=cross, time_prior=dict(TIME_PRIOR), merge_threshold=merge
            )
            p, r, f = cluster(*dev, config)
            grid.append((round(f, 4), -abs(threshold - 0.5), -merge, threshold, merge, p, r))
            print(f"  dev threshold {threshold:.2f} merge {merge:.1f}: {p:.3f} {r:.3f} {f:.3f}")
    # The join threshold stays at 0.5, the decision point of the calibrated logistic
    # model (lower ones reach a slightly higher dev F1 - see the grid - but within the
    # noise of 16 dev events, and they join the seed article 004 to the wrong event).
    # The merge threshold: the highest whose dev F1 at that join threshold is within
    # MERGE_TIE of the best. A wrong merge makes two newsrooms look like they corroborate
    # each other, a wrong split only hides it; within the noise, fewer merges.
    at_join = [g for g in grid if g[3] == JOIN_THRESHOLD]
    best = max(g[0] for g in at_join)
    f, _, _, threshold, merge, p, r = max(
        (g for g in at_join if g[0] >= best - MERGE_TIE), key=lambda g: g[4]
    )
    report = {"pairs": len(y), "positives": int(y.sum()), "dev": {"P": p, "R": r, "F1": f}}
    return PairModel(weights, bias, threshold), merge, report


def semeval_train(shared: Path, embedder: Embedder) -> tuple[list[dict[str, str]], list[Any]]:
    """SemEval training pairs and their symmetric pair features."""
    rows = semeval_rows(shared, "train")
    scorer = PairScorer(embedder=embedder)
    feats = scorer.pair_features(
        [(r["text1"], r["lang1"]) for r in rows], [(r["text2"], r["lang2"]) for r in rows]
    )
    return rows, feats


def train_cross_model(rows: list[dict[str, str]], feats: list[Any]) -> tuple[PairModel, dict]:
    """Same event across languages: SemEval training pairs in two languages, Overall <= 1.5
    as same event and >= 2.5 as not (the ones between left out)."""
    from sklearn.linear_model import LogisticRegression

    x, y = [], []
    for row, f in zip(rows, feats, strict=True):
        overall = float(row["Overall"])
        if row["lang1"] == row["lang2"] or 1.5 < overall < 2.5:
            continue
        x.append([value(f, k) for k in CROSS_FEATURES])
        y.append(int(overall <= 1.5))
    fit = LogisticRegression(C=1.0, max_iter=5000).fit(np.array(x), np.array(y))
    weights = {k: round(float(w), 4) for k, w in zip(CROSS_FEATURES, fit.coef_[0], strict=True)}
    model = PairModel(weights, round(float(fit.intercept_[0]), 4))
    return model, {"pairs": len(y), "positives": int(sum(y))}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument(
        "--out", type=Path, default=ROOT / "src" / "newsfold" / "data" / "event_model.json"
    )
    parser.add_argument("--cache", type=Path, default=None, help="cache embeddings here")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    embedder = make_embedder("use-m3")
    data = prepare_ecb(args.shared, ("train", "dev"), embedder, args.cache)
    print(f"ECB+ prepared in {time.perf_counter() - started:.0f}s")
    rows, feats = semeval_train(args.shared, embedder)
    cross, cross_report = train_cross_model(rows, feats)
    print(f"cross model: {cross.to_json()} {cross_report}")
    event, merge, event_report = train_event_model(data["train"], data["dev"], cross)
    cross.threshold = event.threshold
    print(f"event model: {event.to_json()} merge {merge} {event_report}")
    out = {
        "version": 1,
        "note": "written by benchmarks/train_pair_model.py from ECB+ train/dev and "
        "SemEval-2022 Task 8 training_set.csv only",
        "event": event.to_json(),
        "event_features": list(EVENT_FEATURES),
        "cross": cross.to_json(),
        "merge_threshold": merge,
        "time_prior": dict(TIME_PRIOR),
        "report": {"event": event_report, "cross": cross_report},
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(out, sort_keys=True, separators=(",", ":")) + "\n", "utf-8")
    print(f"wrote {args.out} in {time.perf_counter() - started:.0f}s")


if __name__ == "__main__":
    main()
