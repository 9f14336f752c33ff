"""Speed of fact extraction and corroboration: articles/s with 1 and more processes.

Builds ``--articles`` English news articles of about ``--size`` characters from the
shared benchmark texts (read at run time from ``../shared/bench``, never copied here):

- ``ecbplus``: the texts of each gold event of ECB+ joined in file order and cut at a
  sentence end near ``--size``; an article's event is its gold event, so corroboration
  runs over real events of several reports;
- ``semeval``: the English texts of SemEval-2022 Task 8 (about 1 KB each, some with
  encoding damage), three joined into one article; events are ``--event-size``
  consecutive articles;
- ``synth``: the synthetic crawl of :mod:`benchmarks.synth` (headline and paragraphs,
  about 70% English, the rest French, German, Spanish and Italian; natural sizes),
  events from its labels.

Then, for each count in ``--processes``: extraction (:class:`FactExtractor`, batches of
``--batch`` articles, as the pipeline hands them over) and corroboration
(:func:`newsfold.corroborate.corroborate`, once per event) over every article. With one
process everything runs here; with N, events are shared out among N spawned worker
processes (whole events, balanced by characters) that each extract then corroborate
theirs. The model load (warm-up) is timed separately and not counted. Reported: wall
articles/s, CPU ms per article (each worker's own process time: the steady figure on a
shared machine), CPU ms per stage, the load average before and after, machine and date.
Usage::

    python -m benchmarks.facts_speed --source ecbplus --articles 500 --processes 1 2 --markdown
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import platform
import sys
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from benchmarks.machine import cpu_model
from newsfold.models import Article

BENCH = Path(__file__).resolve().parents[2] / "shared" / "bench"
SOURCES = ("ecbplus", "semeval", "synth")


# ----------------------------------------------------------------------------- articles


def _article(aid: str, text: str, title: str = "", language: str = "en") -> Article:
    return Article(
        id=aid, path=aid, format="txt", raw=text, text=text, title=title, url=None, source=None,
        language=language, language_confidence=1.0, published=dt.date(2020, 1, 1),
        date_source="given", date_confidence=1.0, date_evidence="",
    )  # fmt: skip


def _cut(buf: str, size: int) -> str:
    """``buf`` cut at the last sentence end before about ``size`` characters."""
    cut = buf.rfind(". ", 0, size + 100)
    return buf[: cut + 1] if cut > size * 0.8 else buf[:size]


def ecbplus_articles(n: int, size: int, bench: Path = BENCH) -> list[tuple[Article, str]]:
    """(article, gold event) pairs: each event's texts joined and cut into ~``size`` chars."""
    by_event: dict[str, list[str]] = {}
    with (bench / "ecbplus" / "docs.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            by_event.setdefault(str(row["event"]), []).append(row["text"])
    out: list[tuple[Article, str]] = []
    for event, texts in by_event.items():
        buf = ""
        for t in texts:
            buf += t.strip() + "\n"
            if len(buf) >= size:
                out.append((_article(f"ecb{len(out)}", _cut(buf, size)), event))
                buf = ""
    # events interleaved as a crawl would bring them, deterministically
    out.sort(key=lambda p: (int(p[0].id[3:]) * 7919) % 10007)
    return out[:n]


def semeval_articles(
    n: int, size: int, event_size: int, bench: Path = BENCH
) -> list[tuple[Article, str]]:
    """(article, event) pairs from the English SemEval-2022 Task 8 texts."""
    seen: dict[str, None] = {}
    for name in ("training_set.csv", "testing_set.csv"):
        with (bench / "semeval2022t8" / name).open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                for lang, text in ((row["lang1"], row["text1"]), (row["lang2"], row["text2"])):
                    if lang == "en" and len(text.strip()) > 200:
                        seen[text.strip()] = None
    out: list[tuple[Article, str]] = []
    buf = ""
    for text in seen:
        buf += text + "\n"
        if len(buf) >= size:
            k = len(out)
            out.append((_article(f"sem{k}", _cut(buf, size)), f"e{k // event_size}"))
            buf = ""
            if len(out) >= n:
                break
    return out


def synth_articles(n: int, seed: int = 1) -> list[tuple[Article, str]]:
    """(article, event) pairs of the synthetic crawl (all languages, natural sizes)."""
    from benchmarks import synth

    gen = synth.Generator(seed)
    out: list[tuple[Article, str]] = []
    for line, event in gen.stories():
        for doc in gen.reports(line, event):
            if len(out) >= n:
                return out
            text = "\n\n".join(doc.paragraphs)
            out.append((_article(doc.id, text, doc.title, doc.language), str(doc.label["event"])))
    return out


def load_articles(
    source: str, n: int, size: int, event_size: int, bench: Path = BENCH
) -> list[tuple[Article, str]]:
    if source == "ecbplus":
        return ecbplus_articles(n, size, bench)
    if source == "semeval":
        return semeval_articles(n, size, event_size, bench)
    if source == "synth":
        return synth_articles(n)
    raise ValueError(f"unknown source {source!r}")


# ----------------------------------------------------------------------------- work

_EXTRACTOR: Any = None


def _warm(ner_scope: str) -> float:
    """Load the model (in this process, once); returns the seconds it took."""
    global _EXTRACTOR
    from newsfold.facts import FactExtractor

    started = time.perf_counter()
    # a fresh extractor and empty corroboration caches for every measured run: what an
    # earlier run in this process read must not be served from a cache
    _EXTRACTOR = FactExtractor(ner_scope=ner_scope)
    _clear_caches()
    _EXTRACTOR.extract_many(
        [_article("warm", "Officials said 12 people were hurt in Paris on Monday, Reuters said.")]
    )
    _stages(_EXTRACTOR).clear()
    return time.perf_counter() - started


def _clear_caches() -> None:
    from newsfold import corroborate

    for name in ("_cached_text_features", "_cached_wires"):
        cached = getattr(corroborate, name, None)  # absent in code from before the caches
        if cached is not None:
            cached.cache_clear()


def _stages(fx: Any) -> dict[str, float]:
    """The extractor's CPU seconds by stage (empty for code from before it had them)."""
    stages: dict[str, float] = fx.__dict__.setdefault("stage_seconds", {})
    return stages


def _pid() -> int:
    time.sleep(0.05)
    return os.getpid()


def _work(events: list[list[Article]], batch: int, ner_scope: str) -> dict[str, Any]:
    """Extract facts for the articles of ``events`` (``batch`` at a time), then
    corroborate each event. Returns CPU and wall seconds and counts."""
    from newsfold.corroborate import corroborate

    _warm(ner_scope)
    fx = _EXTRACTOR
    _stages(fx).clear()
    articles = [a for ev in events for a in ev]
    cpu, wall = time.process_time(), time.perf_counter()
    facts: dict[str, Any] = {}
    for k in range(0, len(articles), batch):
        part = articles[k : k + batch]
        facts.update(zip((a.id for a in part), fx.extract_many(part), strict=True))
    x_cpu, x_wall = time.process_time() - cpu, time.perf_counter() - wall
    cpu, wall = time.process_time(), time.perf_counter()
    claims = 0
    for ev in events:
        claims += len(corroborate(ev[0].id, ev, facts).claims)
    c_cpu, c_wall = time.process_time() - cpu, time.perf_counter() - wall
    return {
        "articles": len(articles),
        "extract_cpu": x_cpu,
        "extract_wall": x_wall,
        "corroborate_cpu": c_cpu,
        "corroborate_wall": c_wall,
        "stages": dict(_stages(fx)),
        "quantities": sum(len(f.quantities) for f in facts.values()),
        "entities": sum(len(f.entities) for f in facts.values()),
        "quotes": sum(len(f.quotes) for f in facts.values()),
        "claims": claims,
    }


def share_out(events: Sequence[list[Article]], k: int) -> list[list[list[Article]]]:
    """``events`` in ``k`` shares of about equal characters (whole events)."""
    shares: list[list[list[Article]]] = [[] for _ in range(k)]
    load = [0] * k
    for ev in sorted(events, key=lambda e: -sum(len(a.text) for a in e)):
        i = load.index(min(load))
        shares[i].append(ev)
        load[i] += sum(len(a.text) for a in ev)
    return shares


def run(
    pairs: list[tuple[Article, str]], processes: int, batch: int, ner_scope: str
) -> dict[str, Any]:
    by_event: dict[str, list[Article]] = {}
    for a, ev in pairs:
        by_event.setdefault(ev, []).append(a)
    events = list(by_event.values())
    load_before = os.getloadavg()
    if processes <= 1:
        warm = _warm(ner_scope)
        wall = time.perf_counter()
        parts = [_work(events, batch, ner_scope)]
        wall = time.perf_counter() - wall
    else:
        shares = share_out(events, processes)
        ctx = get_context("spawn")
        w = time.perf_counter()
        with ProcessPoolExecutor(
            max_workers=processes, mp_context=ctx, initializer=_warm, initargs=(ner_scope,)
        ) as pool:
            # a task runs only once its worker's initializer (the model load) is done:
            # wait until every worker has answered one
            pids: set[int] = set()
            while len(pids) < processes:
                pids |= {f.result() for f in [pool.submit(_pid) for _ in range(processes)]}
            warm = time.perf_counter() - w
            wall = time.perf_counter()
            futures = [pool.submit(_work, share, batch, ner_scope) for share in shares if share]
            parts = [f.result() for f in futures]
            wall = time.perf_counter() - wall
    load_after = os.getloadavg()
    n = sum(p["articles"] for p in parts)
    x_cpu = sum(p["extract_cpu"] for p in parts)
    c_cpu = sum(p["corroborate_cpu"] for p in parts)
    stages: dict[str, float] = {}
    for p in parts:
        for k, v in p["stages"].items():
            stages[k] = stages.get(k, 0.0) + v
    return {
        "processes": processes,
        "articles": n,
        "events": len(events),
        "mean_chars": round(sum(len(a.text) for a, _ in pairs) / max(1, len(pairs))),
        "warmup_seconds": round(warm, 2),
        "wall_seconds": round(wall, 2),
        "articles_per_second": round(n / wall, 1),
        "cpu_seconds": round(x_cpu + c_cpu, 2),
        "cpu_ms_per_article": round(1000 * (x_cpu + c_cpu) / n, 1),
        "extract_cpu_ms_per_article": round(1000 * x_cpu / n, 1),
        "corroborate_cpu_ms_per_article": round(1000 * c_cpu / n, 1),
        "stage_cpu_ms_per_article": {k: round(1000 * v / n, 1) for k, v in stages.items()},
        "worker_wall_seconds": [round(p["extract_wall"] + p["corroborate_wall"], 2) for p in parts],
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in load_after],
        "quantities": sum(p["quantities"] for p in parts),
        "entities": sum(p["entities"] for p in parts),
        "quotes": sum(p["quotes"] for p in parts),
        "claims": sum(p["claims"] for p in parts),
    }


