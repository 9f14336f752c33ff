"""The recipe: how a pile of files becomes events, storylines and facts.

    1. ingest      files and folders -> raw documents (or rejections)      ingest.py
    2. clean       boilerplate, mojibake, title, language                  clean.py
    3. date        publication date with provenance and confidence         dating.py
    4. skip known  same id and same content hash: nothing to do (idempotent)
    5. dedupe      exact and near-verbatim copies -> canonical article      dedupe.py
    6. embed       multilingual sentence vectors                           embed.py
    7. events      streaming clustering into events                        events.py
    8. storylines  events chained over weeks and months                    storylines.py
    9. re-date     undated articles anchored on their related articles     dating.py
   10. facts       entities, quantities, dates, quotes                     facts/
   11. corroborate origins and claim groups per touched event              corroborate.py
   12. store       one transaction per batch: all of it lands or none      store/

Each stage is a small module with one job; :class:`Pipeline` holds the
swappable parts. Heavy work (embedding, fact extraction) happens before the
batch's write transaction, so the store is locked only while grouping.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import json
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from multiprocessing import get_context
from typing import TYPE_CHECKING, Any

import numpy as np

from newsfold.clean import clean
from newsfold.dating import (
    METADATA_SOURCES,
    anchor_on_related,
    resolve_date,
    weekday_mentions,
)
from newsfold.dedupe import Deduper
from newsfold.embed import Embedder, lead, make_embedder
from newsfold.errors import NotFoundError
from newsfold.events import EventState, StreamingClusterer, oldest_first
from newsfold.features import doc_features
from newsfold.ingest import IngestLimits, iter_inputs
from newsfold.models import Article, RawDocument, Rejection, RunStats
from newsfold.store import Store
from newsfold.storylines import (
    Provisional,
    StorylineLinker,
    link_round,
    next_period,
    resume_period,
)

if TYPE_CHECKING:  # the facts stage loads spaCy: import it only when it is used
    from newsfold.facts import ArticleFacts, FactExtractor

Progress = Callable[[RunStats], None]


@dataclass(slots=True)
class PipelineOptions:
    batch_size: int = 256
    embedder: str = "use-m3"
    facts: bool = True
    limits: IngestLimits = field(default_factory=IngestLimits)
    # Fact extraction in this many separate processes (0: in a thread of this process).
    # It holds the GIL for most of its work, so a process is what puts the second core
    # to work; it starts with the second batch (small runs never pay its start-up).
    facts_processes: int = 1
    # Embedding in its own worker process too, from the second batch on (False: in a
    # thread of this process, where its tokenizer competes with grouping for the GIL).
    # Only for an embedder built from ``embedder`` (one passed in is used here).
    embed_process: bool = True
    # Trust a date read from a dateline or masthead line at the top of the text (source
    # ``dateline``) as much as one from metadata: a report a week or more from an event's
    # days is then a follow-up, not part of it (the time prior's cap_sure). Off by default:
    # on ECB+, whose gold events hold reports weeks apart, it costs F1 (BENCHMARKS.md,
    # "Dates from datelines"). Use one setting for every run into a store.
    trust_datelines: bool = False


# An undated article held for the end of its run: with its vector and facts.
_Held = tuple[Article, np.ndarray, "ArticleFacts | None"]


def _extract_in_child(articles: list[Article]) -> tuple[list[ArticleFacts], float]:
    """Facts for one batch, in a worker process (its extractor is built once, lazily)."""
    global _CHILD_EXTRACTOR
    if _CHILD_EXTRACTOR is None:
        from newsfold.facts import FactExtractor

        _CHILD_EXTRACTOR = FactExtractor()
    started = time.perf_counter()
    found = list(_CHILD_EXTRACTOR.extract_many(articles))
    return found, time.perf_counter() - started


_CHILD_EXTRACTOR: FactExtractor | None = None


def _embed_in_child(name: str, texts: list[str]) -> tuple[np.ndarray, float]:
    """Vectors for one batch, in a worker process (its embedder is built once, lazily)."""
    if name not in _CHILD_EMBEDDERS:
        _CHILD_EMBEDDERS[name] = make_embedder(name)
    started = time.perf_counter()
    vectors = _CHILD_EMBEDDERS[name].embed(texts)
    return vectors, time.perf_counter() - started


_CHILD_EMBEDDERS: dict[str, Embedder] = {}


@dataclass(slots=True)
class _Prepared:
    """A batch cleaned, dated and checked against the store, its vectors and facts on the way."""

    articles: list[Article]
    rejections: list[Rejection]
    future: Future[tuple[np.ndarray, list[ArticleFacts | None]]]


class Pipeline:
    """Runs the recipe against one store. Build once, call :meth:`run` per input."""

    def __init__(
        self,
        store: Store,
        options: PipelineOptions | None = None,
        embedder: Embedder | None = None,
        extractor: FactExtractor | None = None,
    ) -> None:
        self.store = store
        self.options = options or PipelineOptions()
        self._own_embedder = embedder is None
        self.embedder = embedder or make_embedder(self.options.embedder)
        # date sources whose dates the clusterer trusts as the report's own
        self._sure_sources = METADATA_SOURCES | (
            {"dateline"} if self.options.trust_datelines else frozenset()
        )
        # worker processes by job ("facts", "embed"), made on first use, shut after each run
        self._pools: dict[str, ProcessPoolExecutor] = {}
        extractor_given = extractor is not None
        if extractor is None and self.options.facts:
            from newsfold.facts import FactExtractor

            extractor = FactExtractor()
        self.extractor = extractor
        # the default extractor can be rebuilt in a worker process; one passed in is used here
        self._own_extractor = extractor is not None and self.options.facts and not extractor_given
        self._batches = 0
        # undated articles (with their vectors and facts) waiting for the end of the run
        self._held: list[_Held] = []
        self.deduper = Deduper()
        self.clusterer = StreamingClusterer()
        self.linker = StorylineLinker()
        # events changed since storylines were last linked (see _link_storylines), and the
        # link period (LINK_DAYS) of the stream's latest dated article this run
        self._unlinked: dict[str, None] = {}
        self._period: int | None = None
        self._generation = -1
        self._fresh_run = False  # no batch of this run grouped yet: undo the last run's end
        # storylines the undo removed -> their events, until they are linked again (kept in
        # the store with the journal: see _save_provisional)
        self._gone: dict[str, list[str]] = {}
        # events the end of the last run created and the undo of it removed -> the article
        # that founded them, until that article is grouped again (see _redirect_gone_events)
        self._gone_events: dict[str, str | None] = {}
        self._undone = False  # an undo of the end of a run happened (see _group_held)

    # ------------------------------------------------------------------
    def run(
        self, paths: Sequence[str], command: str = "run", progress: Progress | None = None
    ) -> RunStats:
        stats = RunStats()
        started = time.perf_counter()
        with self.store.batch():
            run_id = self.store.start_run(command)
        # Two batches in flight: while batch k is grouped and committed (Python, in this
        # thread), batch k+1 is embedded and its facts extracted in a worker thread (numpy
        # and spaCy release the GIL for most of it), so both cores work. Commits stay one
        # transaction per batch, in input order: the store ends up exactly as unpipelined.
        pending: _Prepared | None = None
        self._period = None
        self._fresh_run = True
        if self.store.undo_pending(run_id):  # first: its articles count as waiting (_release)
            self._store([], np.zeros((0, 0), np.float32), [], [], run_id, stats)
        committed = False
        try:
            with ThreadPoolExecutor(max_workers=1, thread_name_prefix="newsfold-embed") as worker:
                chunks = _chunks(iter_inputs(paths, self.options.limits), self.options.batch_size)
                for chunk in itertools.chain(chunks, [None]):
                    prepared = (
                        None if chunk is None else self._prepare(chunk, stats, worker, pending)
                    )
                    if pending is not None:
                        self._commit(pending, run_id, stats, last=chunk is None)
                        committed = True
                        if progress:
                            progress(stats)
                    pending = prepared
            if not committed:
                # no input: still link what a stopped run left unlinked (stored flags)
                empty = np.zeros((0, 0), np.float32)
                self._store([], empty, [], [], run_id, stats, link=True, provisional=True)
                self._group_held(run_id, stats)
        finally:
            # a run that raised leaves its undated articles unstored, as a crash would
            # (running again stores them): never hand them to the next run
            self._held = []
            for pool in self._pools.values():
                pool.shutdown(cancel_futures=True)
            self._pools.clear()
        stats.seconds = time.perf_counter() - started
        counts = self.store.counts()
        stats.events = counts["events"]
        stats.storylines = counts["storylines"]
        with self.store.batch():
            self.store.finish_run(run_id, stats.as_dict())
        return stats

    # ------------------------------------------------------------------
    def _prepare(
        self,
        items: list[RawDocument | Rejection],
        stats: RunStats,
        worker: Executor,
        in_flight: _Prepared | None,
    ) -> _Prepared:
        """Stages 2-4 here, then 6 and 10 (embed, facts) handed to ``worker``."""
        rejections = [i for i in items if isinstance(i, Rejection)]
        docs = [i for i in items if isinstance(i, RawDocument)]
        stats.read += len(items)

        with self._timed(stats, "clean+date"):
            articles = [prepare(doc) for doc in docs]
        # the batch before this one is not committed yet: its articles count as stored
        pending = {a.id: a.content_hash for a in in_flight.articles} if in_flight else {}
        pending.update((a.id, a.content_hash) for a, _, _ in self._held)  # stored at the end
        articles, more_rejections, unchanged = self._known(articles, pending)
        rejections += more_rejections
        stats.unchanged += unchanged
        articles = processing_order(articles)
        self._batches += 1
        return _Prepared(articles, rejections, worker.submit(self._heavy, articles, stats))

    def _pool(self, job: str, workers: int) -> ProcessPoolExecutor:
        """The worker processes for ``job``, made on first use. Spawned, not forked: this
        process has threads (and maybe a loaded model) running."""
        pool = self._pools.get(job)
        if pool is None:
            pool = ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn"))
            self._pools[job] = pool
        return pool

    def _fact_processes(self) -> ProcessPoolExecutor | None:
        """The worker processes for facts, from the second batch on (None: extract here)."""
        if not self._own_extractor or self.options.facts_processes < 1 or self._batches < 2:
            return None
        return self._pool("facts", self.options.facts_processes)

    def _embedding_process(self) -> ProcessPoolExecutor | None:
        """The worker process for embedding, from the second batch on (None: embed here)."""
        if not (self._own_embedder and self.options.embed_process) or self._batches < 2:
            return None
        return self._pool("embed", 1)

    def _heavy(
        self, articles: list[Article], stats: RunStats
    ) -> tuple[np.ndarray, list[ArticleFacts | None]]:
        """Embed and extract facts (in the worker thread: touches no store). Facts go to
        the worker processes when there are some, while this thread embeds."""
        processes = self._fact_processes() if self.extractor is not None and articles else None
        parts: list[Future[tuple[list[ArticleFacts], float]]] = []
        if processes is not None:
            share = -(-len(articles) // self.options.facts_processes)  # ceil
            parts = [
                processes.submit(_extract_in_child, articles[i : i + share])
                for i in range(0, len(articles), share)
            ]
        texts = [lead(a.title, a.text) for a in articles]
        embedding = self._embedding_process() if articles else None
        if embedding is not None:
            vectors, seconds = embedding.submit(
                _embed_in_child, self.options.embedder, texts
            ).result()
            stats.stage_seconds["embed"] = stats.stage_seconds.get("embed", 0.0) + seconds
        else:
            with self._timed(stats, "embed"):
                vectors = self.embedder.embed(texts)
        facts: list[ArticleFacts | None] = [None] * len(articles)
        if parts:
            facts = []
            for part in parts:
                found, seconds = part.result()
                facts.extend(found)
                stats.stage_seconds["facts"] = stats.stage_seconds.get("facts", 0.0) + seconds
        elif self.extractor is not None and articles:
            with self._timed(stats, "facts"):
                facts = list(self.extractor.extract_many(articles))
        return vectors, facts

    def _commit(self, prepared: _Prepared, run_id: int, stats: RunStats, last: bool) -> None:
        """Group one prepared batch and store it: one transaction. Its undated articles
        wait for the end of the run (``last``; see :meth:`_release`), and are then grouped
        in batches of their own, a transaction each (a short write lock, as for any batch)."""
        vectors, facts = prepared.future.result()
        articles, vectors, facts = self._release(prepared.articles, vectors, facts)
        # undated articles released early (MAX_HELD) are re-dated on their storylines in
        # this batch: link first (there batch boundaries matter, as for what they join)
        early = any(a.published is None for a in articles)
        rejections = prepared.rejections
        self._store(articles, vectors, facts, rejections, run_id, stats, last or early, last)
        if last:
            self._group_held(run_id, stats)

    def _group_held(self, run_id: int, stats: RunStats) -> None:
        """The end of a run: group the held undated articles, after those the undo of the
        last run's end made wait again (stored: arrived earlier), in batches of their own.
        What this writes is recorded, and the next run undoes it before it groups anything
        (:meth:`_undo_end_of_run`), then groups them again after its own dated articles:
        as one run would have."""
        taken: set[str] = set()
        while True:
            # ids only: a chunk's rows are read when it is grouped (memory: the run's own
            # held articles and one chunk, however many wait)
            order = [i for i in self.store.waiting_order() if i not in taken]
            ids = set(order)
            mine = len(self._held)
            own = [h for h in self._held if h[0].id not in ids]
            # held here, stored by another writer meanwhile (same content: _known)
            stats.unchanged += mine - len(own)
            queue: list[str | _Held] = [*order, *own]
            self._held = []
            if not queue:
                return
            while queue:
                # a fixed size, not --batch-size: re-dating and storyline linking run once
                # per batch of them, and re-dated copies change which copy heads a group
                part, queue = queue[:HELD_BATCH], queue[HELD_BATCH:]
                chunk = self._read_waiting(part)
                if not chunk:
                    continue
                taken.update(a.id for a, _, _ in chunk)
                self._undone = False
                columns = _columns(chunk, np.zeros((0, len(chunk[0][1])), np.float32))
                self._store(*columns, [], run_id, stats, link=True, provisional=True, record=True)
                if self._undone:  # another writer's end undone here: ours may wait again
                    taken = {a.id for a, _, _ in chunk}

    def _read_waiting(self, part: list[str | _Held]) -> list[_Held]:
        """``part`` of the end of a run's queue, its waiting articles (ids) read from the
        store, in order (one gone meanwhile is left out)."""
        rows = {r["id"]: r for r in self.store.article_rows(i for i in part if isinstance(i, str))}
        return [
            _held(rows[i]) if isinstance(i, str) else i
            for i in part
            if not isinstance(i, str) or i in rows
        ]

    def _store(
        self,
        articles: list[Article],
        vectors: np.ndarray,
        facts: list[ArticleFacts | None],
        rejections: list[Rejection],
        run_id: int,
        stats: RunStats,
        link: bool = False,
        provisional: bool = False,
        record: bool = False,
    ) -> None:
        """Group ``articles`` and store them with ``rejections``: one transaction.
        ``link``: end with a round of storyline linking (the end of a run, or undated
        articles released early); ``provisional``: the end of a run, undone when the next
        run starts grouping (:class:`newsfold.storylines.Provisional`); ``record``: held
        undated articles at the end of a run, what their grouping writes recorded for the
        next run to undo (:meth:`_group_held`)."""
        offered = len(articles)
        with self.store.batch():
            expected_generation = self.store.generation() + 1  # after our own commit
            if self.store.undo_pending(run_id):  # before anything else this run groups
                self._undo_end_of_run()  # (and reload)
            elif self.store.generation() != self._generation:
                self._reload()  # another writer changed the grouping state since our commit
            # Another writer may have committed since we looked: check again, inside the lock.
            articles, vectors, facts, late, waited = self._still_new(articles, vectors, facts)
            # stored meanwhile by another run with the same content: nothing to do
            stats.unchanged += offered - len(articles) - len(late)
            rejections = rejections + late
            for rejection in rejections:
                self.store.record_rejection(run_id, rejection)
            stats.rejected += len(rejections)
            stats.rejections.extend(rejections)
            if record:  # (after the rejections: an undo must not take them back)
                self.store.record_undo(run_id)
            # (a run whose input was all stored already still undoes the last run's
            # provisional links here and links them again: before its undated articles)
            undo = self._fresh_run and self.linker.journal is not None
            if articles or (link and (self._unlinked or undo)):
                with self._timed(stats, "group"):
                    self._group(articles, vectors, facts, run_id, stats, link, provisional, waited)
            if record:
                self.store.record_undo(None)
        self._generation = expected_generation
        stats.new += len(articles) - len(waited)

    def _release(
        self, articles: list[Article], vectors: np.ndarray, facts: list[ArticleFacts | None]
    ) -> tuple[list[Article], np.ndarray, list[ArticleFacts | None]]:
        """The articles to group now: the batch's dated ones. The undated ones are held for
        the end of the run (:meth:`_commit`), in arrival order: an undated report is scored
        once the run's dated reports are in, so where the batches are cut does not change
        what it, or anything else, joins. Past :data:`MAX_HELD` articles or
        :data:`MAX_HELD_BYTES` of raw input and text waiting, the oldest go with this batch
        (a memory bound), and there the batch boundaries matter again. Articles stored
        waiting (the undo of the last run's end: :meth:`_group_held`) count as held, and
        arrived first: so each run groups again at most :data:`MAX_HELD` of them."""
        ready = [i for i, a in enumerate(articles) if a.published is not None]
        self._held.extend(  # a copy of the row: a view would keep the batch's matrix alive
            (articles[i], np.array(vectors[i]), facts[i])
            for i, a in enumerate(articles)
            if a.published is None
        )
        waiting = self.store.count_waiting()
        early = min(waiting, max(0, waiting + len(self._held) - MAX_HELD))
        waiting -= early
        sizes = [len(a.raw) + len(a.text) for a, _, _ in self._held]
        total, out = sum(sizes), 0
        while out < len(sizes) and (
            waiting + len(sizes) - out > MAX_HELD or total > MAX_HELD_BYTES
        ):
            total -= sizes[out]
            out += 1
        released, self._held = self._held[:out], self._held[out:]
        if early:  # the oldest waiting ones (stored): grouped for good with this batch
            rows = self.store.waiting_articles(limit=early)
            released = [_held(r) for r in rows] + released
        now = [(articles[i], vectors[i], facts[i]) for i in ready]
        return _columns(now + released, vectors[:0])

    def _known(
        self, articles: list[Article], pending: dict[str, str] | None = None
    ) -> tuple[list[Article], list[Rejection], int]:
        """Drop articles already stored (or ``pending``: id -> hash about to be stored)
        with the same content; reject id clashes."""
        stored = self.store.article_hashes(a.id for a in articles)
        fresh: list[Article] = []
        rejected: list[Rejection] = []
        seen: dict[str, str] = dict(pending or {})
        unchanged = 0
        for art in articles:
            known = stored.get(art.id) or seen.get(art.id)
            if known == art.content_hash:
                unchanged += 1
            elif known is not None:
                rejected.append(
                    Rejection(
                        art.path,
                        f"id {art.id!r} is already stored with different content; "
                        "give the changed article a new id",
                        art.line,
                    )
                )
            else:
                seen[art.id] = art.content_hash
                fresh.append(art)
        return fresh, rejected, unchanged

    def _still_new(
        self, articles: list[Article], vectors: np.ndarray, facts: list[ArticleFacts | None]
    ) -> tuple[list[Article], np.ndarray, list[ArticleFacts | None], list[Rejection], set[str]]:
        """``articles`` less those stored meanwhile (the same content: dropped; other
        content: rejected as ``late``), and those of them stored but waiting, so still to
        group (see :meth:`_undo_end_of_run`): stored by this run or another
        one, whose undo made them wait."""
        # Look the ids up again whatever the generation says: with two batches in flight,
        # this batch's first look predates the commit of the batch before it (one indexed
        # query, inside the lock).
        stored = self.store.article_hashes(a.id for a in articles)
        if not stored:
            return articles, vectors, facts, [], set()
        waiting = self.store.waiting_ids(stored)
        hashes = {a.id: a.content_hash for a in articles}
        waited = {k for k in waiting if stored[k] == hashes[k]}
        stored = {k: v for k, v in stored.items() if k not in waited}
        keep = [i for i, a in enumerate(articles) if a.id not in stored]
        late = [
            Rejection(a.path, f"id {a.id!r} was stored by another run meanwhile", a.line)
            for a in articles
            if a.id in stored and stored[a.id] != a.content_hash
        ]
        return (
            [articles[i] for i in keep],
            vectors[keep] if len(keep) else vectors[:0],
            [facts[i] for i in keep],
            late,
            waited,
        )

    def _reload(self) -> None:
        """(Re)load the grouping state from the store, after another writer changed it."""
        self.deduper = Deduper()
        self.deduper.load(self.store.dedupe_rows())
        self.clusterer.load(self.store.load_events(), self.store.load_frequencies())
        journal = self._load_provisional()
        self.linker.load(self.store.load_storylines(), journal)
        if journal:  # another run ended (maybe a writer beside this one): undo it first
            self._fresh_run = True
        # events a run changed and had not yet linked when it stopped (or another writer)
        self._unlinked = {e.id: None for e in self.clusterer.events.values() if e.unlinked}

    def _undo_end_of_run(self) -> None:
        """Undo what the end of the last run wrote (its held undated articles grouped;
        recorded in the store), so that this run groups its dated articles first, as one
        run would have; those articles wait again (:meth:`_group_held`). Then reload:
        the grouping state is the store's, as before that end (its storyline journal
        included, undone in turn by :meth:`_group`)."""
        undone = self.store.undo()
        self._undone = True
        self._reload()
        # events that end created and the undo removed may have been shown: keep where
        # they came from until their founding article is grouped again
        for event_id, founder in undone.events.items():
            if event_id not in self.clusterer.events:
                self._gone_events[event_id] = founder
        # so may storylines it created: they lead where their events go (_redirect_gone)
        for line_id, members in undone.storylines.items():
            if line_id not in self.linker.storylines and members:
                self._gone.setdefault(line_id, members)
        self._save_provisional()

    def _group(
        self,
        articles: list[Article],
        vectors: np.ndarray,
        facts: list[ArticleFacts | None],
        run_id: int,
        stats: RunStats,
        link: bool = False,
        provisional: bool = False,
        waited: frozenset[str] | set[str] = frozenset(),
    ) -> None:
        """Group ``articles`` (stages 5-11) inside the caller's transaction. ``waited``:
        those of them stored already, waiting (counted by the run that stored them)."""
        store = self.store
        seq = store.next_seq()
        event_of: dict[str, str] = {}
        changed: dict[str, EventState] = {}  # events to save: grouped into, or linked
        grouped: dict[str, None] = {}  # events articles joined (corroborated again)
        had_journal = self.linker.journal is not None or bool(self._gone)
        if self._fresh_run:  # before anything else of this run: as if the last had not ended
            self._fresh_run = False
            self._undo_provisional(run_id, changed)
        if self._period is None and self._unlinked:
            # resuming a stream that stopped before linking: in the period it had reached
            events = self.clusterer.events
            self._period = resume_period(events[e] for e in self._unlinked if e in events)
        for offset, (art, vec) in enumerate(zip(articles, vectors, strict=True)):
            due, self._period = next_period(self._period, art.published)
            if due:  # the stream entered a new period: link what changed before it
                self._link_storylines(run_id, changed, grouped)
            sig, canonical, repointed = self.deduper.add(
                art.id, art.content_hash, art.full_text, art.published
            )
            art.duplicate_of = canonical
            group_member = canonical or next(iter(repointed), None)
            force = None
            if group_member is not None:
                stats.duplicates += art.id not in waited  # (counted when stored)
                force = (
                    event_of.get(group_member)
                    or store.get_article(group_member, with_text=False)["event"]
                )
            feats = doc_features(
                art.id,
                art.title,
                art.text,
                vec,
                art.published,
                art.language,
                art.source,
                date_sure=art.date_source in self._sure_sources,
            )
            event_id, created = self.clusterer.add(feats, force_event=force)
            art.event = event_id
            event_of[art.id] = event_id
            store.add_article(art, seq + offset, run_id, vec, sig)
            for member, new_canonical in repointed.items():
                store.set_duplicate_of(member, None if member == new_canonical else new_canonical)
            placement = json.dumps(self.clusterer.placement.to_json(), sort_keys=True)
            store.log(
                run_id, "create" if created else "join", event_id, article=art.id, detail=placement
            )
            # an event the undo removed, founded again by the same article: not new
            stats.new_events += created and event_id not in self._gone_events
            for absorbed, into in self.clusterer.merges():  # a grown event absorbed a neighbour
                for done in articles[: offset + 1]:
                    if done.event == absorbed:
                        done.event = event_of[done.id] = into
                self.linker.forget(absorbed, into, self.clusterer.events)
                store.merge_events(absorbed, into)
                store.log(run_id, "merge", absorbed, other=into)

        self._take_touched(changed, grouped)
        if link:
            self._link_storylines(run_id, changed, grouped, provisional)
        self._retire_storylines(run_id)
        if self._gone:
            self._redirect_gone(run_id)
        if self._gone_events:
            self._redirect_gone_events(run_id)
        events = self.clusterer.events
        touched = sorted((events[e] for e in changed if e in events), key=oldest_first)
        store.save_events(touched, run_id)
        store.save_frequencies(self.clusterer.df)

        self._redate(articles)
        for art, art_facts in zip(articles, facts, strict=True):
            if art_facts is not None:
                store.save_facts(art.id, art_facts.to_json())
        if self.extractor is not None:
            self._corroborate([e for e in grouped if e in events])
        # dates may have moved with re-dating (placements have not: counted above)
        store.save_events(touched, run_id, count=False)
        # events only scored whose cached norm or summaries were recomputed: their state
        # too, so that a later run (a reload) decides as one long run would
        store.save_event_states(e for e in self.clusterer.recached() if e.id not in changed)
        store.save_storylines(self.linker.touched(), run_id)
        if had_journal or self.linker.journal is not None or self._gone or self._gone_events:
            self._save_provisional()  # opened, added to or undone; redirects pending or done

    def _save_provisional(self) -> None:
        """Keep the journal of the last run's end and the storylines its undo removed whose
        events are not linked again yet (:meth:`_redirect_gone`), so that a crash before
        they are loses neither."""
        data: dict[str, Any] = {}
        if self.linker.journal is not None:
            data["journal"] = self.linker.journal.to_json()
        if self._gone:
            data["gone"] = self._gone
        if self._gone_events:
            data["gone_events"] = self._gone_events
        self.store.save_provisional(data or None)

    def _load_provisional(self) -> Provisional | None:
        """What :meth:`_save_provisional` kept: the journal (None: none), ``_gone`` set."""
        data = self.store.load_provisional() or {}
        if "events" in data:  # a bare journal (as stored before the redirects were kept)
            data = {"journal": data}
        gone = data.get("gone", {})
        self._gone = {str(line): [str(e) for e in events] for line, events in gone.items()}
        gone_events = data.get("gone_events", {})
        self._gone_events = {str(e): None if a is None else str(a) for e, a in gone_events.items()}
        return Provisional.from_json(data["journal"]) if data.get("journal") else None

    def _take_touched(self, changed: dict[str, EventState], grouped: dict[str, None]) -> None:
        """Collect the events the clusterer changed since it was last asked."""
        for event in self.clusterer.touched():
            changed[event.id] = event
            grouped[event.id] = None
            self._unlinked[event.id] = None

    def _link_storylines(
        self,
        run_id: int,
        changed: dict[str, EventState],
        grouped: dict[str, None],
        provisional: bool = False,
    ) -> None:
        """Stage 8: link every event changed since the last round to its storyline, oldest
        first, and sum the storylines again.

        Rounds happen where the stream enters a new period of ``LINK_DAYS`` (before its
        first article), at the end of a run, and after each batch of undated articles at
        the end of a run: never at a batch boundary. So batch boundaries inside a run do
        not change storylines, and storylines are not summed so often that a wrongly linked
        event's names start to count as the storyline's own (BENCHMARKS.md).

        ``provisional``: the end of a run. The next run undoes this round before it groups
        anything (:meth:`_undo_provisional`) and links these events again with the rest of
        their week, so where runs start and end does not change storylines either."""
        self._take_touched(changed, grouped)
        if provisional:
            self.linker.provisional()
        todo, self._unlinked = self._unlinked, {}
        events = self.clusterer.events
        for event, line_id, moved_from in link_round(self.linker, todo, events, self.clusterer.df):
            changed[event.id] = event
            if moved_from:
                self.store.log(run_id, "move", event.id, other=line_id, detail=f"from {moved_from}")

    def _undo_provisional(self, run_id: int, changed: dict[str, EventState]) -> None:
        """Undo the links the end of the last run made (kept in the store), so that its
        last week's events are linked with the rest of their week."""
        events = self.clusterer.events
        back, gone = self.linker.undo(events)
        for line_id, members in gone.items():
            self.store.delete_storyline(line_id)
            self._gone[line_id] = members  # see _redirect_gone
        for event_id, was in back.items():
            event = events[event_id]
            changed[event_id] = event
            self._unlinked[event_id] = None
            if event.storyline is not None and was != event.storyline:
                self.store.log(
                    run_id,
                    "move",
                    event_id,
                    other=event.storyline,
                    detail=f"from {was} (back: the end of the last run linked it provisionally)",
                )

    def _redirect_gone(self, run_id: int) -> None:
        """A storyline the end of the last run created and the undo removed may have been
        shown: once its events are linked again (and it is not back), log where its first
        linked event went, so that its id still leads somewhere (``merge-storyline``).
        An event of it that the undo removed too counts as the event its first article
        joined once grouped again (see :meth:`_redirect_gone_events`)."""
        events = self.clusterer.events
        for line_id, members in list(self._gone.items()):
            if line_id in self.linker.storylines:
                del self._gone[line_id]  # linked again as it was
                continue
            now = [self._event_now(e) for e in members]
            found = [events[e].storyline for e in now if e in events and events[e].storyline]
            if found or not any(e in events or e == "" for e in now):
                del self._gone[line_id]
            if found:
                self.store.log(run_id, "merge-storyline", line_id, other=found[0])

    def _event_now(self, event_id: str) -> str | None:
        """``event_id``, or the live event it went into: through the merges logged, and
        for an event the undo removed (not founded again), the event its first article
        joined since; "" while that article waits; None if it leads nowhere."""
        seen: set[str] = set()
        while event_id not in seen:
            seen.add(event_id)
            if event_id in self.clusterer.events:
                return event_id
            if event_id in self._gone_events:
                return self._founder_event(self._gone_events[event_id])
            into = self.store.merged_into(event_id)
            if into is None:
                return None
            event_id = into
        return None

    def _founder_event(self, founder: str | None) -> str | None:
        """The event the article ``founder`` is in: "" while it waits; None if it is
        unknown or gone from the store."""
        if founder is None:
            return None
        try:
            now = self.store.get_article(founder, with_text=False)["event"]
        except NotFoundError:
            return None
        return "" if now is None else str(now)

    def _redirect_gone_events(self, run_id: int) -> None:
        """An event the end of the last run created and the undo removed may have been
        shown: once the article that founded it is grouped again (and the event is not
        back under its id), log a merge into the event it joined, so that the id still
        leads somewhere."""
        for event_id, founder in list(self._gone_events.items()):
            if event_id in self.clusterer.events:
                del self._gone_events[event_id]  # founded again by the same article
                continue
            now = self._founder_event(founder)
            if now != "":  # grouped again, or gone: nothing to follow
                del self._gone_events[event_id]
            if now:
                self.store.log(
                    run_id,
                    "merge",
                    event_id,
                    other=now,
                    detail="its first article joined this event (the end of the last run "
                    "had grouped it provisionally)",
                )

    def _retire_storylines(self, run_id: int) -> None:
        for retired, into in self.linker.retired():
            self.store.delete_storyline(retired)
            self.store.log(run_id, "merge-storyline", retired, other=into)

    def _redate(self, articles: list[Article]) -> None:
        """Anchor undated articles on dated articles of the same storyline (stage 9)."""
        # Only articles that name a weekday can be anchored (anchor_on_related says None
        # otherwise): the others need no related texts, which cost a storyline's worth of
        # reads each. Texts read for one article are kept for the rest of the batch.
        undated = [a for a in articles if a.published is None and weekday_mentions(a.text)]
        if not undated:
            return
        texts: dict[str, str] = {}
        for art in undated:
            event = self.clusterer.events.get(art.event or "")
            if event is None or event.storyline is None:
                continue
            line = self.linker.storylines.get(event.storyline)
            related: list[tuple[dt.date, str]] = []
            for event_id in line.events if line else [event.id]:
                for row in self.store.event_articles(event_id):
                    if row["published"] and row["id"] != art.id:
                        if row["id"] not in texts:
                            texts[row["id"]] = self.store.get_article(row["id"])["text"]
                        text = texts[row["id"]]
                        related.append((dt.date.fromisoformat(row["published"]), text))
            found = anchor_on_related(art.text, related)
            if found is not None and found.date is not None:
                art.published = found.date
                art.date_source = found.source
                art.date_confidence = found.confidence
                art.date_evidence = found.evidence
                self.store.set_date(art.id, found)
                self.deduper.set_published(art.id, found.date)  # as a reload would see it

    def _corroborate(self, event_ids: list[str]) -> None:
        from newsfold.corroborate import corroborate
        from newsfold.facts import ArticleFacts

        for event_id in event_ids:
            rows = self.store.event_articles(event_id)
            arts = [article_from_row(self.store.get_article(r["id"])) for r in rows]
            event_facts = {}
            for art in arts:
                data = self.store.article_facts(art.id)
                if data is not None:
                    event_facts[art.id] = ArticleFacts.from_json(data)
            result = corroborate(event_id, arts, event_facts)
            self.store.save_corroboration(event_id, dataclasses.asdict(result))

    @contextmanager
    def _timed(self, stats: RunStats, stage: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            stats.stage_seconds[stage] = stats.stage_seconds.get(stage, 0.0) + (
                time.perf_counter() - start
            )


def prepare(doc: RawDocument) -> Article:
    """Stages 2 and 3 for one document: clean it and date it."""
    cleaned = clean(doc)
    date = resolve_date(doc, cleaned.text, cleaned.title)
    language = doc.language or cleaned.language
    return Article(
        id=doc.id,
        path=doc.path,
        format=doc.format,
        raw=doc.raw,
        text=cleaned.text,
        title=cleaned.title,
        url=doc.url,
        source=doc.source or cleaned.outlet,
        language=language,
        language_confidence=1.0 if doc.language else cleaned.language_confidence,
        published=date.date,
        date_source=date.source,
        date_confidence=date.confidence,
        date_evidence=date.evidence,
        line=doc.line,
        removed_lines=cleaned.removed,
    )


def article_from_row(row: dict[str, Any]) -> Article:
    """Rebuild an :class:`Article` from a store row (for stages re-run on stored data)."""
    return Article(
        id=row["id"],
        path=row["path"],
        format=row["format"],
        raw=row.get("raw", ""),
        text=row.get("text", ""),
        title=row["title"],
        url=row["url"],
        source=row["source"],
        language=row["language"] or "und",
        language_confidence=row["language_confidence"] or 0.0,
        published=dt.date.fromisoformat(row["published"]) if row["published"] else None,
        date_source=row["date_source"],
        date_confidence=row["date_confidence"],
        date_evidence=row["date_evidence"] or "",
        line=row["line"],
        duplicate_of=row["duplicate_of"],
        event=row["event"],
        content_hash=row["content_hash"],
    )


# Undated articles held back for the end of a run, at most (then the oldest is grouped):
# they wait in memory with their vectors and facts
MAX_HELD = 2000
MAX_HELD_BYTES = 100_000_000  # ...and at most this many characters of raw input and text
HELD_BATCH = 256  # held articles are stored at the end of a run in batches of this size


def processing_order(articles: Sequence[Article]) -> list[Article]:
    """The order a batch is clustered in: dated articles oldest first, then the undated
    ones (which :meth:`Pipeline._release` then holds for the end of the run); ties keep
    their arrival order.

    Ties by arrival, not by id: a stream that arrives in date order is then clustered in
    arrival order, so cutting it into batches anywhere gives the same events, same-day
    reports included; its undated reports are grouped after all of the run's dated ones
    whatever the cuts."""
    return sorted(articles, key=lambda a: (a.published is None, a.published or dt.date.max))


def _held(row: dict[str, Any]) -> _Held:
    """A stored waiting article as a held one: its vector (float32, as
    :meth:`Store.add_article` wrote it); its facts are stored already (None: not again)."""
    return article_from_row(row), np.frombuffer(row["embedding"], dtype=np.float32).copy(), None


def _columns(
    rows: Sequence[tuple[Article, np.ndarray, ArticleFacts | None]], empty: np.ndarray
) -> tuple[list[Article], np.ndarray, list[ArticleFacts | None]]:
    """(article, vector, facts) rows as the three columns the grouping takes (``empty``:
    the 0-row matrix to return when there are no rows)."""
    matrix = np.vstack([v for _, v, _ in rows]) if rows else empty
    return [a for a, _, _ in rows], matrix, [f for _, _, f in rows]


def _chunks(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    iterator = iter(items)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk
