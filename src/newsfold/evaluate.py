"""Scorers and dataset runners: how good are the events, storylines and pair scores?

* :func:`bcubed` - BCubed precision, recall and F1 of a clustering.
* :func:`run_ecbplus` - ECB+ event clustering through the normal pipeline path.
* :func:`run_semeval` - SemEval-2022 Task 8 article pairs: Pearson r of the pair score.
* :func:`run_seeds` - the five seed articles (events and the storyline).
* :func:`run_sample` - the bundled sample corpus against ``sample/gold.json``.
* :func:`evaluate` - one of them by name, or all, as rows for a table.

The benchmark data lives outside the project (``../shared``); see its README for
the rule: train and tune on the train and dev splits, report on test.
"""

from __future__ import annotations

import csv
import json
import math
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

__all__ = [
    "bcubed",
    "evaluate",
    "pearson",
    "run_ecbplus",
    "run_sample",
    "run_seeds",
    "run_semeval",
]

DATASETS = ("ecbplus", "semeval", "seeds", "sample")


def bcubed(gold: Mapping[str, str], pred: Mapping[str, str]) -> tuple[float, float, float]:
    """BCubed precision, recall and F1 over the items of ``gold``.

    Each item's precision is the share of its predicted cluster that shares its
    gold cluster, recall the share of its gold cluster found in its predicted
    cluster; both are averaged over items. Items missing from ``pred`` count as
    singletons.
    """
    items = list(gold)
    if not items:
        return 0.0, 0.0, 0.0
    predicted = {item: pred.get(item, f"\0{item}") for item in items}
    by_gold: dict[str, set[str]] = defaultdict(set)
    by_pred: dict[str, set[str]] = defaultdict(set)
    for item in items:
        by_gold[gold[item]].add(item)
        by_pred[predicted[item]].add(item)
    precision = recall = 0.0
    for item in items:
        g, p = by_gold[gold[item]], by_pred[predicted[item]]
        both = len(g & p)
        precision += both / len(p)
        recall += both / len(g)
    precision /= len(items)
    recall /= len(items)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def pearson(xs: Iterable[float], ys: Iterable[float]) -> float:
    """Pearson correlation of two equally long sequences (0 when one is constant)."""
    a, b = list(xs), list(ys)
    n = len(a)
    if n < 2 or n != len(b):
        return 0.0
    ma, mb = sum(a) / n, sum(b) / n
    cov = sum((x - ma) * (y - mb) for x, y in zip(a, b, strict=True))
    va = sum((x - ma) ** 2 for x in a)
    vb = sum((y - mb) ** 2 for y in b)
    return cov / math.sqrt(va * vb) if va and vb else 0.0


def _row(dataset: str, **values: Any) -> dict[str, Any]:
    return {"dataset": dataset, **values}


def _resolve(event: str | None, merged: Mapping[str, str]) -> str | None:
    """Follow recorded merges (absorbed -> into) to the event that holds an article now."""
    seen = set()
    while event is not None and event in merged and event not in seen:
        seen.add(event)
        event = merged[event]
    return event


def stored_events(store: Any) -> dict[str, str]:
    """Article id -> event id as the store holds it (canonical copies included)."""
    merged = {
        row["subject"]: row["other"]
        for row in store.event_log()
        if row["action"] == "merge" and row["other"]
    }
    out = {}
    for row in store.iter_articles():
        event = _resolve(row["event"], merged)
        if event is not None:
            out[row["id"]] = event
    return out


def stored_storylines(store: Any) -> dict[str, str]:
    """Article id -> storyline id as the store holds it."""
    events = stored_events(store)
    line_of = {event: line.id for line in store.load_storylines() for event in line.events}
    return {a: line_of.get(e, f"\0{e}") for a, e in events.items()}


def _run_pipeline(paths: list[str], embedder: Any = None) -> tuple[Any, float]:
    """Fold ``paths`` into a fresh temporary store (facts off); returns (store, seconds).

    The caller closes the store.
    """
    from newsfold.pipeline import Pipeline, PipelineOptions
    from newsfold.store import open_store

    tmp = tempfile.mkdtemp(prefix="newsfold-eval-")
    store = open_store(str(Path(tmp) / "eval.db"))
    started = time.perf_counter()
    Pipeline(store, PipelineOptions(facts=False), embedder=embedder).run(paths, command="eval")
    return store, time.perf_counter() - started


# ---------------------------------------------------------------------------- ECB+
def run_ecbplus(shared: Path, split: str = "test", embedder: Any = None) -> dict[str, Any]:
    """ECB+ documents of ``split`` folded by the normal pipeline; BCubed against gold events.

    Only ``id`` and ``text`` reach the pipeline (no topic, no event, no k).
    """
    source = Path(shared) / "bench" / "ecbplus" / "docs.jsonl"
    gold: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="newsfold-ecb-") as tmp:
        jsonl = Path(tmp) / f"ecbplus-{split}.jsonl"
        with source.open(encoding="utf-8") as src, jsonl.open("w", encoding="utf-8") as out:
            for line in src:
                doc = json.loads(line)
                if doc["split"] != split:
                    continue
                gold[doc["id"]] = doc["event"]
                out.write(json.dumps({"id": doc["id"], "text": doc["text"]}) + "\n")
        store, seconds = _run_pipeline([str(jsonl)], embedder)
        try:
            pred = stored_events(store)
        finally:
            store.close()
    p, r, f = bcubed(gold, pred)
    return _row(
        "ecbplus",
        split=split,
        P=p,
        R=r,
        F1=f,
        docs=len(gold),
        events=len({pred[a] for a in gold if a in pred}),
        gold_events=len(set(gold.values())),
        seconds=seconds,
    )