# ----------------------------------------------------------------------------- report


def machine() -> dict[str, Any]:
    cpu = cpu_model(platform.processor())
    try:
        import spacy

        spacy_version = spacy.__version__
    except ImportError:  # pragma: no cover  (spaCy is a dependency; only a broken install)
        spacy_version = "-"
    return {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "spacy": spacy_version,
        "platform": platform.platform(),
    }


def markdown(source: str, results: list[dict[str, Any]], info: dict[str, Any]) -> str:
    stages = sorted({k for r in results for k in r["stage_cpu_ms_per_article"]})
    head = (
        "| processes | articles | mean chars | articles/s (wall) | CPU ms/article | "
        "extract | corroborate | " + " | ".join(stages) + " | warm-up s | load avg |"
    )
    lines = [
        f"Facts speed, {source}: {info['date']}, {info['cpu']}, {info['cores']} cores, "
        f"Python {info['python']}, spaCy {info['spacy']}",
        "",
        head,
        "|" + "---|" * (head.count("|") - 1),
    ]
    for r in results:
        st = r["stage_cpu_ms_per_article"]
        lines.append(
            f"| {r['processes']} | {r['articles']} | {r['mean_chars']} | "
            f"{r['articles_per_second']} | {r['cpu_ms_per_article']} | "
            f"{r['extract_cpu_ms_per_article']} | {r['corroborate_cpu_ms_per_article']} | "
            + " | ".join(str(st.get(k, "-")) for k in stages)
            + f" | {r['warmup_seconds']} | {r['load_average_before'][0]} -> "
            f"{r['load_average_after'][0]} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--source", choices=SOURCES, default="ecbplus")
    ap.add_argument("--articles", type=int, default=500)
    ap.add_argument("--size", type=int, default=3000, help="characters per article")
    ap.add_argument("--processes", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--batch", type=int, default=128, help="articles per extract_many call")
    ap.add_argument("--event-size", type=int, default=10, help="semeval: articles per event")
    ap.add_argument("--ner-scope", choices=("selected", "full"), default="selected")
    ap.add_argument("--bench", type=Path, default=BENCH, help="the shared/bench folder")
    ap.add_argument("--markdown", action="store_true", help="a markdown table, not JSON")
    args = ap.parse_args(argv)
    pairs = load_articles(args.source, args.articles, args.size, args.event_size, args.bench)
    if not pairs:
        sys.exit(f"no articles from {args.source} under {args.bench}")
    info = machine()
    results = [run(pairs, p, args.batch, args.ner_scope) for p in args.processes]
    if args.markdown:
        print(markdown(args.source, results, info))
    else:
        print(json.dumps({"source": args.source, "machine": info, "runs": results}, indent=1))


if __name__ == "__main__":
    main()
