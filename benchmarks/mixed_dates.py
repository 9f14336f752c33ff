"""How good are events and storylines when some dates come only from the text?

    python -m benchmarks.mixed_dates [--seeds 1 2 3] [--n 2000]
                                     [--text-shares 0 0.25 0.5 1] [--undated-share 0]

Real streams mix reports whose date comes with them (a feed, a header, a page's
metadata, a URL) and reports whose only date is in the text (a dateline). newsfold
trusts the first kind more: the time prior's penalty is capped at 8 logits when every
date on both sides comes from metadata, at 4 otherwise, and at 2.5 for a text date a
week or more from the event's (``TIME_PRIOR`` in events.py). The synthetic gates
measure streams dated from metadata only and ECB+ has text dates only; this benchmark
measures the mix.

The stream is the synthetic crawl the gates use (:mod:`benchmarks.synth`, generator
seed, 60 days, the first ``n`` articles in date order). A share of the dated reports,
drawn at random with the seed, loses its ``published`` field and carries its date in a
dateline in its own language instead: the place of its storyline, the date, its outlet
(``PEISINO, 4 March 2025 (Meridian Wire) -``; ``4. März 2025``, ``4 mars 2025``, ``4 de
marzo de 2025``, ``4 marzo 2025``);
``--undated-share`` of the reports lose their date altogether. Each stream runs through
the whole pipeline (multilingual encoder, batches of 256, facts off) into an in-memory
store, and events and storylines are scored (BCubed) against the generator's labels.
Also printed: how many dateline reports newsfold dated right, and how many of them it
read from a dateline (source ``dateline``). ``--trust-datelines``: runs with that
pipeline option (``newsfold run --trust-datelines``), which trusts such dates as much as
metadata.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT / "src") not in sys.path:
    sys.path.insert(0, str(ROOT / "src"))
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# E402: these imports need the sys.path lines above (run as a script or a module)
from benchmarks.synth import Generator  # noqa: E402
from newsfold.embed import Embedder, make_embedder  # noqa: E402
from newsfold.evaluate import bcubed, stored_events, stored_storylines  # noqa: E402
from newsfold.pipeline import Pipeline, PipelineOptions  # noqa: E402
from newsfold.store import open_store  # noqa: E402

MONTHS = {
    "de": "Januar Februar März April Mai Juni Juli August September Oktober November Dezember",
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
    "es": "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre "
    "diciembre",
    "it": "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre "
    "novembre dicembre",
}


def dateline(day: dt.date, language: str, place: str, outlet: str) -> str:
    """A dateline in ``language`` (English for languages without a form here)."""
    month = MONTHS[language].split()[day.month - 1] if language in MONTHS else None
    if language == "de":
        written = f"{day.day}. {month} {day.year}"
    elif language == "es":
        written = f"{day.day} de {month} de {day.year}"
    elif month:
        written = f"{day.day} {month} {day.year}"
    else:
        written = f"{day.day} {day:%B} {day.year}"
    return f"{place.upper()}, {written} ({outlet}) - "


def stream(
    path: Path, seed: int, n: int, text_share: float, undated_share: float
) -> tuple[dict[str, dict[str, str]], dict[str, dt.date]]:
    """Write the stream to ``path``; returns (gold labels by id, true date of each
    dateline report)."""
    rng = random.Random(f"mixed-dates {seed} {text_share} {undated_share}")
    gold: dict[str, dict[str, str]] = {}
    in_text: dict[str, dt.date] = {}
    lines = []
    for doc in Generator(seed, days=60).first(n):
        gold[doc.id] = {"event": doc.label["event"], "storyline": doc.label["storyline"]}
        text = "\n\n".join(doc.paragraphs)
        line: dict[str, Any] = {"id": doc.id, "title": doc.title, "text": text}
        draw = rng.random()
        if draw < undated_share:
            pass
        elif draw < undated_share + (1 - undated_share) * text_share:
            place = doc.label["_slots"]["place"]
            line["text"] = dateline(doc.date, doc.language, place, doc.outlet.name) + text
            in_text[doc.id] = doc.date
        else:
            line["published"] = str(doc.date)
        lines.append(line)
    path.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines), "utf-8")
    return gold, in_text


def measure(
    seed: int,
    n: int,
    text_share: float,
    undated_share: float,
    embedder: Embedder,
    trust_datelines: bool = False,
) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="newsfold-mixed-") as tmp:
        path = Path(tmp) / "stream.jsonl"
        gold, in_text = stream(path, seed, n, text_share, undated_share)
        store = open_store("sqlite:///:memory:")
        options = PipelineOptions(batch_size=256, facts=False, trust_datelines=trust_datelines)
        started = time.perf_counter()
        Pipeline(store, options, embedder=embedder).run([str(path)])
        seconds = time.perf_counter() - started
        events, lines = stored_events(store), stored_storylines(store)
        rows = {a: store.get_article(a, with_text=False) for a in in_text}
        store.close()
    right = sum(1 for a, day in in_text.items() if str(rows[a]["published"] or "")[:10] == str(day))
    from_dateline = sum(1 for row in rows.values() if row["date_source"] == "dateline")
    return {
        "events": bcubed({a: g["event"] for a, g in gold.items()}, events),
        "storylines": bcubed({a: g["storyline"] for a, g in gold.items()}, lines),
        "text_dated": len(in_text),
        "read_right": right,
        "from_dateline": from_dateline,
        "seconds": seconds,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--text-shares", type=float, nargs="+", default=[0.0, 0.25, 0.5, 1.0])
    parser.add_argument("--undated-share", type=float, default=0.0)
    parser.add_argument("--trust-datelines", action="store_true")
    args = parser.parse_args(argv)
    embedder = make_embedder("use-m3")
    print(
        "seed  text share  events P/R/F1        storylines P/R/F1    read right / from dateline  s"
    )
    for seed in args.seeds:
        for share in args.text_shares:
            res = measure(seed, args.n, share, args.undated_share, embedder, args.trust_datelines)
            ev = "/".join(f"{x:.3f}" for x in res["events"])
            sl = "/".join(f"{x:.3f}" for x in res["storylines"])
            dated = f"{res['read_right']}/{res['text_dated']} / {res['from_dateline']}"
            print(f"{seed:>4}  {share:>10.2f}  {ev}  {sl}  {dated:>16}  {res['seconds']:.0f}")


if __name__ == "__main__":
    main()
