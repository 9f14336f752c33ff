"""Crash safety: `newsfold run` killed with SIGKILL mid-batch, then run again, leaves the
same store as a run that was never interrupted: no lost articles, no duplicates, the
same events, storylines and ids.

The corpus is the synthetic one (benchmarks/synth.py: wire copies, rewrites, several
languages and formats); the fast hashing embedder keeps the test quick, since what is
tested is the transaction and resume logic, not the vectors.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # benchmarks/ is a folder beside src/, not installed
    sys.path.insert(0, str(ROOT))

from benchmarks import synth  # noqa: E402  # needs the path set just above

from cli_helpers import fast_run_argv  # noqa: E402  # tests/ is on the path (pytest rootdir)

pytestmark = pytest.mark.slow  # several CLI runs: about half a minute

BATCH = 24


def run_cmd(corpus: Path, db: Path) -> list[str]:
    return fast_run_argv([corpus], db, batch_size=BATCH)


def snapshot(db: Path) -> dict[str, Any]:
    """Everything a user sees in the store, without run ids and timestamps."""
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    out = {
        "articles": conn.execute(
            "SELECT id, seq, content_hash, title, text, published, date_source, duplicate_of, "
            "event, embedding, minhash FROM articles ORDER BY seq"
        ).fetchall(),
        "events": conn.execute(
            "SELECT id, storyline, title, first_date, last_date, articles, outlets, languages, "
            "state FROM events ORDER BY id"
        ).fetchall(),
        "storylines": conn.execute(
            "SELECT id, title, first_date, last_date, events, state FROM storylines ORDER BY id"
        ).fetchall(),
        "rejections": conn.execute(
            "SELECT path, line, reason FROM rejections ORDER BY path, line"
        ).fetchall(),
        "frequencies": conn.execute(
            "SELECT value FROM meta WHERE key = 'document_frequencies'"
        ).fetchall(),
    }
    conn.close()
    # States are JSON whose key order depends on the order counts were added in (a resumed
    # run loads them from the store first), and whose sets are written in hash order (which
    # differs between processes): compare what they say, not their bytes.
    out["events"] = [(*row[:-1], _canonical(json.loads(row[-1]))) for row in out["events"]]
    out["storylines"] = [(*row[:-1], _canonical(json.loads(row[-1]))) for row in out["storylines"]]
    out["frequencies"] = [json.loads(row[0]) for row in out["frequencies"]]
    return out


ORDERED = {"members", "events"}  # lists whose order means something (joining order)


def _canonical(value: Any, key: str = "") -> Any:
    """Lists of strings sorted (they are sets written in hash order), except ORDERED ones."""
    if isinstance(value, dict):
        return {k: _canonical(v, k) for k, v in value.items()}
    if isinstance(value, list):
        items = [_canonical(v, key) for v in value]
        if key not in ORDERED and items and all(isinstance(v, str) for v in items):
            return sorted(items)
        return items
    return value


def _same(got: dict[str, Any], expected: dict[str, Any]) -> None:
    """Equal snapshots; else name the first row that differs in each table."""
    problems = []
    for key, rows in expected.items():
        if got[key] != rows:
            diff = next(
                ((a, b) for a, b in zip(got[key], rows, strict=False) if a != b),
                (len(got[key]), len(rows)),
            )
            problems.append(f"{key}: {str(diff[0])[:300]} != {str(diff[1])[:300]}")
    assert not problems, "\n".join(problems)


def _articles(db: Path) -> int:
    if not db.exists():
        return 0
    conn = sqlite3.connect(db, timeout=0.05)
    try:
        return int(conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0])
    except sqlite3.OperationalError:  # not created yet, or busy
        return 0
    finally:
        conn.close()


def _in_write_transaction(db: Path) -> bool:
    """True while another connection holds the write lock (newsfold inside its batch)."""
    conn = sqlite3.connect(db, timeout=0, isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError:
        return True
    finally:
        conn.close()


def kill_when(cmd: list[str], db: Path, ready: Any, deadline: float = 120) -> int:
    """Start ``cmd``, SIGKILL it as soon as ``ready()`` holds; returns articles stored then."""
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    end = time.monotonic() + deadline
    try:
        while time.monotonic() < end:
            if proc.poll() is not None:
                pytest.fail("the run finished before it could be killed: make the corpus bigger")
            if ready():
                os.kill(proc.pid, signal.SIGKILL)
                break
            time.sleep(0.002)
        else:
            pytest.fail("timed out waiting to kill the run")
    finally:
        proc.kill()
        proc.wait()
    assert proc.returncode == -signal.SIGKILL
    return _articles(db)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("synth")
    synth.generate(400, out, seed=7, days=120)
    bad = out / "articles" / "2025-01-01"
    bad.mkdir(exist_ok=True)
    (bad / "broken.jsonl").write_text('{"id": "b1", "text": "fine, this one"}\n{broken\n')
    return out / "articles"


def test_sigkill_mid_batch_then_rerun_equals_uninterrupted(corpus: Path, tmp_path: Path) -> None:
    ref = tmp_path / "ref.db"
    done = subprocess.run(run_cmd(corpus, ref), capture_output=True, text=True, timeout=300)
    assert done.returncode == 3, done.stderr  # 3: finished, the broken line was rejected
    expected = snapshot(ref)
    total = len(expected["articles"])
    assert total == 401

    db = tmp_path / "crash.db"
    cmd = run_cmd(corpus, db)
    # 1. killed during the heavy work of a batch, after at least two batches landed
    stored = kill_when(cmd, db, lambda: _articles(db) >= 2 * BATCH)
    assert 0 < stored < total
    # 2. killed inside the write transaction of a later batch (the write lock is held)
    seen = _articles(db)
    stored = kill_when(cmd, db, lambda: _articles(db) > seen and _in_write_transaction(db))
    assert seen < stored < total
    # 3. killed again straight away, maybe while it is still skipping known articles
    kill_when(cmd, db, lambda: True)
    # then a normal run finishes the job
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert done.returncode == 3, done.stderr
    _same(snapshot(db), expected)
    # and one more run changes nothing
    again = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert '"new": 0' in again.stdout
    _same(snapshot(db), expected)
