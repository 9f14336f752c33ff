"""Two `newsfold run` processes on one SQLite file: no corruption, no lost or doubled
articles; a writer that cannot get the lock fails with a clear message and writes no
partial batch."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from newsfold.errors import StoreError
from newsfold.pipeline import Pipeline, PipelineOptions
from newsfold.store.sqlite import SQLiteStore

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # benchmarks/ is a folder beside src/, not installed
    sys.path.insert(0, str(ROOT))

from benchmarks import synth  # noqa: E402  # needs the path set just above

from cli_helpers import fast_run_argv  # noqa: E402  # tests/ is on the path (pytest rootdir)


def _cmd(paths: list[Path], db: Path) -> list[str]:
    return fast_run_argv(paths, db, batch_size=16)


def _together(*cmds: list[str]) -> list[subprocess.CompletedProcess]:
    procs = [
        subprocess.Popen(c, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for c in cmds
    ]
    out = []
    for cmd, proc in zip(cmds, procs, strict=True):
        stdout, stderr = proc.communicate(timeout=300)
        out.append(subprocess.CompletedProcess(cmd, proc.returncode, stdout, stderr))
    return out


def _consistent(db: Path) -> dict[str, int]:
    """The store is intact and its summaries agree with its articles."""
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    orphans = conn.execute(
        "SELECT COUNT(*) FROM articles WHERE event IS NULL OR event NOT IN (SELECT id FROM events)"
    ).fetchone()[0]
    assert orphans == 0
    wrong = conn.execute(
        "SELECT COUNT(*) FROM events e WHERE e.articles != "
        "(SELECT COUNT(*) FROM articles a WHERE a.event = e.id)"
    ).fetchone()[0]
    assert wrong == 0
    counts = {
        "articles": conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0],
        "ids": conn.execute("SELECT COUNT(DISTINCT id) FROM articles").fetchone()[0],
        "seqs": conn.execute("SELECT COUNT(DISTINCT seq) FROM articles").fetchone()[0],
    }
    conn.close()
    return counts


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("synth")
    synth.generate(240, out, seed=3, days=90, formats="jsonl")
    return out / "articles"


def _ok(result: subprocess.CompletedProcess) -> dict:
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.slow
def test_two_runs_of_the_same_input_store_each_article_once(corpus: Path, tmp_path: Path) -> None:
    db = tmp_path / "same.db"  # does not exist yet: both processes race to create it
    first, second = (_ok(r) for r in _together(_cmd([corpus], db), _cmd([corpus], db)))
    counts = _consistent(db)
    assert counts == {"articles": 240, "ids": 240, "seqs": 240}
    assert first["new"] + second["new"] == 240
    assert first["rejected"] == second["rejected"] == 0  # same content: never a clash
    assert first["unchanged"] + second["unchanged"] == 240


@pytest.mark.slow
def test_two_runs_of_different_inputs_keep_both(corpus: Path, tmp_path: Path) -> None:
    days = sorted(p for p in corpus.iterdir())
    half = len(days) // 2
    db = tmp_path / "halves.db"
    SQLiteStore(db).close()  # created beforehand this time
    results = _together(_cmd(days[:half], db), _cmd(days[half:], db))
    new = sum(_ok(r)["new"] for r in results)
    assert new == 240
    assert _consistent(db) == {"articles": 240, "ids": 240, "seqs": 240}
    # and a third run over everything finds nothing new
    again = _ok(subprocess.run(_cmd([corpus], db), capture_output=True, text=True, timeout=300))
    assert again["new"] == 0 and again["unchanged"] == 240


def test_a_writer_that_cannot_get_the_lock_fails_cleanly(corpus: Path, tmp_path: Path) -> None:
    db = tmp_path / "busy.db"
    store = SQLiteStore(db, timeout=0.2)
    days = sorted(corpus.iterdir())
    Pipeline(store, PipelineOptions(embedder="hashing", facts=False, batch_size=16)).run(
        [str(days[0])]
    )
    before = _consistent(db)
    blocker = sqlite3.connect(db, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")  # another writer holds the lock
    try:
        with pytest.raises(StoreError, match="busy"):
            Pipeline(store, PipelineOptions(embedder="hashing", facts=False)).run(
                [str(d) for d in days[1:]]
            )
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert _consistent(db) == before  # nothing of the failed run landed
    store.close()
    # the CLI says so in one line, without a traceback
    blocker = sqlite3.connect(db, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        env_cmd = [
            sys.executable,
            "-c",
            "import sys; import newsfold.store.sqlite as s; "
            "s.SQLiteStore.__init__.__defaults__ = ('newsfold.db', 0.2); "
            "from newsfold.cli import main; sys.argv = sys.argv[1:]; main()",
            *_cmd([days[1]], db)[2:],
        ]
        result = subprocess.run(env_cmd, capture_output=True, text=True, timeout=120)
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert result.returncode == 1
    assert result.stderr.startswith("newsfold: error: ") and "busy" in result.stderr
    assert "Traceback" not in result.stderr
    assert _consistent(db) == before


def test_many_processes_create_a_new_store_at_once(tmp_path: Path) -> None:
    """The migrations of a new store run once, whoever gets there first."""
    code = (
        "import sys, time\n"
        "from newsfold.store.sqlite import SQLiteStore\n"
        "time.sleep(max(0.0, float(sys.argv[2]) - time.time()))\n"
        "SQLiteStore(sys.argv[1]).close()\n"
    )
    for round_ in range(3):
        db = tmp_path / f"new-{round_}.db"
        start = f"{time.time() + 1.5:.3f}"  # all of them past their imports, then go
        procs = [
            subprocess.Popen(
                [sys.executable, "-c", code, str(db), start], stderr=subprocess.PIPE, text=True
            )
            for _ in range(6)
        ]
        errors = [p.communicate(timeout=120)[1] for p in procs]
        assert [p.returncode for p in procs] == [0] * 6, errors
        conn = sqlite3.connect(db)
        names = [r[0] for r in conn.execute("SELECT name FROM _migrations ORDER BY name")]
        conn.close()
        assert len(names) == len(set(names)) >= 1
