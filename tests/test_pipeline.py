"""The whole recipe on small hand-made inputs, with the fast hashing embedder."""

from __future__ import annotations

import contextlib
import json
import random
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from newsfold.cli import cli
from newsfold.errors import MovedError
from newsfold.events import EventState
from newsfold.export import CONTRACT_KEYS, export_rows
from newsfold.pipeline import Pipeline, PipelineOptions
from newsfold.store import open_store

FLOOD = (
    "date 2025-03-04\nFlood kills 42 in Oska valley\n\n"
    "NORDVIK, March 4 (Meridian Wire) - Floods in the Oska valley killed 42 people on "
    "Tuesday and forced more than 3,000 residents from their homes, police in Kalvaria said. "
    "Rescue teams used boats to reach families trapped on rooftops near Halvik, and the "
    "interior minister Lena Okafor said the army would send twelve trucks of supplies.\n"
)
FLOOD_COPY = FLOOD.replace("Flood kills 42 in Oska valley", "Oska valley flood: 42 dead")
BID = (
    "date 2025-02-17\nCorvane bids for Saltmere Harbour\n\n"
    "Shipping group Corvane offered 2.4 billion dollars for the port operator Saltmere "
    "Harbour on Monday, a hostile bid that the Saltmere board rejected within hours. "
    "Corvane chief executive Piet Hollander said the offer was fair to shareholders and "
    "that the company would take it directly to investors at 14.50 dollars a share.\n"
)
OTHER_BID = (
    "date 2025-02-18\nSaltmere board rejects Corvane offer\n\n"
    "The board of Saltmere Harbour rejected the 2.4 billion dollar hostile bid from "
    "Corvane, calling the 14.50 dollars a share offer far too low. Corvane's Piet Hollander "
    "said he would take the offer to Saltmere shareholders directly.\n"
)


