"""The one interface every store implements (SQLite now, a server database later).

The pipeline writes through it and the CLI and web pages read through it;
neither knows SQL. Rows come back as plain dicts with the keys documented on
each method, so a second backend can be tested against the same suite.
"""

from __future__ import annotations

import abc
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any

import numpy as np

from newsfold.errors import MovedError, NotFoundError
from newsfold.events import EventState, Placement
from newsfold.features import DocumentFrequencies
from newsfold.models import Article, DateResult, Rejection
from newsfold.storylines import StorylineState


@dataclass
class Undone:
    """What :meth:`Store.undo` took away that may have been shown: the events the
    recording created (id -> the article that founded it) and the storylines it created
    (id -> the events linked to it when the undo began)."""

    events: dict[str, str | None]
    storylines: dict[str, list[str]]


class Store(abc.ABC):
    """Persistent state of newsfold. Writes happen inside :meth:`batch`."""

    # ---- lifecycle -------------------------------------------------------
    @abc.abstractmethod
    def close(self) -> None: ...

    @abc.abstractmethod
    def batch(self) -> AbstractContextManager[None]:
        """An exclusive write transaction: all of a batch lands, or none of it."""

    @abc.abstractmethod
    def generation(self) -> int:
        """A counter bumped by every committed batch (to notice other writers)."""

    @abc.abstractmethod
    def start_run(self, command: str) -> int: ...

    @abc.abstractmethod
    def finish_run(self, run_id: int, stats: dict[str, Any]) -> None: ...

    # ---- pipeline writes -------------------------------------------------
    @abc.abstractmethod
    def article_hashes(self, ids: Iterable[str]) -> dict[str, str]:
        """Content hashes of the given ids that are already stored."""

    @abc.abstractmethod
    def next_seq(self) -> int: ...

    @abc.abstractmethod
    def add_article(
        self, article: Article, seq: int, run_id: int, embedding: np.ndarray, minhash: np.ndarray
    ) -> None: ...

    @abc.abstractmethod
    def set_duplicate_of(self, article_id: str, canonical: str | None) -> None: ...

    @abc.abstractmethod
    def set_date(self, article_id: str, date: DateResult) -> None: ...

    @abc.abstractmethod
    def dedupe_rows(self) -> Iterator[tuple[str, str, bytes, Any, int, str | None]]:
        """(id, content_hash, minhash, published date, text length, duplicate_of)."""

    @abc.abstractmethod
    def waiting_articles(self, limit: int | None = None) -> list[dict[str, Any]]:
        """Stored articles not grouped yet (``event`` None: the next run's undo of the end
        of a run made them wait again), oldest first (at most ``limit``), as full rows."""

    @abc.abstractmethod
    def waiting_order(self) -> list[str]:
        """The ids of :meth:`waiting_articles`, oldest first (no rows read)."""

    @abc.abstractmethod
    def article_rows(self, ids: Iterable[str]) -> list[dict[str, Any]]:
        """The full rows of the stored articles among ``ids`` (any order)."""

    @abc.abstractmethod
    def count_waiting(self) -> int:
        """How many :meth:`waiting_articles` there are."""

    @abc.abstractmethod
    def waiting_ids(self, ids: Iterable[str]) -> set[str]:
        """Those of ``ids`` stored and waiting (see :meth:`waiting_articles`)."""

    # The end of a run groups the run's undated articles; what that writes is recorded
    # and undone by the next run before it groups anything (pipeline.Pipeline).
    @abc.abstractmethod
    def record_undo(self, run_id: int | None) -> None:
        """Record (for ``run_id``; None: stop) what this transaction writes, so that
        :meth:`undo` can take it back. Set and cleared inside one batch."""

    @abc.abstractmethod
    def undo_pending(self, run_id: int) -> bool:
        """Whether writes another run than ``run_id`` recorded wait to be undone."""

    @abc.abstractmethod
    def merged_into(self, event_id: str) -> str | None:
        """The event ``event_id`` was last merged into (the event log), live or not."""

    @abc.abstractmethod
    def undo(self) -> Undone:
        """Take back every recorded write, newest first: the store is as it was before
        the recording began, except that articles stored since stay stored, waiting.
        Returns the events and storylines the recording created."""

    @abc.abstractmethod
    def load_events(self) -> list[EventState]: ...

    @abc.abstractmethod
    def save_events(self, events: Iterable[EventState], run_id: int, *, count: bool = True) -> None:
        """Store ``events`` (their state and aggregates: dates, articles, outlets...) and,
        with ``count``, how many of their placements are borderline (:meth:`count_borderline`,
        an O(articles) read; without it a row keeps the count it had)."""

    @abc.abstractmethod
    def save_event_states(self, events: Iterable[EventState]) -> None:
        """Save the clusterer state of stored events that did not change otherwise (their
        cached norms and summaries): the rest of their rows, ``updated_run`` included,
        stays as it is."""

    @abc.abstractmethod
    def merge_events(self, absorbed: str, into: str) -> None:
        """The clusterer merged ``absorbed`` into ``into``: move its articles, drop it."""

    @abc.abstractmethod
    def load_storylines(self) -> list[StorylineState]: ...

    @abc.abstractmethod
    def save_storylines(self, storylines: Iterable[StorylineState], run_id: int) -> None: ...

    @abc.abstractmethod
    def delete_storyline(self, storyline_id: str) -> None: ...

    @abc.abstractmethod
    def load_provisional(self) -> dict[str, Any] | None:
        """What the pipeline kept of the end of the last run (the journal of its
        provisional storyline links, ``Provisional.to_json()``, and the storylines the
        next run's undo removed, pending a redirect), or None."""

    @abc.abstractmethod
    def save_provisional(self, data: dict[str, Any] | None) -> None:
        """Keep (None: drop) that JSON object, in the transaction of the batch."""

    @abc.abstractmethod
    def load_frequencies(self) -> DocumentFrequencies: ...

    @abc.abstractmethod
    def save_frequencies(self, df: DocumentFrequencies) -> None: ...

    @abc.abstractmethod
    def log(
        self,
        run_id: int,
        action: str,
        subject: str,
        other: str | None = None,
        article: str | None = None,
        detail: str | None = None,
    ) -> None: ...

    @abc.abstractmethod
    def record_rejection(self, run_id: int, rejection: Rejection) -> None: ...

    @abc.abstractmethod
    def save_facts(self, article_id: str, data: dict[str, Any]) -> None: ...

    @abc.abstractmethod
    def save_corroboration(self, event_id: str, data: dict[str, Any]) -> None: ...

    # ---- reads -----------------------------------------------------------
    @abc.abstractmethod
    def counts(self) -> dict[str, int]:
        """articles, duplicates, events, storylines, rejected."""

    @abc.abstractmethod
    def list_events(
        self,
        limit: int | None = None,
        offset: int = 0,
        storyline: str | None = None,
        order: str = "recent",
        *,
        date_from: str | None = None,
        date_to: str | None = None,
        language: str | None = None,
        outlet: str | None = None,
        entity: str | None = None,
        query: str | None = None,
        borderline: bool = False,
    ) -> list[dict[str, Any]]:
        """id, title, first_date, last_date, articles, outlets, languages, storyline, and
        ``borderline``: how many of its articles' placements are borderline (as
        :meth:`event_placements` shows them; None: not counted yet).

        ``order``: recent, size, oldest, or borderline (the most borderline placements
        first: the events most worth a reader's check).

        Optional filters (all must hold): the event's dates overlap ``date_from`` ..
        ``date_to`` (ISO dates; undated events drop out), it has an article in
        ``language`` or from ``outlet``, one of its articles' facts names ``entity``
        (case-insensitive), one of its articles matches the search ``query``, and with
        ``borderline``, it holds a borderline placement."""

    @abc.abstractmethod
    def get_event(self, event_id: str) -> dict[str, Any]:
        """As a row of :meth:`list_events`; raises NotFoundError, or its subclass
        MovedError (``new_id``: the live event) for an id merged into another one."""

    @abc.abstractmethod
    def event_articles(self, event_id: str) -> list[dict[str, Any]]:
        """The articles of an event, as :meth:`get_article` rows, earliest first."""

    @abc.abstractmethod
    def list_storylines(self) -> list[dict[str, Any]]:
        """id, title, first_date, last_date, events."""

    @abc.abstractmethod
    def get_article(self, article_id: str, with_text: bool = True) -> dict[str, Any]:
        """id, title, text, raw, url, source, language, published, date_source,
        date_confidence, date_evidence, duplicate_of, event, storyline, path, line,
        format; raises NotFoundError."""

    @abc.abstractmethod
    def iter_articles(self, with_text: bool = False) -> Iterator[dict[str, Any]]:
        """All articles in processing order, as :meth:`get_article` rows."""

    @abc.abstractmethod
    def article_facts(self, article_id: str) -> dict[str, Any] | None: ...

    @abc.abstractmethod
    def event_corroboration(self, event_id: str) -> dict[str, Any] | None: ...

    @abc.abstractmethod
    def all_corroboration(self) -> list[dict[str, Any]]:
        """Every event's corroboration record, events in listing order."""

    @abc.abstractmethod
    def rejections(self) -> list[dict[str, Any]]:
        """path, line, reason, seen."""

    @abc.abstractmethod
    def event_log(self, subject: str | None = None) -> list[dict[str, Any]]: ...

    @abc.abstractmethod
    def placements(self, article_ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        """How each article was placed when grouped (the JSON of
        :meth:`newsfold.events.Placement.to_json`: score, runner_up, runner_up_score,
        threshold, borderline; copy), from the log's latest ``create`` or ``join`` row for
        it. Articles grouped before placements were logged are left out."""

    def event_title(self, event_id: str) -> tuple[str, str] | None:
        """(the live id ``event_id`` leads to, its title), following merges; None when it
        leads nowhere now (e.g. being regrouped)."""
        try:
            found = self.get_event(event_id)
        except MovedError as moved:
            try:
                found = self.get_event(moved.new_id)
            except NotFoundError:
                return None
        except NotFoundError:
            return None
        return str(found["id"]), str(found.get("title") or found["id"])

    def event_placements(
        self,
        event_id: str,
        articles: Sequence[Mapping[str, Any]],
        runner_ups: dict[str, tuple[str, str] | None] | None = None,
        *,
        borderline_only: bool = False,
    ) -> dict[str, dict[str, Any] | None]:
        """How each of ``event_id``'s ``articles`` (rows with ``id`` and ``duplicate_of``)
        was placed, as a reader should see it (None: not logged):

        * a group of copies (an article and those whose ``duplicate_of`` names it) shows
          its scored placement on the article the others now copy: when a later copy
          became the original (dedupe repoints a group to its best text), the score
          logged for the first of them moves to it, and that one reads as a copy;
        * a runner-up that leads to this event now (itself, or merged into it by any
          chain: :meth:`event_title` follows the log as :meth:`get_event` does) is no
          rival: it is dropped;
        * ``borderline`` is judged again with the margin of this version
          (:data:`newsfold.events.BORDERLINE_MARGIN`), not read from the log.

        ``runner_ups``, when given, is filled with what each runner-up id leads to now
        (:meth:`event_title`), for a caller that shows their titles. ``borderline_only``:
        look up only the runner-ups of borderline placements (enough to count them: a
        placement that is not borderline keeps its runner-up as logged).
        """
        raw = self.placements(a["id"] for a in articles)
        out: dict[str, dict[str, Any] | None] = {a["id"]: raw.get(a["id"]) for a in articles}
        groups: dict[str, list[str]] = {}
        for a in articles:
            original = a.get("duplicate_of")
            groups.setdefault(original if original in out else a["id"], []).append(a["id"])
        for original, members in groups.items():
            own = out[original]
            if len(members) < 2 or (own is not None and not own.get("copy")):
                continue
            scored = next(  # (members in the order given: the event's, by date then arrival)
                (m for m in members if m != original and not (out[m] or {"copy": 1}).get("copy")),
                None,
            )
            if scored is not None:
                out[original], out[scored] = out[scored], {"copy": True}
        live = {} if runner_ups is None else runner_ups  # runner-up -> (live id, title)
        for aid, found in out.items():
            if not found or found.get("copy"):
                continue
            placement = Placement.from_json(found)
            other = placement.runner_up
            if other and borderline_only and not placement.borderline():
                continue  # (dropping its rival cannot make it borderline)
            if other and other not in live:
                live[other] = self.event_title(other)
            if other and (live[other] or ("",))[0] == event_id:
                placement = placement.without_runner_up()
            out[aid] = placement.to_json()
        return out

    def count_borderline(self, event_id: str, articles: Sequence[Mapping[str, Any]]) -> int:
        """How many of ``event_id``'s ``articles`` (rows with ``id`` and ``duplicate_of``:
        all of its articles) have a borderline placement as :meth:`event_placements`
        shows them: the count :meth:`list_events` keeps as ``borderline``."""
        placed = self.event_placements(event_id, articles, borderline_only=True)
        return sum(bool(p and p.get("borderline")) for p in placed.values())

    # ---- reads for the web interface -------------------------------------
    @abc.abstractmethod
    def count_events(
        self,
        storyline: str | None = None,
        *,
        date_from: str | None = None,
        date_to: str | None = None,
        language: str | None = None,
        outlet: str | None = None,
        entity: str | None = None,
        query: str | None = None,
        borderline: bool = False,
    ) -> int:
        """How many events :meth:`list_events` would list with the same filters."""

    @abc.abstractmethod
    def search(self, query: str, limit: int = 20, offset: int = 0) -> list[dict[str, Any]]:
        """Articles matching a full-text ``query`` over titles, texts and facts, best first.

        ``query`` is plain words (all must occur), ``"a phrase"`` or ``prefix*``; it is
        never a syntax error. Rows: id, title, event, storyline, published, source,
        language, duplicate_of, and ``snippet``: a list of ``{"text", "match"}`` pieces."""

    @abc.abstractmethod
    def count_search(self, query: str) -> int:
        """How many articles :meth:`search` finds for ``query``."""

    @abc.abstractmethod
    def get_storyline(self, storyline_id: str) -> dict[str, Any]:
        """As a row of :meth:`list_storylines`; raises NotFoundError, or its subclass
        MovedError (``new_id``: the live storyline) for an id merged into another one."""

    @abc.abstractmethod
    def article_facets(self) -> dict[str, list[dict[str, Any]]]:
        """``{"outlets": [{"name", "articles"}], "languages": [{"name", "articles"}]}``,
        most articles first."""

    @abc.abstractmethod
    def entities(self, limit: int = 100, event: str | None = None) -> list[dict[str, Any]]:
        """Entity names found by fact extraction (in one event, or everywhere), most
        articles first: name, label, articles, events."""

    @abc.abstractmethod
    def event_origin_counts(self, event_ids: Iterable[str]) -> dict[str, int]:
        """Independent origins per event (from its corroboration record), for the
        events that have one."""

    @abc.abstractmethod
    def list_claims(
        self,
        limit: int | None = None,
        offset: int = 0,
        *,
        event: str | None = None,
        conflicts: bool = False,
        thing: str | None = None,
    ) -> list[dict[str, Any]]:
        """Claim groups of stored events' corroboration, events in listing order and each
        event's claims as its claims table shows them (conflicts first).

        Rows: event, thing, subject, values, values_text, modalities, articles, origins,
        first, conflict, members, value_detail (as ``claims.claim_rows``). Filters: one
        ``event``, ``conflicts`` only, and ``thing``: claims whose thing contains the
        text (any case) or has the same language-independent key ("Tote" finds deaths)."""

    @abc.abstractmethod
    def count_claims(
        self, *, event: str | None = None, conflicts: bool = False, thing: str | None = None
    ) -> int:
        """How many claim groups :meth:`list_claims` would list with the same filters."""
