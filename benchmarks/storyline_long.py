"""Storylines over months: recall on long storylines of the synthetic crawl.

    python -m benchmarks.storyline_long [--articles 3000] [--seed 1 ...] [--max-events 10]
        [--days 240] [--embedder hashing|use-m3]

The quality gates' stream (tests/test_storyline_gate.py) holds storylines of 1-4 events;
here the generator (:mod:`benchmarks.synth`, ``max_events``) gives storylines of up to
``--max-events`` events (about 4 on average) 7-60 days apart, so a storyline runs for
months. The stream is clustered and linked as the pipeline does (:func:`replay`, which
the storyline gate uses too). Prints storyline BCubed P / R / F1, recall by the gold
storyline's number of events, and how many storylines each gold storyline was cut into.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

# E402: these imports need the sys.path lines above (run as a script or a module)
from benchmarks.synth import Generator  # noqa: E402
from newsfold.embed import lead, make_embedder  # noqa: E402
from newsfold.evaluate import bcubed  # noqa: E402
from newsfold.events import StreamingClusterer  # noqa: E402
from newsfold.features import DocFeatures, doc_features  # noqa: E402
from newsfold.storylines import (  # noqa: E402
    StorylineLinker,
    link_round,
    next_period,
    resume_period,
)


def stream(
    n: int, seed: int, max_events: int, days: int, embedder: str
) -> tuple[list[Any], list[DocFeatures]]:
    """(generator docs with labels, their features) in date order."""
    docs = Generator(seed, days=days, max_events=max_events, events_rate=0.25).first(n)
    texts = [(d.title, "\n\n".join(d.paragraphs)) for d in docs]
    vectors = make_embedder(embedder).embed([lead(t, b) for t, b in texts])
    feats = [
        doc_features(d.id, title, body, vector, d.date, d.language, date_sure=True)
        for d, (title, body), vector in zip(docs, texts, vectors, strict=True)
    ]
    return docs, feats


def replay(
    feats: list[DocFeatures], rounds: int | None = None, runs: int | None = None
) -> tuple[dict[str, str], dict[str, str], int]:
    """Cluster and link the stream as the pipeline does: a round of storyline links where
    the stream enters a new link period and at its end, and: ``rounds``: a final round
    every that many articles (as undated articles released early make the pipeline do);
    ``runs``: runs of that many articles, each ending with a provisional round that the
    next run undoes first (as Pipeline runs do). Returns the event and the storyline of
    each article, and the number of storylines (tests/test_storyline_gate.py reads it too).
    """
    clusterer = StreamingClusterer()
    linker = StorylineLinker()
    period = None
    pending: set[str] = set()  # events to link at the next round (Pipeline._unlinked)

    def linked(provisional: bool = False) -> None:  # a round, as Pipeline._link_storylines
        pending.update(e.id for e in clusterer.touched())
        if provisional:
            linker.provisional()
        link_round(linker, sorted(pending), clusterer.events, clusterer.df)
        pending.clear()

    for n, doc in enumerate(feats, 1):
        if runs and n > 1 and (n - 1) % runs == 0:  # a new run: undo the last one's end first
            back, _ = linker.undo(clusterer.events)
            pending.update(back)
            period = resume_period(clusterer.events[e] for e in pending)  # as the pipeline
        due, period = next_period(period, doc.date)
        if due:
            linked()
        clusterer.add(doc)
        for absorbed, into in clusterer.merges():
            linker.forget(absorbed, into, clusterer.events)
        if n == len(feats) or (rounds and n % rounds == 0):
            linked()
        elif runs and n % runs == 0:
            linked(provisional=True)
    line_of = {e: line.id for line in linker.storylines.values() for e in line.events}
    events = {m: e.id for e in clusterer.events.values() for m in e.members}
    return events, {m: line_of[e] for m, e in events.items()}, len(linker.storylines)


def measure(docs: list[Any], feats: list[DocFeatures]) -> dict[str, Any]:
    started = time.process_time()
    events, lines, _ = replay(feats)
    seconds = time.process_time() - started
    gold_line = {d.id: d.label["storyline"] for d in docs}
    gold_event = {d.id: d.label["event"] for d in docs}
    size: dict[str, set[str]] = defaultdict(set)  # gold storyline -> its gold events
    for d in docs:
        size[d.label["storyline"]].add(d.label["event"])
    out: dict[str, Any] = {
        "articles": len(docs),
        "gold storylines": len(size),
        "storylines": len(set(lines.values())),
        "events": bcubed(gold_event, events),
        "storylines_bcubed": bcubed(gold_line, lines),
        "seconds": seconds,
    }
    buckets = {"1": (1, 1), "2-4": (2, 4), "5+": (5, 10**6)}
    for name, (lo, hi) in buckets.items():
        ids = [d.id for d in docs if lo <= len(size[d.label["storyline"]]) <= hi]
        lines_in = {g for g, ev in size.items() if lo <= len(ev) <= hi}
        if not ids:
            continue
        _p, r, _f = bcubed({i: gold_line[i] for i in ids}, {i: lines[i] for i in ids})
        cuts = [len({lines[d.id] for d in docs if gold_line[d.id] == g}) for g in lines_in]
        out[f"long {name}"] = {
            "gold storylines": len(lines_in),
            "articles": len(ids),
            "R": r,
            "pieces (mean)": sum(cuts) / len(cuts),
        }
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=3000)
    parser.add_argument("--seed", type=int, nargs="+", default=[1])
    parser.add_argument("--max-events", type=int, default=10)
    parser.add_argument("--days", type=int, default=240)
    parser.add_argument("--embedder", default="hashing", help="hashing (fast) or use-m3")
    args = parser.parse_args(argv)
    for seed in args.seed:
        docs, feats = stream(args.articles, seed, args.max_events, args.days, args.embedder)
        res = measure(docs, feats)
        p, r, f = res["storylines_bcubed"]
        ep, er, ef = res["events"]
        print(
            f"seed {seed}: {res['articles']} articles, {res['gold storylines']} gold storylines,"
            f" {res['storylines']} found; storylines P/R/F1 {p:.3f}/{r:.3f}/{f:.3f};"
            f" events {ep:.3f}/{er:.3f}/{ef:.3f}; {res['seconds']:.1f} CPU s"
        )
        for key, value in res.items():
            if key.startswith("long "):
                print(
                    f"  {key[5:]:>4} events: {value['gold storylines']} storylines,"
                    f" {value['articles']} articles, R {value['R']:.3f},"
                    f" cut into {value['pieces (mean)']:.2f} pieces on average"
                )


if __name__ == "__main__":
    main()
