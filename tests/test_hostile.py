"""Hostile and huge input: every ingest format either yields clean documents or clear
rejections, in bounded memory and time, and nothing unstorable reaches the store.

Fast tier: property tests over .txt, .html and .jsonl, and hand-made nasties (NUL bytes,
lone surrogates, mixed encodings, deep nesting, FIFOs, a 200 MB sparse file). Slow tier:
a 1 GB JSONL file through `newsfold run` and 100k tiny files through ingest, each in a
child process whose peak RSS and time are measured.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import textwrap
import time
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsfold.ingest import MAX_LINE_REJECTIONS, IngestLimits, iter_inputs
from newsfold.models import RawDocument, Rejection
from newsfold.pipeline import Pipeline, PipelineOptions
from newsfold.store import open_store

GOOD = "The river rose overnight and flooded the lower town, officials in Halvik said. " * 4


def _check(items: list[RawDocument | Rejection]) -> None:
    """What every ingest result must satisfy, whatever the input."""
    for item in items:
        assert isinstance(item, RawDocument | Rejection)
        if isinstance(item, Rejection):
            assert isinstance(item.reason, str) and item.reason
            item.path.encode("utf-8")  # storable as text
            continue
        for value in (
            item.id,
            item.path,
            item.raw,
            item.text,
            item.title,
            item.url,
            item.source,
            item.language,
            item.published,
        ):
            if value is not None:
                assert isinstance(value, str)
                value.encode("utf-8")  # no lone surrogates
                assert "\x00" not in value
        assert item.text.strip()


def _rej(item: RawDocument | Rejection) -> Rejection:
    assert isinstance(item, Rejection), item
    return item


def _doc(item: RawDocument | Rejection) -> RawDocument:
    assert isinstance(item, RawDocument), item
    return item


def _ingest(folder: Path, limits: IngestLimits | None = None) -> list[RawDocument | Rejection]:
    items = list(iter_inputs([str(folder)], limits))
    _check(items)
    return items


# ---------------------------------------------------------------- property tests
SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
ANY_CHAR = st.characters(min_codepoint=0, max_codepoint=0x10FFFF, exclude_categories=())


@SETTINGS
@given(data=st.binary(max_size=3000), suffix=st.sampled_from([".txt", ".html", ".htm", ".jsonl"]))
def test_any_bytes_in_any_format(
    tmp_path_factory: pytest.TempPathFactory, data: bytes, suffix: str
) -> None:
    folder = tmp_path_factory.mktemp("bytes")
    (folder / f"x{suffix}").write_bytes(data)
    items = _ingest(folder)
    assert items, "every file gives at least a document or a rejection"


@SETTINGS
@given(
    text=st.text(alphabet=ANY_CHAR, max_size=2000),
    suffix=st.sampled_from([".txt", ".html", ".jsonl"]),
    encoding=st.sampled_from(["utf-8", "utf-16", "latin-1", "cp1252", "utf-8-sig"]),
)
def test_any_text_in_any_encoding(
    tmp_path_factory: pytest.TempPathFactory, text: str, suffix: str, encoding: str
) -> None:
    folder = tmp_path_factory.mktemp("text")
    (folder / f"x{suffix}").write_bytes(
        text.encode(encoding, "surrogatepass" if encoding.startswith("utf") else "replace")
    )
    _ingest(folder)


JSON_SCALAR = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(alphabet=ANY_CHAR, max_size=200),
)
JSON_VALUE = st.recursive(
    JSON_SCALAR,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
RECORD = st.fixed_dictionaries(
    {},
    optional={
        key: JSON_VALUE | st.text(alphabet=ANY_CHAR, min_size=1, max_size=300)
        for key in ("id", "text", "title", "url", "published", "language", "source")
    },
)


@SETTINGS
@given(records=st.lists(RECORD | JSON_VALUE, min_size=1, max_size=8))
def test_any_json_lines(tmp_path_factory: pytest.TempPathFactory, records: list) -> None:
    folder = tmp_path_factory.mktemp("jsonl")
    # ensure_ascii escapes lone surrogates and NULs as \\udxxx and \\u0000: valid JSON text
    (folder / "feed.jsonl").write_text("\n".join(json.dumps(r) for r in records) + "\n")
    items = _ingest(folder)
    lines = [i.line for i in items if i.line is not None]
    assert lines == sorted(lines)


# ---------------------------------------------------------------- hand-made nasties
def test_nul_bytes(tmp_path: Path) -> None:
    (tmp_path / "head.txt").write_bytes(b"\x00\x00" + GOOD.encode())
    (tmp_path / "late.txt").write_bytes(GOOD.encode() * 300 + b"\x00tail" + GOOD.encode())
    (tmp_path / "feed.jsonl").write_text(json.dumps({"id": "n\u0000ul", "text": GOOD + "\u0000"}))
    items = {
        Path(i.path).name + (i.id if isinstance(i, RawDocument) else ""): i
        for i in _ingest(tmp_path)
    }
    assert "binary" in _rej(items["head.txt"]).reason
    assert isinstance(items["late.txtlate.txt"], RawDocument)  # NUL far in: dropped, kept
    assert isinstance(items["feed.jsonlnul"], RawDocument)


def test_lone_surrogates_and_bad_numbers_in_json(tmp_path: Path) -> None:
    lines = [
        '{"id": "s1", "text": "broken emoji \\ud83d here. ' + GOOD + '"}',
        '{"id": "deep", "text": ' + "[" * 100_000 + "]" * 100_000 + "}",
        '{"id": "big", "text": "x", "n": 1' + "0" * 5000 + "}",
        '{"id": {"nested": 1}, "text": "An article with an object for an id."}',
        '{"id": true, "text": "An article with a boolean id."}',
    ]
    (tmp_path / "feed.jsonl").write_text("\n".join(lines) + "\n")
    items = _ingest(tmp_path)
    docs = [i for i in items if isinstance(i, RawDocument)]
    reasons = {i.line: i.reason for i in items if isinstance(i, Rejection)}
    assert [d.id for d in docs] == ["s1"] and "\ufffd" in docs[0].text
    assert "nested too deeply" in reasons[2]
    assert "broken JSON" in reasons[3]
    assert "'id' must be" in reasons[4] and "'id' must be" in reasons[5]


def test_mixed_encodings(tmp_path: Path) -> None:
    (tmp_path / "utf16.txt").write_bytes(("Übersicht: " + GOOD).encode("utf-16"))
    (tmp_path / "latin1.txt").write_bytes(("Caf\u00e9 " + GOOD).encode("latin-1"))
    (tmp_path / "mixed.txt").write_bytes(GOOD.encode() + "caf\u00e9".encode("cp1252"))
    (tmp_path / "declared.html").write_bytes(
        (
            '<html><head><meta charset="windows-1252"><title>Caf\u00e9</title></head><body>'
            f"<article><p>{GOOD}</p><p>{GOOD}</p></article></body></html>"
        ).encode("cp1252")
    )
    items = {Path(i.path).name: i for i in _ingest(tmp_path)}
    assert _doc(items["utf16.txt"]).text.startswith("Übersicht")
    assert "not valid UTF-8" in _rej(items["latin1.txt"]).reason
    assert f"offset {len(GOOD) + 3}" in _rej(items["mixed.txt"]).reason
    assert isinstance(items["declared.html"], RawDocument)


def test_fifo_and_devices_are_not_read(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.txt")
    os.mkfifo(tmp_path / "pipe.jsonl")
    (tmp_path / "zero.txt").symlink_to("/dev/zero")
    (tmp_path / "zero.jsonl").symlink_to("/dev/zero")
    started = time.monotonic()
    items = _ingest(tmp_path)
    assert time.monotonic() - started < 5
    assert len(items) == 4
    assert all("not a regular file" in i.reason for i in items if isinstance(i, Rejection))


def test_200_mb_text_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    big = tmp_path / "huge.txt"
    with big.open("wb") as handle:  # sparse: 200 MB on paper, nothing on disk
        handle.write(GOOD.encode())
        handle.truncate(200 * 1024 * 1024)
    tracemalloc.start()
    started = time.monotonic()
    items = _ingest(tmp_path)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert "file too large (209.7 MB" in _rej(items[0]).reason
    assert time.monotonic() - started < 5
    assert peak < 3 * IngestLimits().max_file_bytes  # read at most up to the limit, once


def test_many_bad_lines_are_summarised(tmp_path: Path) -> None:
    rows = [json.dumps({"id": "first", "text": GOOD})]
    rows += ["{broken"] * 5000
    rows += [json.dumps({"id": "last", "text": GOOD})]
    (tmp_path / "feed.jsonl").write_text("\n".join(rows) + "\n")
    items = _ingest(tmp_path)
    docs = [i.id for i in items if isinstance(i, RawDocument)]
    rejections = [i for i in items if isinstance(i, Rejection)]
    assert docs == ["first", "last"]
    assert len(rejections) == MAX_LINE_REJECTIONS + 1
    assert "4900 more bad line(s)" in rejections[-1].reason


def _deep_html(depth: int) -> str:
    return "<html><body>" + "<div>" * depth + f"<p>{GOOD}</p>" + "</div>" * depth + "</body></html>"


def test_deeply_nested_html_in_bounded_time(tmp_path: Path) -> None:
    (tmp_path / "deep.html").write_text(_deep_html(100_000))
    (tmp_path / "ok.html").write_text(f"<html><body><article><p>{GOOD}</p></article></body></html>")
    code = textwrap.dedent(
        f"""
        import json, resource, time
        from newsfold.ingest import iter_inputs
        t = time.monotonic()
        items = list(iter_inputs([{str(tmp_path)!r}]))
        print(json.dumps({{
            "seconds": time.monotonic() - t,
            "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "items": [[type(i).__name__, i.path, getattr(i, "reason", "")] for i in items],
        }}))
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    result = json.loads(out.stdout)
    assert result["seconds"] < 60 and result["rss_mb"] < 1024
    kinds = {Path(p).name: k for k, p, _ in result["items"]}
    assert kinds["ok.html"] == "RawDocument" and "deep.html" in kinds


