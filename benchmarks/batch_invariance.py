"""Does cutting a date-ordered stream into batches change the result?

    python -m benchmarks.batch_invariance [--articles 300] [--seed 1] [--undated-every 10]
                                          [--text-dated-every 0]
                                          [--sizes 1000 1 2 3 7 50] [--runs 1 5 40]
                                          [--embedder hashing|use-m3]

The stream comes from the synthetic crawl (:mod:`benchmarks.synth`, 20 days): each report
as a JSON line with its date, plus copies (8% exact copies the same day, 8% longer
near-copies the same day, 6% shorter near-copies the next day), in date order with
same-day reports in a random arrival order; every ``--undated-every``-th report loses its
date and is put back at a regular spot inside the stream (0: none). The stream is run
through the whole pipeline (hashing embedder unless ``--embedder``, facts off) once per
batch size, and every run is compared with the first: articles whose event id,
``duplicate_of`` or storyline id differ. None should (since session 6 storylines too:
they are linked in weekly rounds, not per batch; README).

``--runs N ...``: the stream is also cut into runs of N lines (each its own
``Pipeline.run`` on one store, a new Pipeline each time, as a desk running ``newsfold
run`` on each new file), batch size the first of ``--sizes``, and compared with one run.
Since session 7 none should differ when the stream is dated (``--undated-every 0``): the
links a run's end makes are provisional. Since session 9 none should differ with undated
reports either: they wait for the end of their run, and the next run undoes what grouping
them there wrote (the store's undo log) and groups them again at its own end.

``--text-dated-every N``: every N-th dated report carries its date in a dateline only
(``NORDVIK, 4 March 2025 (Meridian Wire) -``), so newsfold reads it from the text (at its
place in the date order all the same). Since session 8 none should differ then either
(before, a cached norm recomputed by scoring alone was not saved).

``--embedder use-m3``: the multilingual encoder instead of hashing vectors. Since
session 13 it encodes each text alone, so a text's vector no longer depends on the batch
it lands in (before, it moved by up to about 5e-7 with its micro-batch neighbours). One
encoder is loaded once and shared by every run here (so vectors are computed in this
process, not in the worker process ``newsfold run`` uses from its second batch on: the
same code, one BLAS thread either way); hashing vectors depend on their text only, and
each Pipeline builds its own embedder as before.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

# E402: these imports need the sys.path lines above (run as a script or a module)
from benchmarks.synth import Generator  # noqa: E402
from newsfold.embed import Embedder, make_embedder  # noqa: E402
from newsfold.export import export_rows  # noqa: E402
from newsfold.pipeline import Pipeline, PipelineOptions  # noqa: E402
from newsfold.store import open_store  # noqa: E402

ADDED = "The agency added that further details would follow later today."


def stream(path: Path, n: int, seed: int, undated_every: int, text_dated_every: int = 0) -> int:
    """Write the stream described above to ``path``; returns its number of lines."""
    rng = random.Random(seed)
    lines: list[dict[str, Any]] = []
    for doc in Generator(seed, days=20).first(n):
        text = "\n\n".join(doc.paragraphs)
        lines.append({"id": doc.id, "title": doc.title, "text": text, "published": str(doc.date)})
    copies = []
    for line in lines:
        draw = rng.random()
        if draw < 0.08:
            copies.append(dict(line, id=line["id"] + "-exact"))
        elif draw < 0.16:
            copies.append(dict(line, id=line["id"] + "-long", text=line["text"] + "\n\n" + ADDED))
        elif draw < 0.22 and line["text"].count("\n\n") >= 2:
            day = dt.date.fromisoformat(line["published"]) + dt.timedelta(days=1)
            short = "\n\n".join(line["text"].split("\n\n")[:-1])
            copies.append(dict(line, id=line["id"] + "-short", text=short, published=str(day)))
    lines += copies
    undated = []
    if undated_every:
        for i, line in enumerate(lines):
            if i % undated_every == 3:
                line.pop("published")
                undated.append(line)
    rng.shuffle(lines)
    ordered = sorted((x for x in lines if "published" in x), key=lambda x: x["published"])
    every = max(1, len(ordered) // (len(undated) + 1))
    out = []
    for j, line in enumerate(ordered):
        out.append(line)
        if j % every == every - 1 and undated:
            out.append(undated.pop())
    out += undated
    for i, line in enumerate(out):  # the date in a dateline only (read from the text)
        if text_dated_every and "published" in line and i % text_dated_every == 1:
            day = dt.date.fromisoformat(line.pop("published"))
            line["text"] = (
                f"NORDVIK, {day.day} {day:%B} {day.year} (Meridian Wire) - " + line["text"]
            )
    path.write_text("".join(json.dumps(x) + "\n" for x in out), encoding="utf-8")
    return len(out)


def run(
    path: Path, batch_size: int, lines: int = 0, embedder: str = "hashing"
) -> dict[str, tuple[Any, ...]]:
    """Each article's (event, duplicate_of, storyline) after running ``path`` in one run,
    or in runs of ``lines`` lines."""
    store = open_store("sqlite:///:memory:")
    options = PipelineOptions(batch_size=batch_size, embedder=embedder, facts=False)
    shared = None if embedder == "hashing" else _loaded(embedder)
    rows = path.read_text(encoding="utf-8").splitlines(keepends=True)
    step = lines or len(rows)
    for start in range(0, len(rows), step):
        part = path.with_name(f"run-{start:06d}.jsonl")
        part.write_text("".join(rows[start : start + step]), encoding="utf-8")
        Pipeline(store, options, embedder=shared).run([str(part)])
    rows = export_rows(store, with_facts=False)
    return {r["id"]: (r["event"], r["duplicate_of"], r["storyline"]) for r in rows}


_EMBEDDERS: dict[str, Embedder] = {}


def _loaded(name: str) -> Embedder:
    """One embedder ``name`` for all runs (the encoder's weights load once)."""
    if name not in _EMBEDDERS:
        _EMBEDDERS[name] = make_embedder(name)
    return _EMBEDDERS[name]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--undated-every", type=int, default=10)
    parser.add_argument(
        "--text-dated-every", type=int, default=0, help="date in a dateline only (0: none)"
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 1, 2, 3, 7, 50])
    parser.add_argument("--runs", type=int, nargs="*", default=[], help="lines per run")
    parser.add_argument("--embedder", choices=["hashing", "use-m3"], default="hashing")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "stream.jsonl"
        lines = stream(path, args.articles, args.seed, args.undated_every, args.text_dated_every)
        first = run(path, args.sizes[0], embedder=args.embedder)
        events = len({v[0] for v in first.values()})
        which = "" if args.embedder == "hashing" else f" ({args.embedder})"
        print(f"{lines} lines{which}; batch size {args.sizes[0]}: {events} events")
        for size in args.sizes[1:]:
            other = run(path, size, embedder=args.embedder)
            diff = [sum(first[k][i] != other[k][i] for k in first) for i in range(3)]
            print(
                f"batch size {size}: articles with another event id {diff[0]}, "
                f"duplicate_of {diff[1]}, storyline id {diff[2]}"
            )
        for lines_per_run in args.runs:
            other = run(path, args.sizes[0], lines_per_run, args.embedder)
            diff = [sum(first[k][i] != other[k][i] for k in first) for i in range(3)]
            print(
                f"runs of {lines_per_run} lines: articles with another event id {diff[0]}, "
                f"duplicate_of {diff[1]}, storyline id {diff[2]}"
            )


if __name__ == "__main__":
    main()