def _write(folder: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "in"
    _write(
        root,
        {
            # walked in sorted order, which is also date order: the streaming contract
            "1/bid.txt": BID,
            "2/bid-2.txt": OTHER_BID,
            "3/flood.txt": FLOOD,
            "4/flood-copy.txt": FLOOD_COPY,
        },
    )
    (root / "bad.txt").write_bytes(b"\x00\x00binary")
    (root / "feed.jsonl").write_text('{"id": "f1", "text": "x"\n', encoding="utf-8")
    return root


def _pipeline(store, batch_size: int = 256) -> Pipeline:
    return Pipeline(store, PipelineOptions(batch_size=batch_size, embedder="hashing", facts=False))


def _export(store) -> list[dict]:
    return sorted(export_rows(store, with_facts=False), key=lambda r: r["id"])


def _grouping(store) -> list[tuple]:
    """Each article's id, event, canonical copy and storyline."""
    return [(r["id"], r["event"], r["duplicate_of"], r["storyline"]) for r in _export(store)]


def _placed(store) -> dict[str, Any]:
    """Each article's logged placement; fails unless each has exactly one create/join row
    (an undo takes back what it recorded; nothing is logged twice)."""
    rows = [r for r in store.event_log() if r["action"] in ("create", "join")]
    per_article = Counter(r["article"] for r in rows)
    assert per_article and set(per_article.values()) == {1}
    return store.placements(per_article)


def _borderline(store) -> dict[str, int]:
    """Each event's kept count of borderline placements; fails unless it is the count its
    page shows (:meth:`Store.event_placements` over its articles, judged now)."""
    kept = {e["id"]: e["borderline"] for e in store.list_events()}
    for event_id, count in kept.items():
        shown = store.event_placements(event_id, store.event_articles(event_id)).values()
        assert count == sum(bool(p and p.get("borderline")) for p in shown), event_id
    return kept


def _fail_commit(monkeypatch: pytest.MonkeyPatch, pipeline: Pipeline, at: int, why: str) -> None:
    """Make the ``at``-th batch commit of ``pipeline`` raise RuntimeError(``why``)."""
    commit = pipeline._commit
    calls = []

    def failing(*args, **kwargs):
        calls.append(1)
        if len(calls) == at:
            raise RuntimeError(why)
        return commit(*args, **kwargs)

    monkeypatch.setattr(pipeline, "_commit", failing)


def test_run_groups_copies_and_rejects_bad_input(corpus: Path, memory_store) -> None:
    stats = _pipeline(memory_store).run([str(corpus)])
    assert (stats.read, stats.new, stats.rejected, stats.duplicates) == (6, 4, 2, 1)
    rows = {r["id"]: r for r in _export(memory_store)}
    assert rows["4/flood-copy.txt"]["duplicate_of"] == "3/flood.txt"
    assert rows["4/flood-copy.txt"]["event"] == rows["3/flood.txt"]["event"]
    assert rows["1/bid.txt"]["event"] != rows["3/flood.txt"]["event"]
    assert rows["3/flood.txt"]["published"] == "2025-03-04"
    assert rows["3/flood.txt"]["date_source"] == "header"
    reasons = {Path(r["path"]).name: r["reason"] for r in memory_store.rejections()}
    assert "binary" in reasons["bad.txt"]
    assert "broken JSON" in reasons["feed.jsonl"]


def test_rerun_changes_nothing(corpus: Path, memory_store) -> None:
    _pipeline(memory_store).run([str(corpus)])
    before = _export(memory_store)
    counts = memory_store.counts()
    stats = _pipeline(memory_store).run([str(corpus)])
    assert stats.new == 0 and stats.unchanged == 4
    assert _export(memory_store) == before
    assert memory_store.counts() == counts


@pytest.mark.parametrize("batch_size", [1, 2, 3])
def test_batch_size_does_not_change_the_result(corpus: Path, batch_size: int) -> None:
    """Inputs that arrive in date order give the same events whatever the batch size."""
    whole = open_store("sqlite:///:memory:")
    _pipeline(whole).run([str(corpus)])
    split = open_store("sqlite:///:memory:")
    _pipeline(split, batch_size).run([str(corpus)])
    assert _export(split) == _export(whole)


def test_new_input_joins_existing_events(tmp_path: Path, memory_store) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    _write(first, {"flood.txt": FLOOD, "bid.txt": BID})
    _write(second, {"flood-copy.txt": FLOOD_COPY})
    _pipeline(memory_store).run([str(first)])
    before = {r["id"]: r["event"] for r in _export(memory_store)}
    _pipeline(memory_store).run([str(second)])
    after = {r["id"]: r["event"] for r in _export(memory_store)}
    assert {k: after[k] for k in before} == before
    assert after["flood-copy.txt"] == after["flood.txt"]


def test_changed_content_under_a_known_id_is_rejected(tmp_path: Path, memory_store) -> None:
    _write(tmp_path, {"a.txt": FLOOD})
    _pipeline(memory_store).run([str(tmp_path)])
    _write(tmp_path, {"a.txt": BID})
    stats = _pipeline(memory_store).run([str(tmp_path)])
    assert stats.rejected == 1
    assert "different content" in stats.rejections[0].reason


def test_cli_end_to_end(corpus: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "n.db")
    runner = CliRunner()
    result = runner.invoke(
        cli, ["run", str(corpus), "--db", db, "--embedder", "hashing", "--no-facts"]
    )
    assert result.exit_code == 3, result.output  # some inputs were rejected
    assert "rejected 2" in result.output
    assert "bad.txt: binary" in result.output
    assert "Storyline" in result.output
    events = json.loads(runner.invoke(cli, ["events", "--db", db, "--json"]).output)
    assert {e["articles"] for e in events} >= {2}
    assert set(events[0]) >= {
        "id",
        "title",
        "first_date",
        "last_date",
        "articles",
        "outlets",
        "storyline",
    }
    shown = runner.invoke(cli, ["show", events[0]["id"], "--db", db])
    assert shown.exit_code == 0 and events[0]["id"] in shown.output
    # how each article was placed: its score, or founded, and the best other event
    assert "placed" in shown.output and "founded" in shown.output
    big = next(e for e in events if "Oska" in e["title"])  # the flood and its copy
    data = json.loads(runner.invoke(cli, ["show", big["id"], "--db", db, "--json"]).output)
    placed = {a["id"].rsplit("/", 1)[-1]: a["placement"] for a in data["article_list"]}
    assert placed["flood-copy.txt"] == {"copy": True}  # it followed its text, unscored
    founder = placed["flood.txt"]
    assert founder["threshold"] == 0.5 and "score" not in founder
    assert isinstance(founder["borderline"], bool)
    lines = runner.invoke(cli, ["export", "--db", db]).output.splitlines()
    assert len(lines) == 4
    assert all(set(CONTRACT_KEYS) <= set(json.loads(line)) for line in lines)
    missing = runner.invoke(cli, ["show", "ev-nope", "--db", db])
    assert missing.exit_code == 1 and "no event 'ev-nope'" in missing.output
    assert "Traceback" not in missing.output


def test_a_repointed_group_of_copies_shows_its_score_on_its_new_original(
    corpus: Path, tmp_path: Path
) -> None:
    store = open_store("sqlite:///:memory:")
    _pipeline(store).run([str(corpus)])
    # a copy of the flood report dated a day earlier arrives late: it becomes the original
    late = tmp_path / "late"
    _write(late, {"flood-early.txt": FLOOD.replace("date 2025-03-04", "date 2025-03-03")})
    _pipeline(store).run([str(late)])
    rows = {r["id"].rsplit("/", 1)[-1]: r for r in _export(store)}
    event = rows["flood.txt"]["event"]
    assert rows["flood.txt"]["duplicate_of"] == rows["flood-early.txt"]["id"]
    articles = store.event_articles(event)
    raw = store.placements(a["id"] for a in articles)
    shown = store.event_placements(event, articles)
    early, first = rows["flood-early.txt"]["id"], rows["flood.txt"]["id"]
    assert raw[early] == {"copy": True} and "copy" not in raw[first]  # as logged
    assert shown[early] == raw[first] and shown[first] == {"copy": True}  # as shown


def test_cli_missing_path_is_reported_not_raised(tmp_path: Path) -> None:
    db = str(tmp_path / "n.db")
    result = CliRunner().invoke(
        cli, ["run", str(tmp_path / "nope"), "--db", db, "--embedder", "hashing", "--no-facts"]
    )
    assert result.exit_code == 3
    assert "no such file or folder" in result.output


@pytest.mark.slow
def test_facts_in_a_worker_process_equal_facts_in_process(tmp_path: Path) -> None:
    """From the second batch on, facts and vectors come from spawned worker processes:
    the stored facts, vectors and events are the same as when every batch is done here."""
    sample = Path(__file__).resolve().parents[1] / "sample" / "articles"
    files = sorted(p for p in sample.rglob("*.txt"))[:12]
    stored = []
    for processes in (0, 1):
        store = open_store(str(tmp_path / f"p{processes}.db"))
        options = PipelineOptions(
            batch_size=4,
            embedder="hashing",
            facts_processes=processes,
            embed_process=bool(processes),
        )
        pipeline = Pipeline(store, options)
        stats = pipeline.run([str(f) for f in files])
        assert stats.new == len(files)
        assert not pipeline._pools  # the worker processes are shut down after the run
        rows = sorted(export_rows(store, with_facts=False), key=lambda r: r["id"])
        vectors = store.conn.execute("SELECT id, embedding FROM articles ORDER BY id").fetchall()
        stored.append(
            (
                {r["id"]: store.article_facts(r["id"]) for r in rows},
                [(r["id"], r["event"], r["storyline"]) for r in rows],
                [tuple(v) for v in vectors],
            )
        )
        store.close()
    assert stored[0] == stored[1]  # facts, events and vectors alike
    assert sum(bool(f and f.get("quantities")) for f in stored[1][0].values()) >= 3


def _sample_stream(tmp_path: Path) -> Path:
    """The sample corpus as one date-ordered JSONL stream: same-day reports in reverse id
    order, its undated reports (re-dated from context in a folder run) where they came in."""
    sample = Path(__file__).resolve().parents[1] / "sample" / "articles"
    first = open_store("sqlite:///:memory:")
    _pipeline(first).run([str(sample)])
    rows = list(export_rows(first, with_facts=False))
    undated = {r["id"] for r in rows if r["date_source"] in ("context", "none")}
    assert len(undated) >= 2  # the sample has undated reports, re-dated from context
    rows.sort(key=lambda r: r["id"], reverse=True)
    rows.sort(key=lambda r: r["published"])  # stable: ties reversed; undated where re-dated
    assert rows[-1]["id"] not in undated  # undated reports inside the stream, not at its end
    stream = tmp_path / "stream.jsonl"
    with stream.open("w", encoding="utf-8") as out:
        for r in rows:
            line = {"id": r["id"], "title": r["title"], "text": first.get_article(r["id"])["text"]}
            if r["id"] not in undated:
                line["published"] = r["published"]
            out.write(json.dumps(line) + "\n")
    return stream


def test_a_dated_stream_is_cut_anywhere(tmp_path: Path) -> None:
    """The sample corpus as one date-ordered stream (JSON lines), same-day reports in
    reverse id order and its two undated reports where they came in, gives the same
    events, copies and storylines whatever the batch size: ties are clustered in arrival
    order, not by id within each batch, undated reports wait for the end of the run, not
    of their batch, and storylines are linked where the stream enters a new week, not at
    batch ends."""
    stream = _sample_stream(tmp_path)
    results = []
    for size in (256, 5, 2, 1):
        store = open_store("sqlite:///:memory:")
        _pipeline(store, size).run([str(stream)])
        results.append(_grouping(store))
        assert all(r[3] for r in results[-1])  # every event linked by the end of the run
    assert all(r == results[0] for r in results[1:])


def test_a_stream_stopped_mid_week_resumes_as_one_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run that stops between storyline rounds (here: a batch's commit fails) leaves
    events stored unlinked; a new Pipeline on the same store links them in the week the
    stream had reached, so the store ends as after one uninterrupted run (stopped at each
    batch in turn)."""
    stream = _sample_stream(tmp_path)
    whole = open_store("sqlite:///:memory:")
    _pipeline(whole, 3).run([str(stream)])
    expected = _grouping(whole)
    for stop in range(2, 100):
        store = open_store("sqlite:///:memory:")
        stopped = _pipeline(store, 3)
        _fail_commit(monkeypatch, stopped, stop, "killed")
        try:
            stopped.run([str(stream)])
        except RuntimeError:
            pass
        else:
            break  # the run has fewer batches: every stopping point was tried
        unlinked = [r for r in store.list_events() if r["storyline"] is None]
        _pipeline(store, 3).run([str(stream)])
        assert _grouping(store) == expected, (stop, len(unlinked))


def _split(rows: list[str], folder: Path, lines: int, prefix: str) -> list[Path]:
    """``rows`` (JSON lines) in files of ``lines`` lines each (one run each)."""
    out = []
    for start in range(0, len(rows), lines):
        path = folder / f"{prefix}-{start:04d}.jsonl"
        path.write_text("".join(x + "\n" for x in rows[start : start + lines]), encoding="utf-8")
        out.append(path)
    return out


def _dated_runs(stream: Path, tmp_path: Path, lines: int) -> list[Path]:
    """The dated lines of ``stream``, in files of ``lines`` lines each (one run each)."""
    rows = [x for x in stream.read_text(encoding="utf-8").splitlines() if '"published"' in x]
    return _split(rows, tmp_path, lines, "run")


@pytest.mark.parametrize("lines", [1, 4])
def test_a_dated_stream_fed_in_many_runs_ends_as_one_run(tmp_path: Path, lines: int) -> None:
    """Each run ends with a round of storyline linking, in the middle of a week; the next
    run undoes it before grouping anything, so the week's events are linked together when
    the week is over, as in one run: where runs start and end does not change events,
    copies or storylines (a new Pipeline per run, or one for all)."""
    runs = _dated_runs(_sample_stream(tmp_path), tmp_path, lines)
    whole = open_store("sqlite:///:memory:")
    _pipeline(whole, 3).run([str(p) for p in runs])
    expected = _grouping(whole)
    assert len({r[3] for r in expected}) > 3  # several storylines: the test can fail
    again = open_store("sqlite:///:memory:")
    same = _pipeline(again, 3)
    shown = set()  # every storyline id a run left in the store
    for path in runs:
        same.run([str(path)])
        assert all(r[3] for r in _grouping(again))  # linked (provisionally) after each run
        shown.update(line["id"] for line in again.list_storylines())
    assert _grouping(again) == expected
    for line_id in sorted(shown):  # live, or leads to where its events went
        with contextlib.suppress(MovedError):  # NotFoundError fails the test
            again.get_storyline(line_id)
    if lines == 4:
        fresh = open_store("sqlite:///:memory:")
        for path in runs:
            _pipeline(fresh, 3).run([str(path)])
        assert _grouping(fresh) == expected
        assert fresh.load_provisional() is not None  # the last week is still open


@pytest.mark.parametrize("same", [False, True])
def test_runs_that_fail_midway_still_end_as_one_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, same: bool
) -> None:
    """Runs of 4 dated lines (batches of 3), each later run failing in its first batch
    after grouping it (the undo of the last run's provisional links included), so the
    transaction rolls back, then run again: by a new Pipeline, or by the same one (which
    reloads the store at the start of each run: it must not trust what it held)."""
    runs = _dated_runs(_sample_stream(tmp_path), tmp_path, 4)
    whole = open_store("sqlite:///:memory:")
    _pipeline(whole, 3).run([str(p) for p in runs])
    store = open_store("sqlite:///:memory:")
    pipeline = _pipeline(store, 3)
    for n, path in enumerate(runs):
        if n:
            failing = pipeline if same else _pipeline(store, 3)
            with monkeypatch.context() as patch:
                group = failing._group

                def rolled_back(*args, group=group, **kwargs):  # grouped, then it fails
                    group(*args, **kwargs)
                    if args[0]:  # a batch of articles (not the end-of-run round alone)
                        raise RuntimeError("killed")

                patch.setattr(failing, "_group", rolled_back)
                with pytest.raises(RuntimeError):
                    failing.run([str(path)])
        (pipeline if same else _pipeline(store, 3)).run([str(path)])
    assert _grouping(store) == _grouping(whole)


def test_storylines_an_undo_removed_still_lead_somewhere_after_a_crash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Runs of 2 dated lines in batches of 1: a run's first batch undoes the last run's
    end (a storyline that end created may go), and each run is killed before its second
    batch, so the undone storyline's events are linked again only by a later run, by a
    new Pipeline: the id must still lead to where its events went, not be a plain 404.
    (Runs of 3 lines left none undone once young stores' rare names became stricter,
    session 12: RARE_SHARE.)"""
    runs = _dated_runs(_sample_stream(tmp_path), tmp_path, 2)
    store = open_store("sqlite:///:memory:")
    shown: set[str] = set()
    for n, path in enumerate(runs):
        if n:
            killed = _pipeline(store, 1)
            _fail_commit(monkeypatch, killed, 2, "killed")
            with contextlib.suppress(RuntimeError):  # (a run of one batch is not killed)
                killed.run([str(path)])
        _pipeline(store, 1).run([str(path)])
        shown.update(line["id"] for line in store.list_storylines())
    live = {line["id"] for line in store.list_storylines()}
    assert shown - live  # some storylines an end of run made were undone: the test can fail
    for line_id in sorted(shown - live):
        with pytest.raises(MovedError):  # NotFoundError fails the test
            store.get_storyline(line_id)


def test_a_journal_stored_before_redirects_were_kept_still_loads(tmp_path: Path) -> None:
    """Session 7 stored the bare journal in the meta row: it is undone as before (runs of
    one line, each stored that way, end as one run)."""
    runs = _dated_runs(_sample_stream(tmp_path), tmp_path, 1)
    whole = open_store("sqlite:///:memory:")
    _pipeline(whole, 3).run([str(p) for p in runs])
    store = open_store("sqlite:///:memory:")
    for path in runs:
        kept = store.load_provisional()
        if kept is not None:
            assert "journal" in kept
            with store.batch():
                store.save_provisional(kept["journal"])
        _pipeline(store, 3).run([str(path)])
    assert _grouping(store) == _grouping(whole)


def _runs_of(stream: Path, tmp_path: Path, lines: int) -> list[Path]:
    """Every line of ``stream`` (undated ones too), in files of ``lines`` lines each."""
    return _split(stream.read_text(encoding="utf-8").splitlines(), tmp_path, lines, "all")


def _synthetic_stream(tmp_path: Path, undated_every: int) -> Path:
    """The batch-invariance benchmark's stream (synthetic crawl with copies): 80 reports,
    every ``undated_every``-th without a date, put back inside the stream."""
    from benchmarks.batch_invariance import stream

    path = tmp_path / "synthetic.jsonl"
    stream(path, 80, 1, undated_every)
    return path


def _event_ids_lead_somewhere(store, shown: set[str]) -> int:
    """Every id in ``shown`` is live or leads to the event it went into (NotFoundError
    fails the test); returns how many moved."""
    moved = 0
    for event_id in sorted(shown):
        try:
            store.get_event(event_id)
        except MovedError:
            moved += 1
    return moved


@pytest.mark.parametrize("lines", [pytest.param(4, marks=pytest.mark.slow), 10])
def test_undated_reports_fed_in_many_runs_end_as_one_run(tmp_path: Path, lines: int) -> None:
    """Undated reports wait for the end of their run; the next run undoes what grouping
    them there wrote (recorded in the store), groups its own dated reports, then those
    waiting ones again: events, copies and storylines end as in one run, whether each
    run has a new Pipeline or one does all, and every event and storyline id a run
    showed still leads somewhere (both fail without the undo)."""
    stream = _synthetic_stream(tmp_path, 5)
    runs = _runs_of(stream, tmp_path, lines)
    whole = open_store("sqlite:///:memory:")
    _pipeline(whole, 3).run([str(stream)])
    expected, placed = _grouping(whole), _placed(whole)
    borderline = _borderline(whole)
    assert sum(borderline.values()) > 0  # (the check below can fail)
    lines_in = stream.read_text(encoding="utf-8").splitlines()
    assert sum('"published"' not in x for x in lines_in) >= 15  # undated reports inside
    for same in (True, False):
        store = open_store("sqlite:///:memory:")
        pipeline = _pipeline(store, 3)
        shown: set[str] = set()
        shown_lines: set[str] = set()
        for path in runs:
            (pipeline if same else _pipeline(store, 3)).run([str(path)])
            assert not store.waiting_articles()  # the run's end grouped every article
            shown.update(e["id"] for e in store.list_events(limit=10_000))
            shown_lines.update(s["id"] for s in store.list_storylines())
        assert _grouping(store) == expected, same
        assert _placed(store) == placed, same  # the same scores, one row each
        assert _borderline(store) == borderline, same  # kept through undo and regroup
        assert _event_ids_lead_somewhere(store, shown) > 0  # ids an undo took: can fail
        moved = 0
        for line_id in shown_lines:  # NotFoundError fails (found by review, session 10)
            try:
                store.get_storyline(line_id)
            except MovedError:
                moved += 1
        assert moved > 0


def test_runs_killed_after_the_undo_still_end_as_one_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Runs of 6 lines in batches of 2, each later run killed after its first batch: the
    undo of the last run's end is committed, the articles it made wait are stored
    waiting, and only the run done again (a new Pipeline) groups them: nothing is lost
    and the store ends as after one run."""
    stream = _synthetic_stream(tmp_path, 4)
    runs = _runs_of(stream, tmp_path, 6)
    whole = open_store("sqlite:///:memory:")
    _pipeline(whole, 2).run([str(stream)])
    store = open_store("sqlite:///:memory:")
    waited = 0
    for n, path in enumerate(runs):
        if n:
            killed = _pipeline(store, 2)
            _fail_commit(monkeypatch, killed, 2, "killed")
            with contextlib.suppress(RuntimeError):
                killed.run([str(path)])
            waited += len(store.waiting_articles())
        _pipeline(store, 2).run([str(path)])
    assert waited > 5  # the kills left articles waiting: the test can fail
    assert not store.waiting_articles()
    assert _grouping(store) == _grouping(whole)


def test_an_event_a_stopped_run_took_back_says_it_is_being_regrouped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Between the undo of the last run's end and the end of the run that did it (or,
    if that run stopped, the next one), an event that end created is gone from the store:
    asked for, it says it is being regrouped (web and API: 503 with Retry-After; the CLI:
    the message, exit 1), not that it never existed; once a run ends, it is back or
    leads to where its first article went."""
    from newsfold.errors import PendingError
    from newsfold.web import make_app, read_only_factory
    from test_web import call

    stream = _synthetic_stream(tmp_path, 4)
    db = tmp_path / "s.db"
    store = open_store(str(db))
    app = make_app(read_only_factory(db))
    pending: list[str] = []
    relinked: list[str] = []
    shown: set[str] = set()
    lines: set[str] = set()
    for n, path in enumerate(_runs_of(stream, tmp_path, 6)):
        if n:
            killed = _pipeline(store, 2)
            _fail_commit(monkeypatch, killed, 2, "killed")
            with contextlib.suppress(RuntimeError):
                killed.run([str(path)])
            for event_id in sorted(shown):
                try:
                    store.get_event(event_id)
                except PendingError as exc:
                    pending.append(event_id)
                    assert exc.first and store.get_article(exc.first)["event"] is None
                    page = call(app, f"/events/{event_id}")
                    assert page.status == 503 and "being regrouped" in page.text
                    assert page.headers["retry-after"] == "30"
                    answer = call(app, f"/api/events/{event_id}")
                    assert answer.status == 503 and answer.json()["status"] == 503
                    result = CliRunner().invoke(cli, ["show", event_id, "--db", str(db)])
                    assert result.exit_code == 1 and "being regrouped" in result.output
                except MovedError:
                    pass
            for line_id in sorted(lines):
                try:
                    store.get_storyline(line_id)
                except PendingError:
                    relinked.append(line_id)
                    page = call(app, f"/storylines/{line_id}")
                    assert page.status == 503 and "being regrouped" in page.text
                except MovedError:
                    pass
        _pipeline(store, 2).run([str(path)])
        # every id shown so far is live or leads somewhere (NotFoundError fails)
        _event_ids_lead_somewhere(store, shown)
        for line_id in lines:
            with contextlib.suppress(MovedError):
                store.get_storyline(line_id)
        shown |= {e["id"] for e in store.list_events(limit=10_000)}
        lines |= {s["id"] for s in store.list_storylines()}
    # the kills took events and storylines away: the test can fail
    assert len(pending) > 2 and len(relinked) > 2


def _reachable(store, events: set[str], lines: set[str], pending_ok: bool) -> list[str]:
    """The ids of ``events`` and ``lines`` that lead nowhere: plain NotFoundError, or
    PendingError when ``pending_ok`` is False (after a run completed)."""
    from newsfold.errors import NotFoundError, PendingError

    bad = []
    for get, ids in ((store.get_event, events), (store.get_storyline, lines)):
        for shown in sorted(ids):
            try:
                get(shown)
            except MovedError:
                pass
            except PendingError:
                if not pending_ok:
                    bad.append(f"pending after a completed run: {shown}")
            except NotFoundError:
                bad.append(f"not found: {shown}")
    return bad


def _fuzzed(
    seed: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *, fixed_held: bool = False
) -> tuple[random.Random, list[str], list[int], int, float]:
    """Trial ``seed`` of the session-10 review's fuzzer: a synthetic stream's rows, cuts
    into runs, batch size and kill probability, HELD_BATCH and MAX_HELD set (``fixed_held``:
    left as shipped), and its random generator for the rest of the trial."""
    from benchmarks.batch_invariance import stream

    import newsfold.pipeline as pipeline_module

    rng = random.Random(seed)
    n, undated = rng.choice([40, 80]), rng.choice([2, 3, 4, 5, 10])
    batch, held_batch = rng.choice([1, 2, 3, 7, 50]), rng.choice([1, 2, 3, 256])
    max_held = rng.choice([2000, 2000, 3, 6])
    if not fixed_held:
        monkeypatch.setattr(pipeline_module, "HELD_BATCH", held_batch)
        monkeypatch.setattr(pipeline_module, "MAX_HELD", max_held)
    kill = rng.choice([0.0, 0.3, 0.6])
    rng.random()
    path = tmp_path / "s.jsonl"
    stream(path, n, rng.randrange(100), undated)
    rows = path.read_text(encoding="utf-8").splitlines()
    cuts = sorted(set(rng.sample(range(1, len(rows)), rng.randint(1, 10))))
    return rng, rows, cuts, batch, kill


@pytest.mark.slow
@pytest.mark.parametrize("seed", [38, 50, 65, 69])
def test_random_runs_and_kills_leave_every_shown_id_reachable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seed: int
) -> None:
    """Random cuts into runs, batch sizes, HELD_BATCH and MAX_HELD, runs killed midway:
    every event and storyline id ever shown is live, merged or (only while a killed run is
    unfinished) being regrouped. These seeds of the session-10 review's fuzzer left a
    storyline a plain 404 for good: its events were merged away before it was relinked."""
    rng, rows, cuts, batch, kill = _fuzzed(seed, tmp_path, monkeypatch)
    store = open_store(str(tmp_path / "m.db"))
    events: set[str] = set()
    lines: set[str] = set()
    bad: list[str] = []
    for start, end in zip([0, *cuts], [*cuts, len(rows)], strict=True):
        part = _split(rows[start:end], tmp_path, end - start, f"p{start:04d}")[0]
        if rng.random() < kill:
            killed = _pipeline(store, batch)
            _fail_commit(monkeypatch, killed, rng.randint(1, 4), "killed")
            with contextlib.suppress(RuntimeError):
                killed.run([str(part)])
            events |= {e["id"] for e in store.list_events(limit=100_000)}
            lines |= {s["id"] for s in store.list_storylines()}
            bad += _reachable(store, events, lines, pending_ok=True)
        _pipeline(store, batch).run([str(part)])
        events |= {e["id"] for e in store.list_events(limit=100_000)}
        lines |= {s["id"] for s in store.list_storylines()}
        bad += _reachable(store, events, lines, pending_ok=False)
    assert not bad


@pytest.mark.slow
def test_a_stream_cut_into_runs_links_storylines_as_one_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Trial 1014 of the session-10 fuzzer, without kills: 55 lines, every third report
    undated, batches of 3, cut into 11 runs. The events were the same as one run's, but 22
    articles' events were linked into other storylines: a storyline's TF-IDF norm was
    cached until the stream grew 25%, and a run started with the cache empty, so one link
    scored 0.5071 against one run's 0.4999 (threshold 0.5)."""
    _, rows, cuts, batch, _ = _fuzzed(1014, tmp_path, monkeypatch, fixed_held=True)
    assert (len(rows), len(cuts), batch) == (55, 10, 3)
    whole = open_store("sqlite:///:memory:")
    _pipeline(whole, batch).run([str(_split(rows, tmp_path, len(rows), "whole")[0])])
    store = open_store(str(tmp_path / "m.db"))
    for start, end in zip([0, *cuts], [*cuts, len(rows)], strict=True):
        part = _split(rows[start:end], tmp_path, end - start, f"p{start:04d}")[0]
        _pipeline(store, batch).run([str(part)])
    assert _grouping(store) == _grouping(whole)


def test_an_undated_article_grouped_again_keeps_its_stored_input(tmp_path: Path) -> None:
    """Grouping a waiting article again writes its grouping columns only: the lines
    cleaning removed (and the rest of its stored input) stay as the first run stored
    them. Found by review: the write-over lost ``removed``."""
    body = (
        "Floods in the Oska valley killed 42 people on Tuesday and forced more than 3,000 "
        "residents from their homes, police in Kalvaria said. Rescue teams used boats."
    )
    lines = [
        {
            "id": "d1",
            "title": "Corvane bids",
            "text": "Corvane offered 2.4 billion dollars for Saltmere Harbour on Monday.",
            "published": "2025-02-17",
        },
        {
            "id": "u1",
            "title": "Flood in Oska",
            "text": "Share this article\n\nSubscribe to our newsletter\n\n" + body,
        },
        {
            "id": "d2",
            "title": "Saltmere rejects",
            "text": "The board of Saltmere Harbour rejected the bid from Corvane.",
            "published": "2025-02-18",
        },
    ]
    stream = tmp_path / "s.jsonl"
    stream.write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    whole = open_store("sqlite:///:memory:")
    _pipeline(whole, 3).run([str(stream)])
    removed = whole.get_article("u1")["removed"]
    assert "Subscribe to our newsletter" in str(removed)
    store = open_store("sqlite:///:memory:")
    for path in _runs_of(stream, tmp_path, 2):
        _pipeline(store, 3).run([str(path)])
    assert store.get_article("u1")["removed"] == removed
    assert _grouping(store) == _grouping(whole)


def test_each_run_groups_again_at_most_max_held_undated_articles(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The undated articles a run's end grouped wait again in the next run and count
    toward MAX_HELD with its own: past it the oldest are grouped for good with a batch,
    so no run's end groups more than MAX_HELD articles (the cost of exact run
    boundaries stays bounded), and none is left waiting."""
    import newsfold.pipeline as pipeline_module

    monkeypatch.setattr(pipeline_module, "MAX_HELD", 4)
    stream = _synthetic_stream(tmp_path, 4)
    undated = sum('"published"' not in x for x in stream.read_text(encoding="utf-8").splitlines())
    assert undated > 20
    store = open_store("sqlite:///:memory:")
    ends: list[int] = []
    for path in _runs_of(stream, tmp_path, 12):
        pipeline = _pipeline(store, 3)
        chunked = pipeline._store

        def counting(*args, chunked=chunked, **kwargs):
            if kwargs.get("record"):
                ends.append(len(args[0]))
            chunked(*args, **kwargs)

        pipeline._store = counting  # type: ignore[method-assign]  # the test's spy
        pipeline.run([str(path)])
        assert store.count_waiting() == 0
    assert max(ends) == 4 and len(ends) > 5
    assert len(store.list_events(limit=10_000)) > 10


def test_a_run_counts_only_what_it_added(tmp_path: Path) -> None:
    """The undated articles a run's end grouped are grouped again by the next run (after
    its undo): that run's summary does not count them as new, or as copies, or the
    events they found again under the same ids as new events. A rerun of the same input
    adds nothing; a run with new input counts its own."""
    stream = _synthetic_stream(tmp_path, 4)
    lines = stream.read_text(encoding="utf-8").splitlines()
    first, second = _split(lines[:40], tmp_path, 40, "a")[0], _split(lines, tmp_path, 80, "b")[0]
    store = open_store("sqlite:///:memory:")
    one = _pipeline(store, 8).run([str(first)])
    assert one.new == 40 and one.new_events > 3 and one.duplicates > 0
    events = store.counts()["events"]
    for _ in range(2):
        again = _pipeline(store, 8).run([str(first)])
        assert (again.new, again.unchanged, again.new_events, again.duplicates) == (0, 40, 0, 0)
        assert store.counts()["events"] == events
    more = _pipeline(store, 8).run([str(second)])
    assert (more.new, more.unchanged) == (40, 40) and more.new_events > 0 and more.duplicates > 0
    again = _pipeline(store, 8).run([str(second)])
    assert (again.new, again.new_events, again.duplicates) == (0, 0, 0)


def test_the_end_of_a_run_reads_waiting_articles_a_chunk_at_a_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The articles waiting again (up to MAX_HELD, raw input and text) are read from the
    store as their chunk is grouped, not all at once: the run's memory holds its own held
    articles and one chunk."""
    import newsfold.pipeline as pipeline_module

    monkeypatch.setattr(pipeline_module, "HELD_BATCH", 3)
    stream = _synthetic_stream(tmp_path, 4)
    store = open_store("sqlite:///:memory:")
    reads: list[int] = []
    original = store.article_rows

    def spy(ids):
        ids = list(ids)
        reads.append(len(ids))
        return original(ids)

    store.article_rows = spy  # type: ignore[method-assign]  # the test's spy
    monkeypatch.setattr(
        store, "waiting_articles", lambda limit=None: pytest.fail("every waiting row read")
    )
    most = 0
    for path in _runs_of(stream, tmp_path, 12):
        reads.clear()
        _pipeline(store, 3).run([str(path)])
        assert store.count_waiting() == 0
        assert max(reads, default=0) <= 3
        most = max(most, sum(reads))
    assert most > 6  # a run's end grouped again more waiting articles than one chunk


@pytest.mark.slow
def test_a_run_stopped_at_its_undated_articles_resumes_as_one_run(tmp_path: Path) -> None:
    """A run that stops as it groups its undated articles (all its dated ones stored,
    its end's storyline links provisional), run again: the new run reads nothing new, yet
    undoes those links and links them again before it groups the undated articles, as
    the one run did (it linked them after the stop, with its undated articles' events:
    3 articles got another storyline). Found by the SIGKILL test in test_crash.py, which
    hit it only when the kill landed there."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from benchmarks import synth

    synth.generate(400, tmp_path / "c", seed=7, days=120)
    corpus = str(tmp_path / "c" / "articles")
    whole = open_store("sqlite:///:memory:")
    _pipeline(whole, 24).run([corpus])
    store = open_store("sqlite:///:memory:")
    stopped = _pipeline(store, 24)
    grouped = stopped._store

    def stop_at_the_end(*args, **kwargs):
        if kwargs.get("record"):
            raise RuntimeError("killed")
        grouped(*args, **kwargs)

    stopped._store = stop_at_the_end  # type: ignore[method-assign]  # the test's kill
    with pytest.raises(RuntimeError):
        stopped.run([corpus])
    assert store.load_provisional() is not None  # the end's links are provisional
    _pipeline(store, 24).run([corpus])
    assert _grouping(store) == _grouping(whole)


def test_events_count_which_reports_were_dated_from_metadata(tmp_path: Path, memory_store) -> None:
    """The clusterer trusts a date from a header, a feed's field, a page or a URL, not one
    read from the text, a dateline's included unless told to (merge windows, the time
    prior): each event counts both kinds."""
    feed = [
        {"id": "u1", "url": "https://x.example/2025/03/05/oska.html", "text": FLOOD[16:]},
        {"id": "g1", "published": "2025-03-05", "text": FLOOD_COPY[16:]},
    ]
    dateline = FLOOD[16:].replace("March 4 (", "March 4, 2025 (")  # a date in the text only
    files = {"h.txt": FLOOD, "t.txt": dateline, "b.txt": BID}
    files["feed.jsonl"] = "".join(json.dumps(row) + "\n" for row in feed)
    _write(tmp_path / "in", files)
    _pipeline(memory_store).run([str(tmp_path / "in")])
    rows = _export(memory_store)
    sources = {r["date_source"] for r in rows}
    assert {"header", "url", "given", "dateline"} <= sources, sources
    events = {e.id: e for e in memory_store.load_events()}
    for event_id, event in events.items():
        members = [r for r in rows if r["event"] == event_id and r["published"]]
        sure = sum(r["date_source"] in {"header", "url", "given"} for r in members)
        assert (event.sure_dated, event.text_dated) == (sure, len(members) - sure), event_id


def test_the_store_holds_the_clusterer_state_as_it_decides(tmp_path: Path) -> None:
    """Scoring alone can recompute an event's cached TF-IDF norm (and its summaries of
    names and years): the store must hold them as the clusterer has them, or a later run
    reloads another value and decides otherwise than one long run (run boundaries)."""
    store = open_store("sqlite:///:memory:")
    pipeline = _pipeline(store, 3)
    pipeline.run([str(_sample_stream(tmp_path))])
    live = pipeline.clusterer.events
    stored = {e.id: e for e in store.load_events()}
    assert stored.keys() == live.keys()

    def cached(e: EventState) -> tuple:
        return (e.tfidf_norm, e.norm_docs, e.norm_size, e.years(), tuple(e.core_names()))

    assert len(live) > 10
    for event_id, event in live.items():
        assert cached(stored[event_id]) == cached(event), event_id


def test_a_run_without_input_links_what_a_stopped_run_left(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stream = _sample_stream(tmp_path)
    store = open_store("sqlite:///:memory:")
    stopped = _pipeline(store, 3)
    _fail_commit(monkeypatch, stopped, 6, "killed")
    with pytest.raises(RuntimeError):
        stopped.run([str(stream)])
    assert any(r["storyline"] is None for r in store.list_events())
    (tmp_path / "empty").mkdir()
    _pipeline(store, 3).run([str(tmp_path / "empty")])
    assert all(r["storyline"] for r in store.list_events())


def test_undated_articles_released_early_are_still_redated(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past MAX_HELD an undated article is grouped with the current batch, which then ends
    with a round of storyline linking, so it is re-dated on its storyline as at the end."""
    import newsfold.pipeline as pipeline_module

    monkeypatch.setattr(pipeline_module, "MAX_HELD", 0)
    store = open_store("sqlite:///:memory:")
    _pipeline(store, 3).run([str(_sample_stream(tmp_path))])
    rows = _export(store)
    assert all(r["published"] for r in rows)
    assert sum(r["date_source"] == "context" for r in rows) >= 2


