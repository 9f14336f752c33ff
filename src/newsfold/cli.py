"""The ``newsfold`` command: a thin layer over the library.

Errors the user can act on (bad paths, a busy or newer store, unknown ids)
are printed as one line without a traceback; exit codes are documented in
``newsfold --help``.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

import click

from newsfold import __version__
from newsfold.errors import MovedError, NewsfoldError
from newsfold.export import export_rows
from newsfold.models import RunStats

F = TypeVar("F", bound=Callable[..., Any])

EXIT_REJECTED = 3

db_option = click.option(
    "--db",
    default="newsfold.db",
    show_default=True,
    envvar="NEWSFOLD_DB",
    help="The store: an SQLite file (created if missing). Env: NEWSFOLD_DB.",
)


def user_errors(fn: F) -> F:
    """Turn NewsfoldError into 'newsfold: error: ...' and exit status 1."""

    @wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except NewsfoldError as exc:
            click.echo(f"newsfold: error: {exc}", err=True)
            sys.exit(1)
        except KeyboardInterrupt:
            click.echo("newsfold: interrupted; the last complete batch is stored", err=True)
            sys.exit(130)

    return wrapper  # type: ignore[return-value]  # functools.wraps keeps the signature


def _open(db: str) -> Any:
    from newsfold.store import open_store

    return open_store(db)


def _live(store: Any, kind: str, given: str) -> str:
    """``given`` if that event or storyline is in the store; if it was merged, the id it
    went into (said on stderr); NotFoundError if it was never there."""
    try:
        (store.get_event if kind == "event" else store.get_storyline)(given)
    except MovedError as exc:
        click.echo(f"newsfold: note: {exc}; showing {exc.new_id}", err=True)
        return exc.new_id
    return given


@click.group(epilog="Exit status: 0 ok, 1 error, 2 bad usage, 3 some inputs were rejected (run).")
@click.version_option(__version__, prog_name="newsfold")
def cli() -> None:
    """Fold news reports into events, storylines, facts and corroboration.

    Typical use: `newsfold run FOLDER`, then `newsfold events`, `newsfold show
    EVENT_ID`, `newsfold facts`, `newsfold export`.
    """


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@db_option
@click.option(
    "--batch-size",
    default=256,
    show_default=True,
    type=click.IntRange(1, 100_000),
    help="Articles per transaction; a crash loses at most the two batches in flight. "
    "For input in date order, events and storylines do not depend on it.",
)
@click.option(
    "--embedder",
    default="use-m3",
    show_default=True,
    type=click.Choice(["use-m3", "hashing"]),
    help="use-m3: multilingual USE v3 (default); hashing: fast, no model, English-ish.",
)
@click.option("--no-facts", is_flag=True, help="Skip fact extraction and corroboration.")
@click.option(
    "--facts-processes",
    default=1,
    show_default=True,
    type=click.IntRange(0, 16),
    help="Worker processes for fact extraction from the second batch on "
    "(0: in this process; a process puts a second CPU to work).",
)
@click.option(
    "--embed-process/--no-embed-process",
    default=True,
    show_default=True,
    help="Embed in a worker process from the second batch on (--no-embed-process: in this "
    "process).",
)
@click.option(
    "--trust-datelines",
    is_flag=True,
    help="Trust a full date in a dateline or masthead line at the top of a text as the "
    "report's own, like a feed or page date: reports a week or more apart are then "
    "different events of a storyline. Use one setting for every run into a store.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the run summary as JSON.")
@click.option("--quiet", "-q", is_flag=True, help="Only the summary line, no overview.")
@user_errors
def run(
    paths: tuple[str, ...],
    db: str,
    batch_size: int,
    embedder: str,
    no_facts: bool,
    facts_processes: int,
    embed_process: bool,
    trust_datelines: bool,
    as_json: bool,
    quiet: bool,
) -> None:
    """Read PATHS (files and folders, recursively) into the store.

    Formats: .txt (optional first line `date YYYY-MM-DD`), .html/.htm, and
    .jsonl (one article a line: id, text, optional title, url, published,
    language, source). Running again on the same input adds nothing. Bad
    inputs are reported, recorded and skipped; the exit status is 3 if any
    input was rejected.

    A stream may be fed in runs of any size. Undated articles wait for the end
    of their run, and what the end of a run does is provisional: the next run
    undoes it first (storyline links, and the undated articles' grouping,
    which it does again after its own dated articles), so the stream ends as
    in one run.
    """
    from newsfold.pipeline import Pipeline, PipelineOptions
    from newsfold.report import overview, summary

    store = _open(db)
    options = PipelineOptions(
        batch_size=batch_size,
        embedder=embedder,
        facts=not no_facts,
        facts_processes=facts_processes,
        embed_process=embed_process,
        trust_datelines=trust_datelines,
    )
    pipeline = Pipeline(store, options)
    progress = _progress() if sys.stderr.isatty() and not as_json else None
    stats = pipeline.run(list(paths), command="run " + " ".join(paths), progress=progress)
    if progress:
        click.echo("", err=True)
    if as_json:
        click.echo(json.dumps(stats.as_dict(), indent=2))
    else:
        click.echo(summary(stats, db))
        if not quiet:
            click.echo("")
            click.echo(overview(store))
    store.close()
    if stats.rejected:
        sys.exit(EXIT_REJECTED)


def _progress() -> Callable[[RunStats], None]:
    def show(stats: RunStats) -> None:
        click.echo(
            f"\r{stats.read} read, {stats.new} new, {stats.duplicates} copies, "
            f"{stats.rejected} rejected …",
            nl=False,
            err=True,
        )

    return show


@cli.command()
@db_option
@click.option("--json", "as_json", is_flag=True, help="JSON list instead of a table.")
@click.option("--limit", type=int, default=None, help="At most this many events.")
@click.option(
    "--storyline",
    default=None,
    help="Only the events of this storyline (a merged one's id: the one it went into).",
)
@click.option(
    "--sort",
    "order",
    type=click.Choice(["recent", "size", "oldest", "borderline"]),
    default="recent",
    show_default=True,
    help="borderline: the events with the most borderline placements first.",
)
@click.option(
    "--borderline",
    is_flag=True,
    help="Only events holding a borderline placement (worth a check: see `newsfold show`).",
)
@user_errors
def events(
    db: str, as_json: bool, limit: int | None, storyline: str | None, order: str, borderline: bool
) -> None:
    """List events: id, title, dates, articles, outlets, borderline placements (how many
    of its articles were placed close to the join threshold, or with another event
    scoring as high: `newsfold show` marks them ?), storyline."""
    from newsfold.report import events_table

    store = _open(db)
    if storyline:
        storyline = _live(store, "storyline", storyline)
    rows = store.list_events(limit=limit, storyline=storyline, order=order, borderline=borderline)
    click.echo(json.dumps(rows, indent=2, ensure_ascii=False) if as_json else events_table(rows))


@cli.command()
@db_option
@click.option("--json", "as_json", is_flag=True)
@user_errors
def storylines(db: str, as_json: bool) -> None:
    """List storylines with their events."""
    from newsfold.report import overview

    store = _open(db)
    if as_json:
        rows = store.list_storylines()
        for row in rows:
            row["event_ids"] = [
                e["id"] for e in store.list_events(storyline=row["id"], order="oldest")
            ]
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
    else:
        click.echo(overview(store, max_events=10_000))


@cli.command()
@click.argument("event_id")
@db_option
@click.option("--json", "as_json", is_flag=True)
@user_errors
def show(event_id: str, db: str, as_json: bool) -> None:
    """Show one event: its articles (how each was placed: its same-event score when it
    joined, founded, or same text for a copy; ? marks a borderline one) and independent
    origins, then what they say
    together: claim groups (with conflicts), people, organisations and places (name
    variants merged across the articles) and quotations by speaker. The id of an event
    merged into another shows that one (noted on stderr)."""
    from newsfold.facts.event_summary import summarize
    from newsfold.report import event_detail

    store = _open(db)
    event_id = _live(store, "event", event_id)
    if as_json:
        data = store.get_event(event_id)
        data["article_list"] = store.event_articles(event_id)
        placed = store.event_placements(event_id, data["article_list"])
        for article in data["article_list"]:
            article["placement"] = placed.get(article["id"])
        data["corroboration"] = store.event_corroboration(event_id)
        facts = {a["id"]: store.article_facts(a["id"]) for a in data["article_list"]}
        data.update(summarize(facts))  # entities and quotes
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    for line in event_detail(store, event_id):
        click.echo(line)


@cli.command()
@db_option
@click.option("--format", "fmt", type=click.Choice(["jsonl"]), default="jsonl", show_default=True)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, writable=True),
    default="-",
    show_default=True,
    help="File to write; - for standard output.",
)
@user_errors
def export(db: str, fmt: str, output: str) -> None:
    """Write one JSON line per article (the documented export contract, see README)."""
    store = _open(db)
    with click.open_file(output, "w", encoding="utf-8") as handle:
        for row in export_rows(store):
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")


@cli.command()
@click.argument("event_id", required=False)
@db_option
@click.option("--json", "as_json", is_flag=True, help="JSON object with an `items` list.")
@click.option("--conflicts", is_flag=True, help="Only claim groups flagged as conflicting.")
@user_errors
def facts(event_id: str | None, db: str, as_json: bool, conflicts: bool) -> None:
    """Claim groups per event: what was counted, the values and how they were stated,
    which articles say it, how many independent origins, who reported first, and
    whether the sources conflict."""
    from newsfold.report import claims_table

    store = _open(db)
    if event_id:
        event_id = _live(store, "event", event_id)  # NotFoundError for unknown ids
        records = [store.event_corroboration(event_id) or {"claims": []}]
    else:
        records = store.all_corroboration()
    items = [c for rec in records for c in rec.get("claims", [])]
    if conflicts:
        items = [c for c in items if c.get("conflict")]
    if as_json:
        click.echo(json.dumps({"items": items}, indent=2, ensure_ascii=False))
    else:
        click.echo(claims_table(items))


CLUSTER_DATASETS = ("ecbplus", "semeval", "seeds", "sample")
FACT_DATASETS = ("quantities", "seed-facts", "sample-facts")


@cli.command(name="eval")
@click.argument("dataset", type=click.Choice([*CLUSTER_DATASETS, *FACT_DATASETS, "all"]))
@click.option(
    "--shared",
    type=click.Path(file_okay=False),
    default=None,
    help="The shared data folder (default: ../shared beside the project).",
)
@click.option("--json", "as_json", is_flag=True)
@user_errors
def evaluate_cmd(dataset: str, shared: str | None, as_json: bool) -> None:
    """Reproduce the quality figures on labelled data (see BENCHMARKS.md).

    ecbplus: event clustering, BCubed on the ECB+ test split; semeval: pairwise
    same-event score vs the SemEval-2022 Task 8 test ratings (Pearson r);
    seeds / sample: events and storylines of the five seeds and of the bundled
    sample; quantities: value+surface F1 on the quantulum3 test sentences;
    seed-facts: the facts listed in seeds/EXPECTED.md; sample-facts: claims,
    origins and quotes of the sample against sample/gold.json.
    """
    from pathlib import Path

    from newsfold.report import table

    root = Path(__file__).resolve().parents[2]
    shared_dir = Path(shared) if shared else root.parent / "shared"
    if not shared_dir.is_dir():
        raise NewsfoldError(f"no shared data folder at {shared_dir}; pass --shared")
    rows: list[dict[str, Any]] = []
    wanted = [*CLUSTER_DATASETS, *FACT_DATASETS] if dataset == "all" else [dataset]
    clustering = [d for d in wanted if d in CLUSTER_DATASETS]
    if clustering:
        from newsfold.evaluate import evaluate

        for name in clustering:
            rows += evaluate(name, shared_dir, root)
    for name in (d for d in wanted if d in FACT_DATASETS):
        rows += _fact_rows(name, shared_dir, root)
    if as_json:
        click.echo(json.dumps(rows, indent=2, default=str))
        return
    keys = ["dataset", "P", "R", "F1", "r", "pairs", "seconds", "note"]
    click.echo(table(keys, [[_fmt(r.get(k)) for k in keys] for r in rows], -1))


def _fact_rows(name: str, shared: Any, root: Any) -> list[dict[str, Any]]:
    """Rows of the facts scorers, in the table's shape."""
    import time

    from newsfold.facts import evaluate as fe

    started = time.perf_counter()
    if name == "quantities":
        result = fe.score_quantities(shared / "bench" / "quantities" / "quantulum3_quantities.json")
        seconds = round(time.perf_counter() - started, 1)
        return [
            {
                "dataset": f"quantities ({part})",
                "P": result[part]["precision"],
                "R": result[part]["recall"],
                "F1": result[part]["f1"],
                "pairs": result["gold"],
                "seconds": seconds,
                "note": f"value+surface; {len(result['skipped'])} gold items not applicable"
                if part == "applicable"
                else "value+surface, every gold item",
            }
            for part in ("all", "applicable")
        ]
    if name == "seed-facts":
        result = fe.score_seed_facts(shared / "seeds")
        note = f"{result['passed']}/{result['total']} checks of EXPECTED.md"
        if result["failed"]:
            note += "; failed: " + ", ".join(result["failed"])
        return [{"dataset": name, "seconds": round(time.perf_counter() - started, 1), "note": note}]
    result = fe.score_sample(root)
    out = []
    for part in ("claims", "claims_modality", "origins", "quotes", "quotes_speaker"):
        figures = result[part]
        out.append(
            {
                "dataset": f"sample {part.replace('_', ' + ')}",
                "P": figures.get("precision"),
                "R": figures.get("recall"),
                "F1": figures.get("f1"),
                "seconds": result["seconds"],
            }
        )
    return out


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.3f}"
    return "" if value is None else str(value)


