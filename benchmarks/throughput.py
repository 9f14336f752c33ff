"""End-to-end throughput of ``newsfold run`` on the synthetic corpus, with the naive baseline.

For each size: generate the corpus (``benchmarks.synth``, cached by size and seed),
run ``newsfold run CORPUS --db NEW.db --json -q`` in a child process, and report
articles/s end to end, seconds per stage (RunStats.stage_seconds), the child's peak
RSS (``wait4``), the store's size on disk, and the event/storyline/copy quality
against the corpus labels. The naive baseline (``benchmarks.naive_baseline``) runs
in the same invocation, in its own child process, at the sizes given to
``--baseline-sizes``. Usage::

    python -m benchmarks.throughput --sizes 1000 10000 100000 --baseline-sizes 1000 \\
        --work /tmp/nf-bench --out benchmarks/results.json
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from benchmarks import synth
from benchmarks.machine import cpu_model


def ensure_corpus(size: int, seed: int, work: Path, formats: str = "mixed") -> Path:
    folder = work / f"synth-{size}-s{seed}-{formats}"
    if not (folder / "labels.json").exists():
        synth.generate(size, folder, seed=seed, formats=formats)
    return folder


def run_child(
    cmd: list[str],
    stdout_path: Path,
    db: Path | None = None,
    every: float = 60.0,
    max_seconds: float | None = None,
) -> tuple[int, float, int, float, list[tuple[float, int, int, float]]]:
    """Run ``cmd``; returns (exit status, wall seconds, peak RSS in bytes, CPU seconds of
    that child, and (seconds, articles stored in ``db``, peak RSS MB so far, CPU seconds
    so far) samples taken
    every ``every`` s). After ``max_seconds`` the child gets SIGINT (newsfold keeps the
    batches it committed and exits 130)."""
    started = time.perf_counter()
    samples: list[tuple[float, int, int, float]] = []
    interrupted = False
    with stdout_path.open("wb") as out, (stdout_path.with_suffix(".err")).open("wb") as err:
        # A shell's background job starts with SIGINT ignored, and Python keeps it so:
        # give the child the default back, so that --max-seconds can stop it cleanly.
        proc = subprocess.Popen(
            cmd,
            stdout=out,
            stderr=err,
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.default_int_handler),
        )
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            time.sleep(0.2)
            elapsed = time.perf_counter() - started
            if db is not None and elapsed >= every * (len(samples) + 1):
                samples.append(
                    (round(elapsed, 1), _stored(db), _peak_rss_mb(proc.pid), _cpu(proc.pid))
                )
            if max_seconds is not None and elapsed > max_seconds and not interrupted:
                proc.send_signal(signal.SIGINT)
                interrupted = True
        proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - started
    if proc.returncode not in (0, 3):
        sys.stderr.write(stdout_path.with_suffix(".err").read_text(errors="replace"))
    cpu = usage.ru_utime + usage.ru_stime
    return proc.returncode, wall, usage.ru_maxrss * 1024, cpu, samples  # maxrss: KiB on Linux


def _cpu(pid: int) -> float:
    """CPU seconds (user + system) the process has used so far."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return round((int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK"), 1)
    except (OSError, IndexError, ValueError):
        return -1.0


def _peak_rss_mb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) // 1024
    except OSError:
        pass
    return -1


def _stored(db: Path) -> int:
    import sqlite3

    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
        try:
            return int(conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0])
        finally:
            conn.close()
    except sqlite3.Error:
        return -1


def facts_available() -> bool:
    try:
        from newsfold.facts import FactExtractor  # noqa: F401  # only probing
    except ImportError:
        return False
    return True


