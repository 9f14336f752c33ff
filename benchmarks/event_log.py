"""Reading one event's history from the event log, with and without its indexes.

    python -m benchmarks.event_log [--rows 200000] [--events 20000]

An event page shows the event's history (``Store.event_log(event_id)``: rows naming it as
subject or other), and a merged id is followed through the log's merges. The log holds one
row per article joined, so without the indexes of migration ``m004_event_log_ids`` each
lookup reads the whole log. The script fills a temporary store with ``--rows`` "join" rows
spread over ``--events`` events and times the lookup both ways (mean milliseconds).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

# E402: this import needs the sys.path line above (run as a script or a module)
from newsfold.store import SQLiteStore  # noqa: E402


def mean_ms(store: SQLiteStore, events: int, lookups: int) -> float:
    started = time.perf_counter()
    for k in range(lookups):
        store.event_log(f"ev-{k * 7919 % events}")
    return (time.perf_counter() - started) / lookups * 1000


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--events", type=int, default=20_000)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        store = SQLiteStore(Path(tmp) / "log.db")
        with store.batch():
            run = store.start_run("benchmark")
            for i in range(args.rows):
                store.log(run, "join", f"ev-{i % args.events}", article=f"a{i}.txt")
        indexed = mean_ms(store, args.events, 500)
        store.conn.execute("DROP INDEX event_log_subject")
        store.conn.execute("DROP INDEX event_log_other")
        scanned = mean_ms(store, args.events, 20)
        store.close()
    print(
        f"one event's history from a log of {args.rows:,} rows: "
        f"{indexed:.3f} ms with the m004 indexes, {scanned:.1f} ms without"
    )


if __name__ == "__main__":
    main()