@cli.command()
@db_option
@user_errors
def rejected(db: str) -> None:
    """List the inputs that were rejected, with the reason."""
    from newsfold.report import table

    store = _open(db)
    rows = store.rejections()
    click.echo(
        table(
            ["file", "line", "reason", "seen"],
            [[r["path"], r["line"] or "", r["reason"], r["seen"]] for r in rows],
            2,
        )
    )


@cli.command()
@db_option
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on; the default is reachable from this machine only.",
)
@click.option(
    "--port",
    default=8000,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="Port to listen on (0: any free port).",
)
@click.option(
    "--workers",
    default=0,
    type=click.IntRange(0, 64),
    help="Processes accepting on the one listening socket (pre-fork; each opens the "
    "store read-only with its own connections and cache). Python runs one thread at "
    "a time per process, so more workers serve more users at once. Default (0): one "
    "per CPU, at most 8; 1 serves from a single process.",
)
@click.option(
    "--cache-mb",
    default=64,
    show_default=True,
    type=click.IntRange(0, 65536),
    help="Memory per worker for whole pages and API answers, reused until the store "
    "changes (its generation, file size or time); 0 turns the cache off.",
)
@user_errors
def serve(db: str, host: str, port: int, workers: int, cache_mb: int) -> None:
    """Browse the store in a web browser, with a JSON API under /api/.

    Events with filters and full-text search, event pages (summary, articles by
    origin, facts with corroboration, an outlet timeline), storyline charts and
    articles with their facts highlighted. Read-only: the store is opened read-only
    (only its schema is brought up to date at start) and only GET and HEAD exist.
    Ctrl-C stops it.

    Capacity, measured with benchmarks/web_load.py (100 concurrent clients, 2 CPUs
    shared with the clients and other jobs, so noisy; see BENCHMARKS.md): on the
    sample store one uncached process answered about 350 requests/s with a
    95th-percentile latency of 330-400 ms; the defaults here (a worker per CPU,
    64 MB answer cache) about 1,500 requests/s at 90-95 ms, and about 600
    requests/s at 210-240 ms when no URL repeats (no cache hits). The cache serves
    pages asked again before the store changes; workers add Python (rendering)
    capacity, not SQLite capacity, which threads already share.
    """
    from newsfold.web import serve as run_server

    try:
        run_server(db, host, port, workers=workers, cache_mb=cache_mb)
    except OSError as exc:
        raise NewsfoldError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from exc


def main() -> None:
    cli(prog_name="newsfold")


if __name__ == "__main__":  # pragma: no cover  (run as a script, not under tests)
    main()