# ---------------------------------------------------------------------------- SemEval
def semeval_rows(shared: Path, split: str = "test") -> list[dict[str, str]]:
    """The pairs of ``training_set.csv`` ("train") or ``testing_set.csv`` ("test")."""
    name = {"train": "training_set.csv", "test": "testing_set.csv"}[split]
    path = Path(shared) / "bench" / "semeval2022t8" / name
    csv.field_size_limit(1 << 30)
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def run_semeval(shared: Path, split: str = "test", embedder: Any = None) -> dict[str, Any]:
    """Pearson r between newsfold's same-event score and the gold Overall rating.

    Overall runs from 1 (very similar) to 4 (very dissimilar), so a good score
    correlates negatively; ``r`` keeps the sign and ``abs_r`` is the figure to read.
    """
    from newsfold.pairs import PairScorer

    rows = semeval_rows(shared, split)
    started = time.perf_counter()
    scorer = PairScorer(embedder=embedder)
    scores = scorer.score_texts(
        [(r["text1"], r["lang1"]) for r in rows], [(r["text2"], r["lang2"]) for r in rows]
    )
    gold = [float(r["Overall"]) for r in rows]
    r = pearson(scores, gold)
    return _row(
        "semeval",
        split=split,
        r=r,
        abs_r=abs(r),
        pairs=len(rows),
        seconds=time.perf_counter() - started,
    )


# ---------------------------------------------------------------------------- seeds
SEED_EVENTS = {"000": "E1", "001": "E1", "002": "E1", "003": "E3", "004": "E2"}
SEED_STORYLINES = {key: "S1" for key in SEED_EVENTS}


def _grouped(paths: list[str], embedder: Any) -> tuple[dict[str, str], dict[str, str], float]:
    """Run ``paths`` through the pipeline: (article -> event, article -> storyline, seconds)."""
    store, seconds = _run_pipeline(paths, embedder)
    try:
        return stored_events(store), stored_storylines(store), seconds
    finally:
        store.close()


def _grouping_scores(
    gold_events: Mapping[str, str],
    events: Mapping[str, str],
    gold_lines: Mapping[str, str],
    lines: Mapping[str, str],
) -> dict[str, float]:
    """BCubed of events (P, R, F1) and of storylines (storyline_P, _R, _F1)."""
    p, r, f = bcubed(gold_events, events)
    sp, sr, sf = bcubed(gold_lines, lines)
    return {"P": p, "R": r, "F1": f, "storyline_P": sp, "storyline_R": sr, "storyline_F1": sf}


def run_seeds(shared: Path, embedder: Any = None) -> dict[str, Any]:
    """The five seed articles: events {000,001,002}, {003}, {004}; one storyline."""
    events, lines, seconds = _grouped([str(Path(shared) / "seeds")], embedder)
    gold_events = {a: SEED_EVENTS[a[:3]] for a in events if a[:3] in SEED_EVENTS}
    gold_lines = {a: SEED_STORYLINES[a[:3]] for a in lines if a[:3] in SEED_STORYLINES}
    return _row(
        "seeds",
        **_grouping_scores(gold_events, events, gold_lines, lines),
        docs=len(gold_events),
        events=len(set(events.values())),
        storylines=len(set(lines.values())),
        seconds=seconds,
    )


# ---------------------------------------------------------------------------- sample
def run_sample(root: Path, embedder: Any = None) -> dict[str, Any]:
    """The bundled sample corpus against ``sample/gold.json`` (events and storylines)."""
    sample = Path(root) / "sample"
    gold_doc = json.loads((sample / "gold.json").read_text(encoding="utf-8"))
    events, lines, seconds = _grouped([str(sample / "articles")], embedder)
    gold_events = {a: g["event"] for a, g in gold_doc["articles"].items()}
    gold_lines = {a: g["storyline"] for a, g in gold_doc["articles"].items()}
    return _row(
        "sample",
        **_grouping_scores(gold_events, events, gold_lines, lines),
        docs=len(gold_events),
        missing=sorted(set(gold_events) - set(events)),
        events=len({events[a] for a in gold_events if a in events}),
        gold_events=len(set(gold_events.values())),
        storylines=len({lines[a] for a in gold_lines if a in lines}),
        gold_storylines=len(set(gold_lines.values())),
        seconds=seconds,
    )


# ---------------------------------------------------------------------------- all
def evaluate(dataset: str, shared: Path, root: Path, embedder: Any = None) -> list[dict[str, Any]]:
    """Run one dataset ("ecbplus", "semeval", "seeds", "sample") or "all"; one row each.

    A dataset whose files are missing gives a row with ``skipped`` set, not an error.
    """
    if dataset not in (*DATASETS, "all"):
        raise ValueError(f"unknown dataset {dataset!r}; expected one of {', '.join(DATASETS)}, all")
    wanted = DATASETS if dataset == "all" else (dataset,)
    if embedder is None:
        from newsfold.embed import make_embedder

        embedder = make_embedder("use-m3")  # one model load for every dataset
    rows = []
    for name in wanted:
        needs = {
            "ecbplus": Path(shared) / "bench" / "ecbplus" / "docs.jsonl",
            "semeval": Path(shared) / "bench" / "semeval2022t8" / "testing_set.csv",
            "seeds": Path(shared) / "seeds",
            "sample": Path(root) / "sample" / "gold.json",
        }[name]
        if not needs.exists():
            rows.append(_row(name, skipped=f"{needs} is missing"))
            continue
        if name == "ecbplus":
            rows.append(run_ecbplus(shared, embedder=embedder))
        elif name == "semeval":
            rows.append(run_semeval(shared, embedder=embedder))
        elif name == "seeds":
            rows.append(run_seeds(shared, embedder=embedder))
        else:
            rows.append(run_sample(root, embedder=embedder))
    return rows
