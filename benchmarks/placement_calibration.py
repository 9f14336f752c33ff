"""Does "borderline" point at the wrong groupings? Placements against gold labels.

    python -m benchmarks.placement_calibration [--shared ../shared] [--splits dev test]
                                               [--sample]

Every article placement is logged with how sure it was (:class:`newsfold.events.Placement`:
the score of the event it joined, or that it founded one, and the best other candidate);
``newsfold show`` and the event page mark borderline ones "?". This runs ECB+ splits
(and ``--sample``: the bundled sample corpus) through the normal pipeline (multilingual
encoder, facts off), reads each article's placement as a reader sees it
(:meth:`Store.event_placements`), and counts, for joins and for foundings, borderline or
not, how many are wrong against the gold events:

* a **join** is wrong when the article's gold event is not the gold event most of its
  final event's articles belong to (it was put with another happening);
* a **founding** is wrong when the article does not end in the piece that holds most of
  its gold event (it split off from its happening).

Copies (placed with their text, unscored) are counted apart. Both judge the final
grouping, not the decision when it was made: a right join into an event that later
merged wrongly counts as wrong. Ties (of a majority, of a main piece) go to the first
seen. The margin (``BORDERLINE_MARGIN``, 0.3) was chosen with this script on the train
and dev splits; the test split is for the figure reported.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT / "src") not in sys.path:
    sys.path.insert(0, str(ROOT / "src"))

# E402: these imports need the sys.path lines above (run as a script or a module)
from newsfold.evaluate import stored_events  # noqa: E402
from newsfold.pipeline import Pipeline, PipelineOptions  # noqa: E402
from newsfold.store import open_store  # noqa: E402


def placements(paths: list[str], embedder: Any) -> tuple[dict[str, str], dict[str, Any]]:
    """Fold ``paths`` into a fresh store: (article -> event, article -> placement)."""
    with tempfile.TemporaryDirectory(prefix="newsfold-placed-") as tmp:
        store = open_store(str(Path(tmp) / "placed.db"))
        try:
            Pipeline(store, PipelineOptions(facts=False), embedder=embedder).run(paths)
            events = stored_events(store)
            placed: dict[str, Any] = {}
            for event in store.list_events(limit=1_000_000):
                rows = store.event_articles(event["id"])
                placed.update(store.event_placements(event["id"], rows))
        finally:
            store.close()
    return events, placed


def tally(
    gold: dict[str, str], events: dict[str, str], placed: dict[str, Any]
) -> dict[str, Counter[str]]:
    """kind ("join", "join ?", "found", "found ?", "copy", "unlogged") -> Counter of
    "all" and "wrong"."""
    members: dict[str, list[str]] = defaultdict(list)
    for article, event in events.items():
        members[event].append(article)
    majority = {}  # event -> the gold event most of its (labelled) articles belong to
    for event, articles in members.items():
        labels = Counter(gold[a] for a in articles if a in gold)
        if labels:
            majority[event] = labels.most_common(1)[0][0]
    pieces: dict[str, Counter[str]] = defaultdict(Counter)
    for article, event in events.items():
        if article in gold:
            pieces[gold[article]][event] += 1
    main_piece = {g: c.most_common(1)[0][0] for g, c in pieces.items()}
    out: dict[str, Counter[str]] = defaultdict(Counter)
    for article, label in gold.items():
        event = events.get(article)
        if event is None:
            continue
        found = placed.get(article)
        if found is None:
            kind, wrong = "unlogged", False
        elif found.get("copy"):
            kind, wrong = "copy", majority.get(event) != label
        elif found.get("score") is None:
            kind, wrong = "found", main_piece[label] != event
        else:
            kind, wrong = "join", majority.get(event) != label
        if found is not None and found.get("borderline"):
            kind += " ?"
        out[kind]["all"] += 1
        out[kind]["wrong"] += wrong
    return out


def ecb_paths(shared: Path, split: str, tmp: Path) -> tuple[list[str], dict[str, str]]:
    source = shared / "bench" / "ecbplus" / "docs.jsonl"
    gold: dict[str, str] = {}
    path = tmp / f"ecbplus-{split}.jsonl"
    with source.open(encoding="utf-8") as src, path.open("w", encoding="utf-8") as out:
        for line in src:
            doc = json.loads(line)
            if doc["split"] == split:
                gold[doc["id"]] = doc["event"]
                out.write(json.dumps({"id": doc["id"], "text": doc["text"]}) + "\n")
    return [str(path)], gold


def sample_paths() -> tuple[list[str], dict[str, str]]:
    doc = json.loads((ROOT / "sample" / "gold.json").read_text(encoding="utf-8"))
    return [str(ROOT / "sample" / "articles")], {a: g["event"] for a, g in doc["articles"].items()}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--splits", nargs="*", default=["dev", "test"], help="ECB+ splits")
    parser.add_argument("--sample", action="store_true", help="the bundled sample corpus too")
    args = parser.parse_args(argv)
    from newsfold.embed import make_embedder

    embedder = make_embedder("use-m3")
    print("| data | kind | articles | wrong | share wrong |")
    print("|---|---|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as tmp:
        runs = [(f"ECB+ {s}", *ecb_paths(args.shared, s, Path(tmp))) for s in args.splits]
        if args.sample:
            runs.append(("sample", *sample_paths()))
        for name, paths, gold in runs:
            events, placed = placements(paths, embedder)
            counts = tally(gold, events, placed)
            for kind in ("join", "join ?", "found", "found ?", "copy", "copy ?", "unlogged"):
                c = counts.get(kind)
                if c:
                    share = c["wrong"] / c["all"]
                    print(f"| {name} | {kind} | {c['all']} | {c['wrong']} | {share:.2f} |")


if __name__ == "__main__":
    main()
