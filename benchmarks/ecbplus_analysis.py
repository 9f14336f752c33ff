"""How far is ECB+ BCubed F1 >= 0.97 from what the evidence allows? Reference points on
the train and dev splits (the test split only for the date ceiling, which reads gold
labels and dates, chooses nothing and is printed apart).

    python -m benchmarks.ecbplus_analysis [--shared ../shared] [--cache DIR] [--skip-cv]

1. **k-means told k**: TF-IDF (sublinear tf, English stop words) k-means with the true
   number of events, mean over five seeds: the kind of reference the issue quotes for the
   test split (0.968, Barhom et al. 2019), here measured on train and dev.
2. **Topics told, k = 2 per topic**: average-link TF-IDF inside each gold topic, cut
   into two clusters (every ECB+ topic holds exactly two events).
3. **Date ceiling**: ECB+ gold events are sub-topics; some hold reports weeks or years
   apart (a shooting and the trial two years later). newsfold's time prior holds reports
   dated more than a few days apart in different events of one storyline unless their
   words agree overwhelmingly (the penalty is capped). The ceiling is a reference, not a
   bound on newsfold: the best BCubed F1 of a clustering that cuts each gold event where
   consecutive confident dates are more than ``GAP`` days apart, undated reports put with
   its largest part.
4. **Topic-fold CV of the shipped recipe**: the event model fitted (teacher forcing, as
   ``benchmarks/train_pair_model.py``) on four fifths of the train+dev topics, the
   streaming clusterer run on the other fifth; folds pooled. Steadier than dev alone
   (16 events) for comparing changes; printed for several merge thresholds.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT / "src") not in sys.path:
    sys.path.insert(0, str(ROOT / "src"))
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# E402: these imports need the sys.path lines above (run as a script or a module)
from benchmarks.train_pair_model import (  # noqa: E402
    EVENT_FEATURES,
    prepare_ecb,
    prepared_articles,
    replay,
)
from newsfold.evaluate import bcubed  # noqa: E402
from newsfold.events import (  # noqa: E402
    TIME_PRIOR,
    ClusterConfig,
    PairModel,
    StreamingClusterer,
    load_optional,
)

GAP = 7  # days: reports further apart are different happenings (the time prior's view)
MIN_CONFIDENCE = 0.7  # dates found with less confidence are left out of the ceiling


def read_split(shared: Path, split: str) -> list[dict[str, Any]]:
    path = shared / "bench" / "ecbplus" / "docs.jsonl"
    docs = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    return [d for d in docs if d["split"] == split]


def kmeans_told_k(docs: list[dict[str, Any]], seeds: int = 5) -> tuple[float, float, float]:
    from sklearn.cluster import KMeans
    from sklearn.feature_extraction.text import TfidfVectorizer

    x = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform(
        [d["text"] for d in docs]
    )
    gold = {d["id"]: d["event"] for d in docs}
    k = len(set(gold.values()))
    scores = []
    for seed in range(seeds):
        labels = KMeans(n_clusters=k, n_init=10, random_state=seed).fit_predict(x)
        pred = {d["id"]: str(lab) for d, lab in zip(docs, labels, strict=True)}
        scores.append(bcubed(gold, pred))
    p, r, f = (float(np.mean([s[i] for s in scores])) for i in range(3))
    return p, r, f


def topics_told(docs: list[dict[str, Any]]) -> tuple[float, float, float]:
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.feature_extraction.text import TfidfVectorizer

    x = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform(
        [d["text"] for d in docs]
    )
    gold = {d["id"]: d["event"] for d in docs}
    pred: dict[str, str] = {}
    for topic in sorted({d["topic"] for d in docs}):
        rows = [i for i, d in enumerate(docs) if d["topic"] == topic]
        sims = (x[rows] @ x[rows].T).toarray()
        labels = AgglomerativeClustering(
            n_clusters=2, metric="precomputed", linkage="average"
        ).fit_predict(1 - sims)
        for i, lab in zip(rows, labels, strict=True):
            pred[docs[i]["id"]] = f"{topic}:{lab}"
    return bcubed(gold, pred)


def confident_dates(docs: list[dict[str, Any]]) -> dict[str, dt.date]:
    """Dates newsfold's own dating stage finds in the texts, with enough confidence."""
    return {
        a.id: a.published
        for a in prepared_articles(docs)
        if a.published is not None and a.date_confidence >= MIN_CONFIDENCE
    }


def date_ceiling(docs: list[dict[str, Any]], gap: int = GAP) -> dict[str, Any]:
    gold = {d["id"]: d["event"] for d in docs}
    dates = confident_dates(docs)
    members: dict[str, list[str]] = defaultdict(list)
    for doc_id, event in gold.items():
        members[event].append(doc_id)
    pred: dict[str, str] = {}
    wide = 0
    for event, ids in members.items():
        dated = sorted((dates[i], i) for i in ids if i in dates)
        parts: list[list[tuple[dt.date, str]]] = []
        for day, doc_id in dated:
            if parts and (day - parts[-1][-1][0]).days <= gap:
                parts[-1].append((day, doc_id))
            else:
                parts.append([(day, doc_id)])
        wide += len(parts) > 1
        largest = max(range(len(parts)), key=lambda i: len(parts[i])) if parts else 0
        for n, part in enumerate(parts):
            for _, doc_id in part:
                pred[doc_id] = f"{event}:{n}"
        for doc_id in ids:
            pred.setdefault(doc_id, f"{event}:{largest}")
    p, r, f = bcubed(gold, pred)
    return {"events": len(members), "dated": len(dates), "docs": len(docs), "cut": wide,
            "P": p, "R": r, "F1": f}  # fmt: skip


