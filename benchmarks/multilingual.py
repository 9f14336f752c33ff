"""Do articles in other languages join the event of their English reports?

    python -m benchmarks.multilingual [--seeds 1 2 3] [--n 2000] [--cache /tmp/newsfold-ml]

On the synthetic dated crawl (:mod:`benchmarks.synth`, the first ``n`` articles of
each generator seed, embedded with the real multilingual encoder as
``tests/synthetic_stream.py`` does), the streaming clusterer runs over the stream in
date order. For each gold event, its *English event* is the predicted event holding
most of its English articles; an article's *join share* counts it as joined when it
sits in its gold event's English event (gold events without an English article are
left out). Printed per language and seed, with event and storyline BCubed P/R/F1 and
the clusterer's CPU seconds per article.

The vectors are cached under ``--cache`` (keyed by seed, size and the texts), so
feature and model changes are measured again in seconds.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT / "src") not in sys.path:
    sys.path.insert(0, str(ROOT / "src"))
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# E402: these imports need the sys.path lines above (run as a script or a module)
from benchmarks.synth import Generator  # noqa: E402
from newsfold.evaluate import bcubed  # noqa: E402
from newsfold.events import StreamingClusterer  # noqa: E402
from newsfold.features import DocFeatures, doc_features  # noqa: E402

LANGUAGES = ("en", "de", "fr", "es", "it")
BATCH = 256  # storylines are linked per batch, as the pipeline does


def stream(seed: int, n: int) -> list[Any]:
    """The first ``n`` generator articles of ``seed`` in date order (as the gates take them)."""
    return Generator(seed, days=60).first(n)


def embedded(seed: int, n: int, cache: Path | None) -> tuple[list[Any], list[DocFeatures]]:
    """The stream with its features (vectors from the cache when there)."""
    from newsfold.embed import lead, make_embedder

    docs = stream(seed, n)
    texts = [(d.title, "\n\n".join(d.paragraphs)) for d in docs]
    leads = [lead(t, b) for t, b in texts]
    key = hashlib.sha256("\n\0".join(["use-m3", *leads]).encode()).hexdigest()[:16]
    path = cache / f"synth-{seed}-{n}-{key}.npy" if cache else None
    if path is not None and path.exists():
        vectors = np.load(path)
    else:
        vectors = make_embedder("use-m3").embed(leads)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            np.save(path, vectors)
    feats = [
        doc_features(d.id, title, body, vector, d.date, d.language, date_sure=True)
        for d, (title, body), vector in zip(docs, texts, vectors, strict=True)
    ]
    return docs, feats


def join_shares(docs: list[Any], pred: dict[str, str]) -> dict[str, tuple[int, int]]:
    """Per language: (articles in their gold event's English event, articles counted)."""
    english: dict[str, Counter[str]] = defaultdict(Counter)
    for d in docs:
        if d.language == "en":
            english[d.label["event"]][pred[d.id]] += 1
    home = {g: c.most_common(1)[0][0] for g, c in english.items()}
    out: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for d in docs:
        target = home.get(d.label["event"])
        if target is None:
            continue
        out[d.language][0] += int(pred[d.id] == target)
        out[d.language][1] += 1
    return {k: (v[0], v[1]) for k, v in out.items()}


def run(docs: list[Any], feats: list[DocFeatures], storylines: bool = True) -> dict[str, Any]:
    from newsfold.storylines import StorylineLinker

    clusterer = StreamingClusterer()
    linker = StorylineLinker()
    started = time.process_time()
    for i, doc in enumerate(feats, 1):
        clusterer.add(doc)
        merges = clusterer.merges()
        if storylines:
            for absorbed, into in merges:
                linker.forget(absorbed, into, clusterer.events)
            if i % BATCH == 0 or i == len(feats):
                touched = clusterer.touched()
                linker.recount(touched, clusterer.events)
                for event in touched:
                    linker.link(event, clusterer.df, clusterer.events)
                linker.touched()
    cpu = time.process_time() - started
    pred = {m: e.id for e in clusterer.events.values() for m in e.members}
    out: dict[str, Any] = {
        "events": bcubed({d.id: d.label["event"] for d in docs}, pred),
        "shares": join_shares(docs, pred),
        "cpu_ms": 1000 * cpu / max(1, len(feats)),
        "n_events": len(clusterer.events),
    }
    if storylines:
        line_of = {e: line.id for line in linker.storylines.values() for e in line.events}
        line_pred = {m: line_of[e.id] for e in clusterer.events.values() for m in e.members}
        out["storylines"] = bcubed({d.id: d.label["storyline"] for d in docs}, line_pred)
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--cache", type=Path, default=Path("/tmp/newsfold-multilingual"))
    parser.add_argument("--no-storylines", action="store_true")
    args = parser.parse_args(argv)
    header = "seed " + " ".join(f"{lang:>13}" for lang in LANGUAGES)
    print(header + "   events P/R/F1        storylines P/R/F1    ms/article")
    total: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for seed in args.seeds:
        docs, feats = embedded(seed, args.n, args.cache)
        res = run(docs, feats, storylines=not args.no_storylines)
        cells = []
        for lang in LANGUAGES:
            hit, count = res["shares"].get(lang, (0, 0))
            total[lang][0] += hit
            total[lang][1] += count
            cells.append(f"{hit / max(1, count):.3f} ({count:>4})")
        ev = "/".join(f"{x:.3f}" for x in res["events"])
        line = "/".join(f"{x:.3f}" for x in res.get("storylines", (0, 0, 0)))
        print(f"{seed:>4} " + " ".join(cells) + f"   {ev}  {line}  {res['cpu_ms']:.2f}")
    cells = [f"{h / max(1, c):.3f} ({c:>4})" for h, c in (total[lang] for lang in LANGUAGES)]
    print(" all " + " ".join(cells))


if __name__ == "__main__":
    main()
