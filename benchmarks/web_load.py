"""Load test for ``newsfold serve``: many concurrent clients on 127.0.0.1.

Starts ``newsfold serve`` on a free local port in a child process, discovers
real ids through the JSON API, then lets ``--clients`` threads request a mix of
pages and API calls until ``--requests`` have been made or ``--seconds`` have
passed, whichever comes first; then stops the server and prints latency
percentiles (p50, p95, p99, max), throughput and errors, overall and per kind
of request. It never talks to anything but 127.0.0.1.

    python benchmarks/web_load.py --db newsfold.db
    python benchmarks/web_load.py --synthetic 20000          # a generated store
    python benchmarks/web_load.py --db newsfold.db --markdown  # a table for BENCHMARKS.md
    python benchmarks/web_load.py --db newsfold.db --workers 2 --cache-mb 0  # server options
    python benchmarks/web_load.py --db newsfold.db --unique-urls  # no answer from the cache
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import platform
import random
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script: benchmarks/ is then the path, not its parent
    sys.path.insert(0, str(ROOT))

from benchmarks.machine import cpu_model  # noqa: E402  # needs the path set just above

HOST = "127.0.0.1"


def start_server(db: Path, extra: list[str] | None = None) -> tuple[subprocess.Popen[str], int]:
    """``newsfold serve --port 0`` (plus ``extra`` options) in a child process; returns
    it and its port."""
    command = [sys.executable, "-m", "newsfold", "serve", "--db", str(db), "--host", HOST]
    proc = subprocess.Popen(
        [*command, "--port", "0", *(extra or [])],
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
    )
    assert proc.stderr is not None
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        line = proc.stderr.readline()
        if not line:
            break
        found = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        if found:
            # keep draining stderr (the access log) so the child never blocks on a full pipe
            threading.Thread(target=lambda: [None for _ in proc.stderr or []], daemon=True).start()
            return proc, int(found.group(1))
    proc.kill()
    raise SystemExit(f"web_load: the server did not start: {line.strip()}")


def get(port: int, path: str, timeout: float = 30.0) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        conn.request("GET", path, headers={"Host": f"{HOST}:{port}"})
        reply = conn.getresponse()
        return reply.status, reply.read()
    finally:
        conn.close()


def q(value: str) -> str:
    return urllib.parse.quote(value, safe="")


def discover(port: int, sample: int = 40) -> dict[str, list[str]]:
    """Request paths by kind, built from ids the store really holds."""
    status, body = get(port, "/api/events?limit=500&sort=size")
    if status != 200:
        raise SystemExit(f"web_load: /api/events answered {status}")
    events = [e["id"] for e in json.loads(body)["items"]][:sample]
    lines = [s["id"] for s in json.loads(get(port, "/api/storylines?limit=500")[1])["items"]]
    articles: list[str] = []
    words: list[str] = []
    for event in events[:20]:
        data = json.loads(get(port, "/api/events/" + q(event))[1])
        articles += [a["id"] for a in data.get("article_list", [])][:5]
        words += [w for w in re.findall(r"[A-Za-z]{5,}", data.get("title") or "")][:2]
    outlets = [o["name"] for o in json.loads(get(port, "/api/entities?limit=20")[1])["items"]]
    words = words or ["report"]
    kinds: dict[str, list[str]] = {
        "events page": ["/events", "/events?sort=size", "/events?page=2"],
        "events filtered": [f"/events?q={q(w)}" for w in words[:10]]
        + ["/events?from=2025-03-01&to=2025-06-30", "/events?lang=en"]
        + [f"/events?entity={q(o)}" for o in outlets[:5]],
        "event page": ["/events/" + q(e) for e in events],
        "storyline page": ["/storylines/" + q(s) for s in lines[:sample]] or ["/storylines"],
        "article page": ["/articles/" + q(a) for a in articles[:sample]] or ["/events"],
        "search": [f"/search?q={q(w)}" for w in words[:10]],
        "api list": ["/api/events?limit=50", "/api/storylines", "/api/facts?limit=50"],
        "api detail": ["/api/events/" + q(e) for e in events[:10]]
        + ["/api/articles/" + q(a) for a in articles[:10]],
        "static": ["/static/style.css", "/static/app.js"],
    }
    return {k: v for k, v in kinds.items() if v}


def load(
    port: int,
    paths: dict[str, list[str]],
    clients: int,
    requests: int,
    seconds: float,
    unique: bool = False,
) -> dict[str, Any]:
    lock = threading.Lock()
    issued = 0
    deadline = time.monotonic() + seconds
    timings: dict[str, list[float]] = defaultdict(list)
    errors: Counter[str] = Counter()
    kinds = list(paths)
    # weights: pages people open all day more often than the rest
    weights = [{"event page": 4, "events page": 3, "article page": 3}.get(k, 1) for k in kinds]

    def client(seed: int) -> None:
        nonlocal issued
        rng = random.Random(seed)
        while True:
            with lock:
                if issued >= requests or time.monotonic() >= deadline:
                    return
                issued += 1
            kind = rng.choices(kinds, weights)[0]
            path = rng.choice(paths[kind])
            if unique and kind != "static":  # a URL never asked before: no cached answer
                path += ("&" if "?" in path else "?") + f"nocache={seed}-{rng.getrandbits(48)}"
            start = time.perf_counter()
            try:
                status, _ = get(port, path)
                error = None if status == 200 else f"HTTP {status}"
            except (OSError, http.client.HTTPException) as exc:
                error = type(exc).__name__
            took = time.perf_counter() - start
            with lock:
                timings[kind].append(took)
                if error:
                    errors[f"{error} {kind}"] += 1

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=seconds + 60)
    wall = time.perf_counter() - started
    return {"timings": timings, "errors": errors, "wall": wall}


def percentile(values: list[float], pct: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def summarize(result: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    everything = [t for ts in result["timings"].values() for t in ts]
    groups = [("all", everything), *sorted(result["timings"].items())]
    for kind, values in groups:
        errs = sum(n for k, n in result["errors"].items() if kind == "all" or k.endswith(kind))
        rows.append(
            {
                "kind": kind,
                "requests": len(values),
                "errors": errs,
                "p50_ms": percentile(values, 50) * 1000,
                "p95_ms": percentile(values, 95) * 1000,
                "p99_ms": percentile(values, 99) * 1000,
                "max_ms": max(values) * 1000 if values else float("nan"),
                "mean_ms": statistics.fmean(values) * 1000 if values else float("nan"),
            }
        )
    return rows


def machine() -> str:
    cpu = cpu_model(platform.processor() or platform.machine())
    memory = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kb / 1024 / 1024:.0f} GB RAM"
    except (OSError, ValueError, IndexError):
        pass
    return (
        f"{cpu}, {os.cpu_count()} CPU(s){memory}, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}"
    )


def synthetic_store(articles: int, folder: Path) -> Path:
    """A generated store: ``articles`` articles in events of 1..9, with facts and claims."""
    import numpy as np

    from newsfold.events import EventState
    from newsfold.models import Article
    from newsfold.store import SQLiteStore
    from newsfold.storylines import StorylineState

    rng = random.Random(7)
    outlets = [f"Outlet {i}" for i in range(40)]
    places = ["Dunmere", "Brannock", "Halvik", "Ostrel", "Saltmere", "Teleria", "Rasovia"]
    path = folder / "synthetic.db"
    store = SQLiteStore(path)
    vec, sig = np.zeros(4, np.float32), np.zeros(4, np.uint64)
    with store.batch():
        run = store.start_run("synthetic")
        events: dict[str, EventState] = {}
        seq, day0 = 0, dt.date(2024, 1, 1)
        while seq < articles:
            eid = f"ev-{len(events):06d}"
            day = day0 + dt.timedelta(days=rng.randrange(700))
            place = rng.choice(places)
            deaths = rng.randrange(2, 300)
            ev = events[eid] = EventState(eid, vec.copy(), title=f"Floods in {place}: {deaths}")
            ev.storyline = f"sl-{len(events) // 4:06d}"
            for k in range(rng.randint(1, 9)):
                seq += 1
                text = (
                    f"Floods hit {place} on Tuesday. At least {deaths + k % 2} people died, "
                    f"officials said. Report {seq} with more words about rain and rescue teams."
                )
                aid = f"syn/{seq:07d}.txt"
                art = Article(
                    id=aid, path=aid, format="txt", raw=text, text=text,
                    title=f"{place} floods: {deaths} dead ({seq})", url=None,
                    source=rng.choice(outlets), language="en", language_confidence=1.0,
                    published=day + dt.timedelta(days=k % 3), date_source="header",
                    date_confidence=1.0, date_evidence="", event=eid,
                )  # fmt: skip
                store.add_article(art, seq, run, vec, sig)
                start = text.index("At least")
                store.save_facts(aid, {
                    "entities": [{"start": 10, "end": 10 + len(place), "text": place,
                                  "label": "GPE", "canonical": place}],
                    "quantities": [{"start": start, "end": start + 20, "value": deaths,
                                    "thing": "deaths", "modality": "bound"}],
                    "quotes": [], "dates": [],
                })  # fmt: skip
                ev.size += 1
                ev.members.append(aid)
                ev.languages["en"] += 1
            store.save_corroboration(eid, {
                "event": eid, "origins": {m: m for m in ev.members},
                "claims": [{"event": eid, "thing": "deaths", "values": [deaths],
                            "modalities": ["bound"], "articles": ev.members,
                            "origins": len(ev.members), "first": ev.members[0],
                            "conflict": None, "members": []}],
            })  # fmt: skip
        store.save_events(events.values(), run)
        lines: dict[str, list[str]] = defaultdict(list)
        for ev in events.values():
            lines[ev.storyline or ""].append(ev.id)
        store.save_storylines(
            [StorylineState(sid, vec.copy(), events=ids, title=f"Storyline {sid}")
             for sid, ids in lines.items()],
            run,
        )  # fmt: skip
    store.close()
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--db", type=Path, help="an existing store to serve")
    source.add_argument("--synthetic", type=int, metavar="N", help="generate a store of N articles")
    parser.add_argument("--clients", type=int, default=100, help="concurrent clients (100)")
    parser.add_argument("--requests", type=int, default=5000, help="stop after this many (5000)")
    parser.add_argument("--seconds", type=float, default=60.0, help="or after this long (60)")
    parser.add_argument(
        "--workers", type=int, help="newsfold serve --workers N (default: the server's)"
    )
    parser.add_argument(
        "--cache-mb", type=int, help="newsfold serve --cache-mb M (0: no answer cache)"
    )
    parser.add_argument(
        "--unique-urls",
        action="store_true",
        help="add a never-repeated argument to every page and API URL, so no answer comes "
        "from the server's cache (its worst case)",
    )
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    args = parser.parse_args()
    if not 1 <= args.clients <= 500 or not 1 <= args.requests <= 1_000_000:
        parser.error("--clients must be 1..500 and --requests 1..1000000")
    if not 0 < args.seconds <= 3600:
        parser.error("--seconds must be in (0, 3600]")

    with tempfile.TemporaryDirectory(prefix="newsfold-load-") as tmp:
        db = args.db
        if args.synthetic:
            built = time.perf_counter()
            db = synthetic_store(args.synthetic, Path(tmp))
            print(f"built a synthetic store of {args.synthetic} articles in "
                  f"{time.perf_counter() - built:.1f} s", file=sys.stderr)  # fmt: skip
        if not Path(db).is_file():
            raise SystemExit(f"web_load: no store at {db}")
        extra = []
        if args.workers is not None:
            extra += ["--workers", str(args.workers)]
        if args.cache_mb is not None:
            extra += ["--cache-mb", str(args.cache_mb)]
        proc, port = start_server(db, extra)
        try:
            paths = discover(port)
            result = load(port, paths, args.clients, args.requests, args.seconds, args.unique_urls)
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
    rows = summarize(result)
    total = rows[0]
    meta = {
        "date": dt.date.today().isoformat(),
        "machine": machine(),
        "command": "python benchmarks/web_load.py " + " ".join(sys.argv[1:]),
        "clients": args.clients,
        "requests": total["requests"],
        "seconds": round(result["wall"], 2),
        "throughput_rps": round(total["requests"] / result["wall"], 1) if result["wall"] else 0,
        "errors": dict(result["errors"]),
    }
    if args.json:
        print(json.dumps({"meta": meta, "rows": rows}, indent=2))
        return
    print(
        f"{meta['requests']} requests from {args.clients} clients in {meta['seconds']} s "
        f"({meta['throughput_rps']} req/s), {total['errors']} error(s)"
    )
    head = "| requests | count | errors | p50 ms | p95 ms | p99 ms | max ms |"
    lines = [head, "|---|---:|---:|---:|---:|---:|---:|"] if args.markdown else []
    for r in rows:
        cells = [r["kind"], r["requests"], r["errors"]] + [
            f"{r[k]:.1f}" for k in ("p50_ms", "p95_ms", "p99_ms", "max_ms")
        ]
        if args.markdown:
            lines.append("| " + " | ".join(str(c) for c in cells) + " |")
        else:
            lines.append(
                f"{cells[0]:16} {cells[1]:>7} req {cells[2]:>4} err   p50 {cells[3]:>7} ms"
                f"   p95 {cells[4]:>7} ms   p99 {cells[5]:>7} ms   max {cells[6]:>7} ms"
            )
    print("\n".join(lines))
    if result["errors"]:
        print("errors: " + ", ".join(f"{k}: {n}" for k, n in result["errors"].most_common()))
    print(f"machine: {meta['machine']}; date: {meta['date']}")


if __name__ == "__main__":
    main()