def test_undated_articles_wait_for_the_end_of_the_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Undated articles are stored after the run's dated ones; past MAX_HELD waiting the
    oldest goes with the next batch; every article is stored either way."""
    import newsfold.pipeline as pipeline_module

    flood_undated = FLOOD.replace("date 2025-03-04\n", "")
    bid_undated = BID.replace("date 2025-02-17\n", "")
    files = {"1/u1.txt": flood_undated, "2/bid.txt": BID, "3/u2.txt": bid_undated}
    files |= {"4/bid-2.txt": OTHER_BID, "5/flood.txt": FLOOD}
    _write(tmp_path / "in", files)
    for held, batch in ((2000, 1), (1, 1)):
        monkeypatch.setattr(pipeline_module, "MAX_HELD", held)
        store = open_store("sqlite:///:memory:")
        stats = _pipeline(store, batch).run([str(tmp_path / "in")])
        assert stats.new == 5
        order = [r["id"] for r in export_rows(store, with_facts=False)]  # processing order
        if held == 2000:
            assert order[-2:] == ["1/u1.txt", "3/u2.txt"]  # after every dated article
        else:
            assert order.index("1/u1.txt") < order.index("4/bid-2.txt")  # went early


def test_a_run_that_raised_hands_no_undated_article_to_the_next(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run that raises leaves its waiting undated articles unstored (as a crash would);
    the next run of the same Pipeline neither stores them under its own run nor counts
    them: its new + unchanged + rejected add up to what it read."""
    _write(tmp_path / "a", {"1/u.txt": FLOOD.replace("date 2025-03-04\n", ""), "2/bid.txt": BID})
    _write(tmp_path / "b", {"1/other.txt": OTHER_BID})
    store = open_store("sqlite:///:memory:")
    pipeline = _pipeline(store, 1)
    commit = pipeline._commit
    _fail_commit(monkeypatch, pipeline, 2, "busy")  # the second commit fails (a busy store)
    with pytest.raises(RuntimeError):
        pipeline.run([str(tmp_path / "a")])
    monkeypatch.setattr(pipeline, "_commit", commit)
    for folder, stored in (("b", ["1/other.txt"]), ("a", ["1/other.txt", "1/u.txt", "2/bid.txt"])):
        stats = pipeline.run([str(tmp_path / folder)])
        assert stats.new + stats.unchanged + stats.rejected == stats.read
        assert sorted(r["id"] for r in _export(store)) == stored


