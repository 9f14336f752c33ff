"""Clustering throughput: articles per second of the streaming clusterer alone.

    python -m benchmarks.cluster_throughput [--sizes 1000 20000] [--seed 1] [--parts]

Articles come from the synthetic corpus generator (:mod:`benchmarks.synth`, in
memory: real-looking titles, bodies, names, numbers and dates in five
languages). Vectors come from :class:`newsfold.embed.HashingEmbedder` (512
dimensions, the size of the USE vectors), computed *before* the clock starts,
as are the lexical features: the timings are the clusterer's own work
(candidate retrieval from the centroid index, pair scoring, event updates,
merges) plus storyline linking of the changed events in weekly rounds and the summing
again of the storylines that changed (as the pipeline does), not embedding,
cleaning or the store. Times are given as wall and as CPU seconds of the process
(``time.process_time``: steadier on a shared machine).

The per-article cost should stay flat as the store grows; the script prints the
rate per slice of 1,000 articles so a drift would show. BCubed against the
generator's labels is printed too (with hashing vectors: a smoke check, not a
quality figure).

``--parts`` also prints, per slice, the CPU seconds of each part of the work (index
queries of articles, of merge checks and of the storyline linker; pair features; merge
checks and storyline linking as a whole, their queries included), measured by wrapping
those calls (a few microseconds each, so the rates are a little lower with it).
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

# E402: these imports need the sys.path lines above (run as a script or a module)
from benchmarks.synth import Generator  # noqa: E402
from newsfold import events  # noqa: E402
from newsfold.embed import HashingEmbedder, lead  # noqa: E402
from newsfold.evaluate import bcubed  # noqa: E402
from newsfold.events import StreamingClusterer  # noqa: E402
from newsfold.features import DocFeatures, doc_features  # noqa: E402
from newsfold.storylines import StorylineLinker, link_round, next_period  # noqa: E402

BATCH = 256  # the pipeline's default batch size


def synthetic(n: int, seed: int) -> tuple[list[DocFeatures], dict[str, str]]:
    docs = Generator(seed, days=max(60, n // 60)).first(n)
    embedder = HashingEmbedder(dim=512)
    vectors = embedder.embed([lead(d.title, "\n\n".join(d.paragraphs)) for d in docs])
    feats = [
        doc_features(
            d.id, d.title, "\n\n".join(d.paragraphs), v, d.date, d.language, date_sure=True
        )
        for d, v in zip(docs, vectors, strict=True)
    ]
    return feats, {d.id: d.label["event"] for d in docs}


def _timed(parts: defaultdict[str, float], name: Callable[..., str], fn: Callable[..., Any]) -> Any:
    """``fn`` adding its CPU seconds to ``parts[name(*args)]``."""

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = time.process_time()
        try:
            return fn(*args, **kwargs)
        finally:
            parts[name(*args, **kwargs)] += time.process_time() - started

    return wrapper


@contextlib.contextmanager
def timing_parts(
    clusterer: StreamingClusterer, linker: StorylineLinker, parts: defaultdict[str, float]
) -> Iterator[None]:
    """Wrap the parts of the work (see ``--parts``) while the block runs."""

    def query(kind: str) -> Callable[..., str]:
        def name(vector: Any, k: int, date: Any = None, window: Any = None, *rest: Any) -> str:
            loose = rest[1] if len(rest) > 1 else False  # (floor, loose): merge checks
            return "merge query" if loose else kind

        return name

    clusterer.index.nearest = _timed(  # type: ignore[method-assign]  # timing wrapper
        parts, query("article query"), clusterer.index.nearest
    )
    linker.index.nearest = _timed(  # type: ignore[method-assign]  # timing wrapper
        parts, query("storyline query"), linker.index.nearest
    )
    clusterer._merge_neighbours = _timed(  # type: ignore[method-assign]  # timing wrapper
        parts, lambda *_: "merge checks", clusterer._merge_neighbours
    )
    linker.link = _timed(  # type: ignore[method-assign]  # timing wrapper
        parts, lambda *_: "storyline linking", linker.link
    )
    pair_features = events.pair_features
    events.pair_features = _timed(parts, lambda *_, **__: "pair features", pair_features)
    try:
        yield
    finally:
        events.pair_features = pair_features


def measure(n: int, seed: int, parts: bool = False) -> dict[str, Any]:
    started = time.perf_counter()
    feats, gold = synthetic(n, seed)
    print(f"  {n} synthetic articles ready in {time.perf_counter() - started:.0f} s", flush=True)
    clusterer = StreamingClusterer()
    linker = StorylineLinker()
    spent: defaultdict[str, float] = defaultdict(float)
    with timing_parts(clusterer, linker, spent) if parts else contextlib.nullcontext():
        return _run(feats, gold, clusterer, linker, spent)


def _run(
    feats: list[DocFeatures],
    gold: dict[str, str],
    clusterer: StreamingClusterer,
    linker: StorylineLinker,
    spent: defaultdict[str, float],
) -> dict[str, Any]:
    slices, cpu_slices = [], []
    started, cpu_started = time.perf_counter(), time.process_time()
    mark, cpu_mark = started, cpu_started
    period: int | None = None  # the link period the stream has reached
    for count, doc in enumerate(feats, 1):
        due, period = next_period(period, doc.date)
        if due:  # as the pipeline: a round of linking at each new week...
            link_round(linker, [e.id for e in clusterer.touched()], clusterer.events, clusterer.df)
        clusterer.add(doc)
        for absorbed, into in clusterer.merges():
            linker.forget(absorbed, into, clusterer.events)
        if count == len(feats):  # ...and at the end of the run
            link_round(linker, [e.id for e in clusterer.touched()], clusterer.events, clusterer.df)
        if count % BATCH == 0 or count == len(feats):  # what a batch hands the store
            linker.retired()
            linker.touched()
            clusterer.recached()
        if count % 1000 == 0:
            now, cpu_now = time.perf_counter(), time.process_time()
            slices.append(round(1000 / (now - mark)))
            cpu_slices.append(round(1000 / max(cpu_now - cpu_mark, 1e-9)))
            print(
                f"  {count}: {slices[-1]} articles/s wall, {cpu_slices[-1]} per CPU s", flush=True
            )
            if spent:
                print("      CPU s: " + ", ".join(f"{k} {v:.2f}" for k, v in sorted(spent.items())))
                spent.clear()
            mark, cpu_mark = now, cpu_now
    seconds = time.perf_counter() - started
    cpu_seconds = time.process_time() - cpu_started
    pred = {m: e.id for e in clusterer.events.values() for m in e.members}
    p, r, f = bcubed(gold, pred)
    return {
        "articles": len(feats),
        "seconds": round(seconds, 2),
        "cpu_seconds": round(cpu_seconds, 2),
        "articles_per_s": round(len(feats) / seconds),
        "articles_per_cpu_s": round(len(feats) / cpu_seconds),
        "per_1000_slice": slices,
        "per_1000_slice_cpu": cpu_slices,
        "decisions": fingerprint(clusterer, linker),
        "events": len(clusterer.events),
        "gold_events": len(set(gold.values())),
        "storylines": len(linker.storylines),
        "bcubed_P_R_F1": [round(p, 3), round(r, 3), round(f, 3)],
    }


def fingerprint(clusterer: StreamingClusterer, linker: StorylineLinker) -> str:
    """A hash of every decision: each event's members in order and each storyline's
    events, so a change that only makes things faster can be checked to decide alike."""
    digest = hashlib.sha256()
    for event in sorted(clusterer.events.values(), key=lambda e: e.id):
        digest.update(f"{event.id}:{','.join(event.members)};".encode())
    for line in sorted(linker.storylines.values(), key=lambda s: s.id):
        digest.update(f"{line.id}:{','.join(line.events)};".encode())
    return digest.hexdigest()[:16]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 20000])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--parts", action="store_true", help="CPU seconds per part, per slice")
    args = parser.parse_args(argv)
    for n in args.sizes:
        result = measure(n, args.seed, args.parts)
        print(
            f"{result['articles']:>6} articles: {result['articles_per_s']:>5} articles/s wall "
            f"({result['seconds']} s), {result['articles_per_cpu_s']:>5} per CPU s "
            f"({result['cpu_seconds']} s), {result['events']} events "
            f"(gold {result['gold_events']}), {result['storylines']} storylines, "
            f"BCubed {result['bcubed_P_R_F1']}"
        )
        print(f"        articles/s per slice of 1000 (wall): {result['per_1000_slice']}")
        print(f"        articles per CPU s per slice of 1000: {result['per_1000_slice_cpu']}")
        print(f"        decisions {result['decisions']}")


if __name__ == "__main__":
    main()