def test_hostile_folder_through_the_whole_pipeline(tmp_path: Path) -> None:
    """Nothing above stops a run or reaches the store unstorable."""
    src = tmp_path / "in"
    src.mkdir()
    (src / "good.txt").write_text("date 2025-03-04\nFlood in Halvik\n\n" + GOOD)
    (src / "late-nul.txt").write_bytes(("Storm in Brannock\n\n" + GOOD * 300).encode() + b"\x00!")
    (src / "utf16.txt").write_bytes(("Fire in Dunmere\n\n" + GOOD).encode("utf-16"))
    (src / "latin1.txt").write_bytes("caf\xe9".encode("latin-1"))
    (src / "deep.html").write_text(_deep_html(5000))
    os.mkfifo(src / "pipe.txt")
    (src / "feed.jsonl").write_text(
        "\n".join(
            [
                '{"id": "sur\\ud800", "text": "Quake near Ostrel \\u0000 ' + GOOD + '"}',
                '{"id": "deep", "text": ' + "[" * 50_000 + "}",
                "\x00\x00\x00",
                json.dumps({"id": "ok", "text": GOOD, "published": "not a date"}),
            ]
        )
        + "\n"
    )
    db = tmp_path / "h.db"
    store = open_store(str(db))
    stats = Pipeline(store, PipelineOptions(embedder="hashing", facts=False)).run([str(src)])
    store.close()
    assert stats.new >= 5 and stats.rejected >= 4
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    ids = {r[0] for r in conn.execute("SELECT id FROM articles")}
    assert {"good.txt", "late-nul.txt", "utf16.txt", "sur\ufffd", "ok"} <= ids
    assert (
        conn.execute("SELECT COUNT(*) FROM articles WHERE instr(text, char(0))").fetchone()[0] == 0
    )