def topic_cv(
    shared: Path,
    cache: Path | None,
    merges: tuple[float, ...],
    folds: int = 5,
    fold_seed: int = 0,
) -> dict[float, tuple[float, float, float]]:
    """``fold_seed`` 0: topics dealt to folds in id order (the figure of earlier
    sessions); another seed deals a shuffled order. The figure moves by about 0.015 from
    one dealing to another (session 10: 0.918 / 0.902 / 0.895 / 0.886 for seeds 0-3), so
    compare changes on the mean over several (``--fold-seeds``)."""
    from sklearn.linear_model import LogisticRegression

    from newsfold.embed import make_embedder

    data = prepare_ecb(shared, ("train", "dev"), make_embedder("use-m3"), cache)
    docs = data["train"][0] + data["dev"][0]
    gold = {**data["train"][1], **data["dev"][1]}

    def topic(doc_id: str) -> int:
        return int(gold[doc_id].split("ecb")[0])

    topics = sorted({topic(d.id) for d in docs})
    if fold_seed:
        topics = [int(t) for t in np.random.default_rng(fold_seed).permutation(topics)]
    cross = load_optional("cross")
    teacher = ClusterConfig(
        model=PairModel({}, 0.0), cross_model=None, time_prior=dict(TIME_PRIOR), merge_threshold=2.0
    )
    pred: dict[float, dict[str, str]] = {m: {} for m in merges}
    for fold in range(folds):
        held = {t for n, t in enumerate(topics) if n % folds == fold}
        train = [d for d in docs if topic(d.id) not in held]
        test = [d for d in docs if topic(d.id) in held]
        x, y = replay(train, gold, teacher)
        fit = LogisticRegression(C=1.0, max_iter=5000).fit(x, y)
        model = PairModel(
            {k: float(w) for k, w in zip(EVENT_FEATURES, fit.coef_[0], strict=True)},
            float(fit.intercept_[0]),
            0.5,
        )
        for merge in merges:
            config = ClusterConfig(
                model=model, cross_model=cross, time_prior=dict(TIME_PRIOR), merge_threshold=merge
            )
            clusterer = StreamingClusterer(config)
            for doc in test:
                clusterer.add(doc)
            for event in clusterer.events.values():
                for member in event.members:
                    pred[merge][member] = f"{fold}:{event.id}"
    return {m: bcubed(gold, pred[m]) for m in merges}


def _fmt(scores: Any) -> str:
    return " ".join(f"{k} {v:.3f}" for k, v in zip("PRF", scores, strict=True))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--cache", type=Path, default=None, help="cache embeddings here")
    parser.add_argument("--skip-cv", action="store_true", help="leave out the topic-fold CV")
    parser.add_argument(
        "--fold-seeds",
        type=int,
        nargs="+",
        default=[0],
        metavar="N",
        help="deal topics to folds with these seeds (0: in id order) and print the mean too",
    )
    args = parser.parse_args(argv)
    for split in ("train", "dev"):
        docs = read_split(args.shared, split)
        print(f"{split}: k-means told k     {_fmt(kmeans_told_k(docs))}")
        print(f"{split}: topics told, k=2   {_fmt(topics_told(docs))}")
    for split in ("train", "dev", "test"):
        c = date_ceiling(read_split(args.shared, split))
        print(
            f"{split}: date ceiling (gap {GAP} d) F1 {c['F1']:.3f} (R {c['R']:.3f}); "
            f"{c['cut']} of {c['events']} gold events hold reports more than {GAP} days "
            f"apart; {c['dated']} of {c['docs']} reports dated with confidence >= "
            f"{MIN_CONFIDENCE}"
        )
    if not args.skip_cv:
        runs: dict[float, list[tuple[float, float, float]]] = defaultdict(list)
        for seed in args.fold_seeds:
            for merge, scores in topic_cv(
                args.shared, args.cache, (0.3, 0.4, 0.5), fold_seed=seed
            ).items():
                runs[merge].append(scores)
                print(f"train+dev topic-fold CV, fold seed {seed}, merge {merge}: {_fmt(scores)}")
        if len(args.fold_seeds) > 1:
            for merge, all_scores in runs.items():
                f1 = [s[2] for s in all_scores]
                mean = tuple(float(np.mean(c)) for c in zip(*all_scores, strict=True))
                print(
                    f"train+dev topic-fold CV, mean of {len(f1)} fold seeds, merge {merge}: "
                    f"{_fmt(mean)} (F1 sd {np.std(f1):.3f})"
                )


if __name__ == "__main__":
    main()