def run_newsfold(
    corpus: Path,
    work: Path,
    facts: bool,
    embedder: str,
    batch_size: int,
    max_seconds: float | None = None,
    facts_processes: int = 1,
    embed_process: bool = True,
) -> dict[str, Any]:
    db = work / f"{corpus.name}-{embedder}{'' if facts else '-nofacts'}.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    cmd = [
        sys.executable,
        "-m",
        "newsfold",
        "run",
        str(corpus / "articles"),
        "--db",
        str(db),
        "--json",
        "-q",
        "--embedder",
        embedder,
        "--batch-size",
        str(batch_size),
    ]
    if not facts:
        cmd.append("--no-facts")
    cmd += ["--facts-processes", str(facts_processes)]
    if not embed_process:
        cmd.append("--no-embed-process")
    load = os.getloadavg()[0]
    status, wall, rss, cpu, samples = run_child(cmd, work / "run.json", db, max_seconds=max_seconds)
    if status == 130:  # stopped at --max-seconds: what was committed, from the store
        stored = _stored(db)
        stats: dict[str, Any] = {
            "read": stored,
            "new": stored,
            "rejected": 0,
            "seconds": wall,
            "stage_seconds": {},
            "events": None,
            "storylines": None,
            "stopped": True,
        }
    elif status not in (0, 3):
        raise SystemExit(f"newsfold run failed ({status}): {' '.join(cmd)}")
    else:
        stats = json.loads((work / "run.json").read_text())
    size = sum(Path(f"{db}{s}").stat().st_size for s in ("", "-wal") if Path(f"{db}{s}").exists())
    from newsfold.export import export_rows
    from newsfold.store import open_store

    store = open_store(str(db))
    rows = list(export_rows(store, with_facts=False))
    store.close()
    return {
        "command": " ".join(cmd[2:]),
        "wall_seconds": round(wall, 2),
        "pipeline_seconds": stats["seconds"],
        "articles": stats["read"],
        "new": stats["new"],
        "rejected": stats["rejected"],
        "events": stats["events"],
        "storylines": stats["storylines"],
        "articles_per_second": round(stats["read"] / wall, 1),
        "stopped_at_max_seconds": bool(stats.get("stopped")),
        "cpu_seconds": round(cpu, 1),
        "load_before": round(load, 2),
        "load_after": round(os.getloadavg()[0], 2),
        "stored_over_time": samples,
        "stage_seconds": stats["stage_seconds"],
        "peak_rss_mb": round(rss / 2**20),
        "store_mb": round(size / 2**20, 1),
        "pred_event": {r["id"]: r["event"] for r in rows},
        "pred_storyline": {r["id"]: r["storyline"] for r in rows},
        "pred_duplicate": {r["id"]: r["duplicate_of"] for r in rows},
    }


def run_baseline(corpus: Path, work: Path) -> dict[str, Any]:
    out = work / f"{corpus.name}-naive.json"
    cmd = [
        sys.executable,
        "-m",
        "benchmarks.naive_baseline",
        str(corpus / "articles"),
        "--out",
        str(out),
    ]
    load = os.getloadavg()[0]
    status, wall, rss, cpu, _ = run_child(cmd, work / "naive.log")
    if status != 0:
        raise SystemExit(f"naive baseline failed ({status})")
    result = json.loads(out.read_text())
    return {
        "command": " ".join(cmd[2:]),
        "wall_seconds": round(wall, 2),
        "articles": result["articles"],
        "articles_per_second": round(result["articles"] / wall, 2),
        "cpu_seconds": round(cpu, 1),
        "load_before": round(load, 2),
        "load_after": round(os.getloadavg()[0], 2),
        "stage_seconds": result["stage_seconds"],
        "peak_rss_mb": round(rss / 2**20),
        "pred_event": result["clusters"],
    }


# ---------------------------------------------------------------- quality
def pair_scores(pred: Mapping[str, Any], gold: Mapping[str, Any]) -> dict[str, float]:
    """Pairwise and BCubed precision/recall/F1 of a clustering against the labels."""
    ids = [i for i in gold if i in pred and pred[i] is not None]
    cells = Counter((pred[i], gold[i]) for i in ids)
    p_size = Counter(pred[i] for i in ids)
    g_size = Counter(gold[i] for i in ids)

    def pairs(n: int) -> int:
        return n * (n - 1) // 2

    tp = sum(pairs(n) for n in cells.values())
    pp = sum(pairs(n) for n in p_size.values())
    gp = sum(pairs(n) for n in g_size.values())
    p = tp / pp if pp else 1.0
    r = tp / gp if gp else 1.0
    bp = sum(n * n / p_size[k[0]] for k, n in cells.items()) / max(1, len(ids))
    br = sum(n * n / g_size[k[1]] for k, n in cells.items()) / max(1, len(ids))
    return {
        "pair_P": round(p, 3),
        "pair_R": round(r, 3),
        "pair_F1": round(2 * p * r / (p + r), 3) if p + r else 0.0,
        "bcubed_F1": round(2 * bp * br / (bp + br), 3) if bp + br else 0.0,
    }


def copy_scores(pred: Mapping[str, str | None], labels: Mapping[str, Any]) -> dict[str, float]:
    """Is an article flagged as a copy exactly when it is a labelled near-verbatim copy?"""
    flagged = {i for i, d in pred.items() if d}
    truth = {i for i, lab in labels.items() if lab["role"] == "copy"}
    tp = len(flagged & truth)
    return {
        "copy_P": round(tp / len(flagged), 3) if flagged else 1.0,
        "copy_R": round(tp / len(truth), 3) if truth else 1.0,
    }