# ---------------------------------------------------------------- slow tier: huge inputs
def _child_usage(
    cmd: list[str], timeout: float
) -> tuple[subprocess.CompletedProcess, float, float]:
    """Run ``cmd``; returns the result, wall seconds and that child's own peak RSS in MB."""
    started = time.monotonic()
    peak_kib = 0
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(cmd, stdout=out, stderr=err)
        while True:
            # VmHWM is the high-water mark of the child's own address space since exec;
            # ru_maxrss is not: Linux copies the parent's peak into a forked child, so a
            # big pytest process would make every child look big.
            peak_kib = max(peak_kib, _vm_hwm_kib(proc.pid))
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() - started > timeout:
                proc.kill()
                pytest.fail(f"timed out after {timeout} s: {cmd}")
            time.sleep(0.05)
        proc.returncode = os.waitstatus_to_exitcode(status)
        wall = time.monotonic() - started
        out.seek(0)
        err.seek(0)
        result = subprocess.CompletedProcess(
            cmd, proc.returncode, out.read().decode(), err.read().decode()
        )
    return result, wall, (peak_kib or usage.ru_maxrss) / 1024  # KiB on Linux


def _vm_hwm_kib(pid: int) -> int:
    """Peak resident set of ``pid`` in KiB, from /proc (0 when it cannot be read)."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as handle:
            for line in handle:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


@pytest.mark.slow
def test_1gb_jsonl_streams_in_bounded_memory(tmp_path: Path) -> None:
    feed = tmp_path / "crawl.jsonl"
    good = [json.dumps({"id": f"a{i}", "text": f"Article {i}. {GOOD}"}) for i in range(300)]
    with feed.open("wb") as handle:
        handle.write(("\n".join(good[:100]) + "\n").encode())
        handle.write(b"{garbage line\n" * 1_000_000)  # a million short bad lines
        handle.write(("\n".join(good[100:200]) + "\n").encode())
        for _ in range(5):  # five 12 MB lines: over the 10 MB line limit
            handle.write(b'{"id": "x", "text": "' + b"y" * 12_000_000 + b'"}\n')
        hole_start = handle.tell()
        handle.truncate(hole_start + 1024**3)  # a 1 GB hole of NULs, no newline
        handle.seek(hole_start + 1024**3)
        handle.write(("\n" + "\n".join(good[200:]) + "\n").encode())
    assert feed.stat().st_size > 1024**3
    db = tmp_path / "big.db"
    cmd = [
        sys.executable,
        "-m",
        "newsfold",
        "run",
        str(feed),
        "--db",
        str(db),
        "--json",
        "-q",
        "--embedder",
        "hashing",
        "--no-facts",
    ]
    result, wall, rss = _child_usage(cmd, timeout=600)
    assert result.returncode == 3, result.stderr  # finished, with rejections
    stats = json.loads(result.stdout)
    assert stats["new"] == 300
    assert stats["rejected"] == MAX_LINE_REJECTIONS + 1
    assert rss < 400, f"peak RSS {rss:.0f} MB"
    assert wall < 300, f"{wall:.0f} s"
    print(f"1 GB JSONL: {wall:.1f} s, peak RSS {rss:.0f} MB")


@pytest.mark.slow
def test_100k_tiny_files_ingest_in_bounded_memory(tmp_path: Path) -> None:
    root = tmp_path / "tiny"
    for d in range(100):
        sub = root / f"d{d:03d}"
        sub.mkdir(parents=True)
        for f in range(1000):
            (sub / f"{f:04d}.txt").write_bytes(b"Tiny article %d/%d." % (d, f))
    code = textwrap.dedent(
        f"""
        import json
        from newsfold.ingest import iter_inputs
        docs = rejected = 0
        last = ""
        for item in iter_inputs([{str(root)!r}]):
            if hasattr(item, "reason"):
                rejected += 1
            else:
                docs += 1
                assert item.id > last
                last = item.id
        print(json.dumps({{"docs": docs, "rejected": rejected}}))
        """
    )
    result, wall, rss = _child_usage([sys.executable, "-c", code], timeout=600)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"docs": 100_000, "rejected": 0}
    assert rss < 300, f"peak RSS {rss:.0f} MB"
    assert wall < 180, f"{wall:.0f} s"
    print(f"100k tiny files: {wall:.1f} s, peak RSS {rss:.0f} MB")