def test_a_held_vector_does_not_keep_its_batch_matrix(memory_store) -> None:
    """Undated articles wait with a copy of their vector, not a view of the batch's
    matrix (which would keep every such batch's matrix in memory)."""
    import datetime as dt

    import numpy as np

    from newsfold.models import Article

    pipeline = _pipeline(memory_store)
    arts = [
        Article(
            id=str(i),
            path=str(i),
            format="txt",
            raw="",
            text="x",
            title="t",
            url=None,
            source=None,
            language="en",
            language_confidence=1.0,
            published=None if i == 0 else dt.date(2025, 1, 1),
            date_source="none",
            date_confidence=0.0,
            date_evidence="",
            line=None,
            removed_lines=0,
        )
        for i in range(64)
    ]
    pipeline._release(arts, np.ones((64, 8), dtype=np.float32), [None] * 64)
    [(_, vector, _)] = pipeline._held
    assert vector.base is None or vector.base.nbytes == vector.nbytes


def test_held_undated_articles_are_bounded_by_size(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past MAX_HELD_BYTES of raw input and text waiting, the oldest undated article goes
    with the current batch; at the end of the run the rest are stored in batches of their
    own (one transaction each), and every article is stored once."""
    import newsfold.pipeline as pipeline_module

    monkeypatch.setattr(pipeline_module, "MAX_HELD_BYTES", len(FLOOD) * 2)
    files = {
        f"{i}/u{i}.txt": FLOOD.replace("date 2025-03-04\n", "") + f" Update {i}." for i in range(5)
    }
    files |= {"9/bid.txt": BID}
    _write(tmp_path / "in", files)
    store = open_store("sqlite:///:memory:")
    stats = _pipeline(store, 2).run([str(tmp_path / "in")])
    assert stats.new == 6 and stats.read == 6
    order = [r["id"] for r in export_rows(store, with_facts=False)]
    assert order.index("0/u0.txt") < order.index("9/bid.txt")  # went early: over the bound
    assert order[-1] == "4/u4.txt"


@pytest.mark.parametrize("trust", [False, True])
def test_trust_datelines_decides_whether_a_dateline_date_counts_as_sure(
    tmp_path: Path, trust: bool
) -> None:
    # A report whose only date is its dateline: source "dateline" either way; the
    # clusterer holds it as surely dated (like a feed's date) only with the option.
    text = FLOOD.replace("date 2025-03-04\n", "").replace("March 4 (", "4 March 2025 (")
    _write(tmp_path / "in", {"flood.txt": text, "bid.txt": BID})
    store = open_store("sqlite:///:memory:")
    options = PipelineOptions(embedder="hashing", facts=False, trust_datelines=trust)
    pipeline = Pipeline(store, options)
    pipeline.run([str(tmp_path / "in")])
    rows = {r["id"].rsplit("/", 1)[-1]: r for r in export_rows(store, with_facts=False)}
    assert rows["flood.txt"]["date_source"] == "dateline"
    assert rows["flood.txt"]["published"] == "2025-03-04"
    flood_event = pipeline.clusterer.events[rows["flood.txt"]["event"]]
    assert flood_event.sure_dated == int(trust)
    assert flood_event.text_dated == int(not trust)
    assert pipeline.clusterer.events[rows["bid.txt"]["event"]].sure_dated == 1  # header date


def test_an_upgraded_store_keeps_its_counts_through_the_undo(tmp_path: Path) -> None:
    """A store m008 upgraded while the end of its last run was recorded: the log's images
    of events predate the borderline count (NULL). The next run's undo brings them back;
    they are counted again there, before the run's own end records them (found by review:
    each run's undo restored them again, and they never showed in the list)."""
    stream = _synthetic_stream(tmp_path, 5)
    runs = _runs_of(stream, tmp_path, 20)
    whole = open_store("sqlite:///:memory:")
    _pipeline(whole, 3).run([str(stream)])
    store = open_store(f"sqlite:///{tmp_path / 'up.db'}")
    _pipeline(store, 3).run([str(runs[0])])
    images = store.conn.execute("SELECT COUNT(*) FROM undo__events WHERE id IS NOT NULL")
    assert images.fetchone()[0] > 0  # (the case can happen)
    store.conn.execute("UPDATE undo__events SET borderline = NULL")  # as taken before m008
    for path in runs[1:]:
        _pipeline(store, 3).run([str(path)])
        nulls = store.conn.execute("SELECT COUNT(*) FROM events WHERE borderline IS NULL")
        assert nulls.fetchone()[0] == 0
    assert _borderline(store) == _borderline(whole)