def quality(result: dict[str, Any], labels: dict[str, Any]) -> dict[str, Any]:
    arts = labels["articles"]
    gold = {i: a["event"] for i, a in arts.items()}
    out = {"events": pair_scores(result.pop("pred_event"), gold)}
    if "pred_storyline" in result:
        out["storylines"] = pair_scores(
            result.pop("pred_storyline"), {i: a["storyline"] for i, a in arts.items()}
        )
        out["copies"] = copy_scores(result.pop("pred_duplicate"), arts)
    return out


# ---------------------------------------------------------------- report
def machine() -> dict[str, Any]:
    try:
        mem = int(Path("/proc/meminfo").read_text().split()[1]) // 2**20
    except OSError:
        mem = 0
    return {
        "cpu": cpu_model(),
        "cores": os.cpu_count(),
        "memory_gb": mem,
        "python": platform.python_version(),
        "date": dt.date.today().isoformat(),
    }


def markdown(results: dict[str, Any]) -> str:
    lines = [
        "| size | system | art/s | wall s | CPU s | clean+date | embed | facts | group "
        "| peak RSS MB | store MB | events (gold) | event pair F1 | BCubed F1 |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for size, runs in results["runs"].items():
        gold = runs.get("gold_events", "")
        for name in ("newsfold", "naive"):
            r = runs.get(name)
            if not r:
                continue
            st = r["stage_seconds"]
            stages = [st.get("clean+date"), st.get("embed"), st.get("facts"), st.get("group")]
            if name == "naive":
                stages = [
                    st.get("extract", 0) + st.get("spacy", 0),
                    st.get("embed"),
                    None,
                    st.get("all-pairs cluster"),
                ]
            cells = ["" if s is None else f"{s:.0f}" for s in stages]
            ev = r["quality"]["events"]
            lines.append(
                f"| {size} | {name} | {r['articles_per_second']} | {r['wall_seconds']:.0f} | "
                f"{r['cpu_seconds']:.0f} | "
                + " | ".join(cells)
                + f" | {r['peak_rss_mb']} | {r.get('store_mb', '')} | {r.get('events', '')} "
                f"({gold}) | {ev['pair_F1']} | {ev['bcubed_F1']} |"
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="newsfold throughput on the synthetic corpus")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000])
    parser.add_argument("--baseline-sizes", type=int, nargs="*", default=[1000])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work", type=Path, default=Path("/tmp/newsfold-bench"))
    parser.add_argument("--embedder", default="use-m3")
    parser.add_argument("--batch-size", type=int, default=256)
    parser.add_argument("--facts", choices=["auto", "on", "off"], default="auto")
    parser.add_argument("--formats", choices=["mixed", "jsonl"], default="mixed")
    parser.add_argument(
        "--facts-processes", type=int, default=1, help="passed to newsfold run (0: in process)"
    )
    parser.add_argument(
        "--no-embed-process", action="store_true", help="passed to newsfold run: embed in process"
    )
    parser.add_argument("--out", type=Path, default=None, help="write the results JSON here")
    parser.add_argument(
        "--max-seconds",
        type=float,
        default=None,
        help="stop a newsfold run after this long (SIGINT) and report the rate from what it stored",
    )
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    facts = {"on": True, "off": False, "auto": facts_available()}[args.facts]
    results: dict[str, Any] = {"machine": machine(), "facts": facts, "runs": {}}
    for size in args.sizes:
        corpus = ensure_corpus(size, args.seed, args.work, args.formats)
        labels = json.loads((corpus / "labels.json").read_text())
        runs: dict[str, Any] = {
            "gold_events": len(labels["events"]),
            "gold_storylines": len(labels["storylines"]),
        }
        res = run_newsfold(
            corpus,
            args.work,
            facts,
            args.embedder,
            args.batch_size,
            args.max_seconds,
            args.facts_processes,
            not args.no_embed_process,
        )
        res["quality"] = quality(res, labels)
        runs["newsfold"] = res
        print(json.dumps({"size": size, "newsfold": res}), flush=True)
        if size in args.baseline_sizes:
            base = run_baseline(corpus, args.work)
            base["quality"] = quality(base, labels)
            base["newsfold_speedup"] = round(
                res["articles_per_second"] / base["articles_per_second"], 1
            )
            runs["naive"] = base
            print(json.dumps({"size": size, "naive": base}), flush=True)
        results["runs"][str(size)] = runs
        if args.out:
            args.out.write_text(json.dumps(results, indent=1))
    print(markdown(results))


if __name__ == "__main__":
    main()
