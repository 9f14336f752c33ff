"""Stage 7, link storylines: chain events over weeks and months.

An event joins the storyline whose events it continues: the same people,
places and organisations (IDF-weighted names, both ways), the same topic
(TF-IDF and embedding of the events), within a long time window. Topic alone
is not enough: two floods in two countries are two storylines; the names make
the difference, and only rare ones: an event joins a storyline only if it shares
at least two names that few events outside the storyline carry (template words,
weekdays, outlets and common first names are everywhere) with one of the
storyline's events (names spread over several of its events are a chance bridge).
Candidates come from a dense index of storyline centroids, so linking one event
costs the same however many storylines the store holds.

Events are linked in rounds (:func:`link_round`): the pipeline holds a round where a
dated stream enters a new week (:data:`LINK_DAYS`), at the end of a run and after each
end-of-run batch of undated articles, never at a batch boundary, so storylines do not
depend on the batch size. The rounds at the end of a run are provisional
(:class:`Provisional`, :meth:`StorylineLinker.undo`): the next run undoes them first, so
storylines do not depend on where runs end either. Storyline ids derive from their
founding event, so they are stable. A storyline that so far holds a single event is
re-examined whenever that event grows (at the next round), so early, thin events still find
their storyline; when that moves an event, the change is reported for the store's log
(:meth:`StorylineLinker.retired`).
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from newsfold.events import EventState, PairModel, day_gap, oldest_first, shipped_models
from newsfold.features import NAME_KEY, DocumentFrequencies
from newsfold.index import CentroidIndex
from newsfold.models import short_id

# Hand-set, not learned (no storyline training data in the train splits); checked on the
# seeds, the sample corpus and the synthetic crawl (benchmarks/synth.py, seed 1, first
# 1k/2k/5k articles). ``names``/``core`` carry the continuity, ``embedding``/``tfidf`` the
# topic. These relative shares alone let topic-alike events of different storylines join
# (synthetic 2k: 9 storylines for 366); the rare-name gate below stops that.
DEFAULT_STORYLINE_MODEL = PairModel(
    weights={
        "embedding": 3.0,
        "tfidf": 4.0,
        "names": 4.0,
        "core": 10.0,
        "days": -0.3,
    },
    bias=-3.6,
    threshold=0.5,
)


# The gate before the model: an event joins a storyline only if it shares at least
# RARE_MIN rare names with one of the storyline's events (StorylineLinker.rare_names).
# Hand-set like the model, on the same data.
RARE_MIN = 2
RARE_OUTSIDE = 3  # a name is rare when at most this many events outside the storyline name it
RARE_SUPPORT = 0.3  # share of the event's articles that must hold a name for it to count
# ...and the number of the storyline's events that must name it (fewer if it has fewer):
# a name one event brought in is no continuity of its own. Without this, a storyline that
# took in one wrong event took in that event's names as its own rare names and
# snowballed, which happened when storylines were summed again after every few articles
# (synthetic 2k, batches of 1 / 16 / 256: storyline P 0.27 / 0.56 / 0.94 -> 0.89 / 0.90 / 0.94)
RARE_INSIDE = 2
# ...and, while the stream holds few events, at most this share of them outside the
# storyline (RARE_OUTSIDE applies from 30 events on): in a young store "wednesday",
# "north" or a common first name were outside at most 3 of 9 events and so passed as rare,
# linking the first weeks' unrelated events (synthetic crawl with storylines of up to 10
# events, benchmarks/storyline_long.py, seeds 1 / 2 / 3: storyline F1 0.953 / 0.959 /
# 0.971 -> 0.960 / 0.961 / 0.977; the 2k gate with rounds every 4 articles P 0.895 ->
# 0.932). 0.05 gained more there (0.963 / 0.972 / 0.981) but kept an undated report
# released early from its storyline, fragmented at that moment (a name of it outside in
# 2 of 21 events; tests/test_pipeline.py, ..._released_early_are_still_redated): an event
# left alone in a young store is not looked at again unless it grows.
RARE_SHARE = 0.1
LINE_EVENTS = 50  # the storyline's latest events searched for one that holds RARE_MIN of them


def load_storyline_model() -> PairModel:
    data = shipped_models().get("storyline")
    return PairModel.from_json(data) if data else DEFAULT_STORYLINE_MODEL


@dataclass(slots=True)
class StorylineState:
    id: str
    vector_sum: np.ndarray
    terms: Counter[str] = field(default_factory=Counter)
    names: Counter[str] = field(default_factory=Counter)
    first: dt.date | None = None
    last: dt.date | None = None
    events: list[str] = field(default_factory=list)
    title: str = ""
    # (stream size, TF-IDF norm of ``terms`` at that size): exact, a cache for one df state
    norm: tuple[int, float] = (-1, 0.0)
    core_cache: tuple[int, Counter[str]] | None = None  # (events, core names): a cache

    def core(self) -> Counter[str]:
        """Names most of the storyline's events share (cached until it changes)."""
        if self.core_cache is None or self.core_cache[0] != len(self.events):
            self.core_cache = (len(self.events), _core(self.names, len(self.events)))
        return self.core_cache[1]

    def weighted_norm(self, df: DocumentFrequencies) -> float:
        """Norm of the storyline's TF-IDF vector with the stream's frequencies as they are
        now: exact, cached while the stream does not grow (links happen in rounds between
        articles, so a round computes it once). An approximate cache (taken again only
        after 25% growth) made links depend on when it was last taken: a run resumed from
        the store, where caches start empty, linked otherwise than one long run (session
        11: a score of 0.4999 against 0.5071 at threshold 0.5)."""
        stamp, value = self.norm
        if stamp != df.n_docs:
            value = df.norm(self.terms)
            self.norm = (df.n_docs, value)
        return value

    @property
    def centroid(self) -> np.ndarray:
        norm = float(np.linalg.norm(self.vector_sum))
        return self.vector_sum / norm if norm else self.vector_sum

    def to_blob(self) -> bytes:
        data = {
            "v": 1,
            "id": self.id,
            "vector_sum": base64.b64encode(self.vector_sum.astype(np.float32).tobytes()).decode(),
            "terms": self.terms,
            "names": self.names,
            "first": self.first.isoformat() if self.first else None,
            "last": self.last.isoformat() if self.last else None,
            "events": self.events,
            "title": self.title,
        }
        return json.dumps(data, ensure_ascii=False).encode("utf-8")

    @classmethod
    def from_blob(cls, blob: bytes) -> StorylineState:
        data = json.loads(blob)
        return cls(
            id=data["id"],
            vector_sum=np.frombuffer(base64.b64decode(data["vector_sum"]), np.float32).copy(),
            terms=Counter(data["terms"]),
            names=Counter(data["names"]),
            first=dt.date.fromisoformat(data["first"]) if data["first"] else None,
            last=dt.date.fromisoformat(data["last"]) if data["last"] else None,
            events=list(data["events"]),
            title=data["title"],
        )


@dataclass(slots=True)
class Provisional:
    """What the rounds at the end of a run changed, kept so that the next run can undo it
    (:meth:`StorylineLinker.undo`) and link those events again with the rest of their week.

    A run ends in the middle of a week; an uninterrupted stream would link that week's
    events only once the week is over, all together, oldest first. Undoing the end-of-run
    links before anything else of the next run happens gives the links the uninterrupted
    stream would have, so storylines do not depend on where runs start and end (dated
    streams; undated reports still wait for the end of their run). The same links, not
    the same bytes: row order in the index and the store's row ids may differ (they decide
    nothing but exact ties). The cost: each run within a week undoes and
    redoes the last one's end, so its storylines and events are saved again, and a move
    undone and redone is logged again.
    """

    # storyline -> its state before the first change (blob), None: created
    lines: dict[str, bytes | None] = field(default_factory=dict)
    events: dict[str, str | None] = field(default_factory=dict)  # event -> storyline before
    merges: list[tuple[str, str]] = field(default_factory=list)  # (absorbed, into) meanwhile

    def to_json(self) -> dict[str, Any]:
        return {
            "lines": {
                k: None if v is None else base64.b64encode(v).decode()
                for k, v in self.lines.items()
            },
            "events": self.events,
            "merges": [list(m) for m in self.merges],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Provisional:
        lines: dict[str, bytes | None] = {}
        for key, value in data.get("lines", {}).items():
            if isinstance(value, list):  # [blob, cached norm], as kept before session 11
                value = value[0]
            lines[str(key)] = None if value is None else base64.b64decode(value)
        return cls(
            lines=lines,
            events={str(k): (None if v is None else str(v)) for k, v in data["events"].items()},
            merges=[(str(a), str(b)) for a, b in data.get("merges", [])],
        )


@dataclass(slots=True)
class StorylineConfig:
    window_days: int = 400
    candidates: int = 10  # storylines retrieved by embedding for full scoring
    model: PairModel = field(default_factory=load_storyline_model)


def _weighted_share(
    a: Mapping[str, float], b: Mapping[str, object], df: DocumentFrequencies
) -> float:
    """IDF-weighted share of the names of ``a`` (weighted by their counts) found in ``b``."""
    total = found = 0.0
    for name, count in a.items():
        w = count * df.idf(NAME_KEY + name)
        total += w
        if name in b:
            found += w
    return found / total if total else 0.0


def _core(names: Counter[str], members: int) -> Counter[str]:
    """Names most of a group's articles (or events) share: its continuity."""
    floor = max(1.0, members / 2)
    return Counter({n: c for n, c in names.items() if c >= floor})


class StorylineLinker:
    def __init__(self, config: StorylineConfig | None = None) -> None:
        self.config = config or StorylineConfig()
        self.storylines: dict[str, StorylineState] = {}
        self._touched: set[str] = set()
        self._retired: list[tuple[str, str]] = []  # (retired storyline, absorbed into)
        self._stale: set[str] = set()  # storylines whose events changed: summed again lazily
        self._events: dict[str, EventState] = {}  # the clusterer's events, as last given
        self.index = CentroidIndex()
        self._name_events: Counter[str] = Counter()  # name -> events naming it
        self._event_names: dict[str, frozenset[str]] = {}  # as counted in _name_events
        self._counted = False  # once _name_events holds exact counts (see recount)
        self._holders: dict[str, list[str]] = {}  # event id -> storylines listing it
        # open while the links of a run's end are provisional (see Provisional)
        self.journal: Provisional | None = None

    def load(
        self, storylines: Iterable[StorylineState], journal: Provisional | None = None
    ) -> None:
        self.storylines = {s.id: s for s in storylines}
        self.journal = journal
        self._touched.clear()
        self._stale.clear()
        self._retired.clear()
        self.index = CentroidIndex()
        self._counted = False
        self._holders = {}
        for line in self.storylines.values():
            self.index.put(line.id, line.centroid, line.first, line.last)
            for event_id in line.events:
                self._hold(line.id, event_id)

    def _hold(self, line_id: str, event_id: str) -> None:
        self._holders.setdefault(event_id, []).append(line_id)

    def _unhold(self, line_id: str, event_id: str) -> None:
        held = self._holders.get(event_id)
        if held and line_id in held:
            held.remove(line_id)
            if not held:
                del self._holders[event_id]

    def rare_names(self, event: EventState, line: StorylineState) -> int:
        """How many names ``event`` shares with one event of ``line`` that at most
        ``RARE_OUTSIDE`` events outside the storyline name: an absolute count, not a share
        (but no more than ``RARE_SHARE`` of the stream's events while it holds few).
        Template words, common first names, weekdays and outlets are named by events everywhere; a
        storyline's own places, people and organisations are not. A name counts when at
        least ``RARE_SUPPORT`` of the event's articles hold it (a stray article's names are
        no evidence), and a multi-word name once ("green alliance", not also "green")."""
        found: list[str] = []
        floor = RARE_SUPPORT * event.size
        need = min(RARE_INSIDE, len(line.events))  # events of the storyline naming it
        # the clusterer's live events, as last given: exact in a resumed run as in one run
        limit = min(RARE_OUTSIDE, int(RARE_SHARE * len(self._events)))
        for name, count in event.names.items():
            inside = line.names.get(name, 0)
            if count < floor or inside < max(1, need):
                continue
            outside = self._name_events.get(name, 0) - inside - 1  # 1: the event itself
            if outside <= limit:
                found.append(name)
        parts = {w for name in found if " " in name for w in name.split()}
        found = [name for name in found if name not in parts]
        if len(found) < RARE_MIN:
            return len(found)
        # counted in the one event of the storyline that holds most of them: names spread
        # over several of its events are a bridge of chance (or of an over-merged event),
        # not a continuation (synthetic 2k, seeds 1-3: storyline P 0.71-0.74 -> 0.80-0.82)
        best = 0
        for eid in line.events[-LINE_EVENTS:]:
            other = self._events.get(eid)
            if other is None:
                continue
            held = RARE_SUPPORT * other.size
            best = max(best, sum(1 for n in found if other.names.get(n, 0) >= held))
        return best

    def recount(self, changed: Iterable[EventState], events: Mapping[str, EventState]) -> None:
        """Bring ``_name_events`` (name -> events naming it) up to date before a batch's
        events are linked: counted afresh on first use (and after :meth:`load`), else
        updated for the events that changed. Either way the counts are exact, so a run
        resumed from the store decides as an uninterrupted one."""
        if not self._counted:
            self._name_events = Counter()
            self._event_names = {}
            for e in events.values():
                self._event_names[e.id] = frozenset(e.names)
                self._name_events.update(self._event_names[e.id])
            self._counted = True
            return
        for event in changed:
            self._recount(event)

    def _recount(self, event: EventState) -> None:
        now = frozenset(event.names)
        before = self._event_names.get(event.id, frozenset())
        if now != before:
            self._name_events.subtract(before - now)
            self._name_events.update(now - before)
            self._event_names[event.id] = now

    def features(
        self,
        event: EventState,
        line: StorylineState,
        df: DocumentFrequencies,
        weights: tuple[dict[str, float], float] | None = None,
    ) -> dict[str, float]:
        """Pair features of (event, storyline); ``weights``: the event's raw TF-IDF
        weights and norm when the caller scores several storylines."""
        gap = _interval_gap(event.first, event.last, line.first, line.last)
        event_names = _core(event.names, event.size) or event.names
        line_core = line.core()
        raw, norm = weights or _raw(event, df)
        dot = sum(
            w * (1.0 + math.log(line.terms[t])) * df.idf(t)
            for t, w in raw.items()
            if line.terms.get(t, 0) > 0
        )
        line_norm = line.weighted_norm(df)
        return {
            "embedding": float(np.dot(event.centroid, line.centroid)),
            "tfidf": dot / (norm * line_norm) if norm and line_norm else 0.0,
            # the event's recurring names found in the storyline, and the storyline's
            # recurring names found in the event: continuity both ways
            "names": _weighted_share(event_names, line.names, df),
            "core": _weighted_share(line_core, event.names, df),
            "days": math.log1p(gap / 7) if gap is not None else 0.0,  # log weeks
            "rare_names": float(self.rare_names(event, line)),  # a gate in link(), not weighed
        }

    def candidates(self, event: EventState) -> list[StorylineState]:
        """Storylines nearest to ``event`` by embedding, within the time window."""
        window = self.config.window_days
        found = self.index.nearest(event.centroid, self.config.candidates + 1, event.first, window)
        out = []
        for line_id in found:
            line = self.storylines[line_id]
            if event.storyline == line.id and line.events == [event.id]:
                continue  # its own single-event storyline
            gap = _interval_gap(event.first, event.last, line.first, line.last)
            if gap is not None and gap > window:
                continue
            out.append(line)
        return out[: self.config.candidates]

    def link(
        self, event: EventState, df: DocumentFrequencies, events: dict[str, EventState]
    ) -> tuple[str, str | None]:
        """Place ``event`` in a storyline; returns (storyline id, previous id if it moved)."""
        self._events = events
        self.recount([event], events)  # callers that did not recount the whole batch first
        if self.journal is not None:
            self.journal.events.setdefault(event.id, event.storyline)
        event.unlinked = False
        current = self.storylines.get(event.storyline or "")
        if current is not None and current.events != [event.id]:
            self._mark(current)  # summed again once, by refresh() after the round of links
            return current.id, None
        best, best_score = None, self.config.model.threshold
        weights: tuple[dict[str, float], float] | None = None  # once a candidate passes the gate
        for line in self.candidates(event):
            if current is not None and line.id == current.id:
                continue
            if self.rare_names(event, line) < RARE_MIN:
                continue  # topic alone never links, nor one shared name that may be chance
            if weights is None:
                weights = _raw(event, df)
            feats = self.features(event, line, df, weights)
            score = self.config.model.score(feats)
            if score >= best_score:
                best, best_score = line, score
        if best is None:
            if current is None:
                self._note(short_id("sl", event.id))
                current = StorylineState(
                    id=short_id("sl", event.id), vector_sum=np.zeros_like(event.vector_sum)
                )
                current.events.append(event.id)
                self._hold(current.id, event.id)
                self.storylines[current.id] = current
            event.storyline = current.id
            self._refresh(current, events)
            return current.id, None
        previous = None
        if current is not None:
            previous = current.id
            self._retire(current, best.id)
        self._note(best.id)
        best.events.append(event.id)
        self._hold(best.id, event.id)
        event.storyline = best.id
        self._add(best, event)
        return best.id, previous

    def forget(self, event_id: str, into: str, events: dict[str, EventState]) -> None:
        """``event_id`` was merged into ``into``: drop it from its storyline.

        A storyline left empty is retired into the storyline of ``into``.
        """
        self._events = events
        if self.journal is not None:
            self.journal.merges.append((event_id, into))
        self._name_events.subtract(self._event_names.pop(event_id, frozenset()))
        target = events.get(into)
        held = self._holders.get(event_id, [])
        if len(held) <= 1:  # the storyline listing it (only the linker changes their events)
            lines = [self.storylines[h] for h in held if h in self.storylines]
        else:  # listed twice (a store written otherwise): in storyline order, as always
            lines = list(self.storylines.values())
        for line in lines:
            if event_id not in line.events:
                continue
            self._note(line.id)
            line.events = [e for e in line.events if e != event_id]
            self._unhold(line.id, event_id)
            if line.events:
                # summed again at once, not when the caller next asks: a merge happens at
                # one article of the stream, so the storyline then reads the same whatever
                # the batch boundaries
                self._refresh(line, events)
            else:
                self._retire(line, (target.storyline if target else None) or "")

    def _retire(self, line: StorylineState, into: str) -> None:
        """Drop ``line``, absorbed into storyline ``into`` (reported by :meth:`retired`)."""
        self._note(line.id)
        del self.storylines[line.id]
        for event_id in line.events:
            self._unhold(line.id, event_id)
        self.index.drop(line.id)
        self._touched.discard(line.id)
        self._stale.discard(line.id)
        self._retired.append((line.id, into))

    def _mark(self, line: StorylineState) -> None:
        self._stale.add(line.id)
        self._touched.add(line.id)

    def _add(self, line: StorylineState, event: EventState) -> None:
        """Count a newly linked event into the storyline's sums at once (cheap), and
        mark it for a full recount (its other events may have grown too)."""
        self._note(line.id)
        line.vector_sum = line.vector_sum + event.centroid
        line.terms.update(event.terms)
        line.names.update({k: 1 for k in event.names})
        for date in (event.first, event.last):
            if date is not None:
                line.first = min(line.first, date) if line.first else date
                line.last = max(line.last, date) if line.last else date
        line.norm = (-1, 0.0)
        line.core_cache = None
        self.index.put(line.id, line.centroid, line.first, line.last)
        self._mark(line)

    def _refresh(self, line: StorylineState, events: dict[str, EventState]) -> None:
        """Recompute a storyline's summary from its events."""
        members = [events[e] for e in line.events if e in events]
        if not members:
            return
        self._note(line.id)
        line.vector_sum = np.sum([m.centroid for m in members], axis=0)
        line.terms = Counter()
        line.names = Counter()
        for m in members:
            line.terms.update(m.terms)
            line.names.update({k: 1 for k in m.names})
        firsts = [m.first for m in members if m.first]
        lasts = [m.last for m in members if m.last]
        line.first = min(firsts) if firsts else None
        line.last = max(lasts) if lasts else None
        largest = max(members, key=lambda m: (m.size, -len(m.id)))
        line.title = largest.title
        line.norm = (-1, 0.0)
        line.core_cache = None
        self.index.put(line.id, line.centroid, line.first, line.last)
        self._touched.add(line.id)
        self._stale.discard(line.id)

    # ---- provisional links (the end of a run) ---------------------------------
    def provisional(self) -> None:
        """From now on, record what linking changes, to undo it (:meth:`undo`): the links
        of a run's end are provisional; the next run that groups anything undoes them first
        (and makes its own end's links provisional again)."""
        if self.journal is None:
            self.journal = Provisional()

    def _note(self, line_id: str) -> None:
        """Keep ``line_id``'s state before its first change while the journal is open."""
        if self.journal is None or line_id in self.journal.lines:
            return
        line = self.storylines.get(line_id)
        self.journal.lines[line_id] = None if line is None else line.to_blob()

    def undo(
        self, events: dict[str, EventState]
    ) -> tuple[dict[str, str | None], dict[str, list[str]]]:
        """Put the storylines and events back as they were before the provisional links
        (then replay the merges of events made meanwhile). Returns the events put back,
        unlinked again, with the storyline each had provisionally, and the storylines that
        no longer exist, with the events they held. The caller saves them."""
        journal, self.journal = self.journal, None
        if journal is None:
            return {}, {}
        self._events = events
        gone: dict[str, list[str]] = {}
        for line_id, before in journal.lines.items():
            now = self.storylines.pop(line_id, None)
            if now is not None:
                for event_id in now.events:
                    self._unhold(line_id, event_id)
            self._touched.discard(line_id)
            self._stale.discard(line_id)
            if before is None:
                self.index.drop(line_id)
                gone[line_id] = now.events if now is not None else []
                continue
            line = StorylineState.from_blob(before)  # its norm taken again when asked
            self.storylines[line_id] = line
            for event_id in line.events:
                self._hold(line_id, event_id)
            self.index.put(line.id, line.centroid, line.first, line.last)
            self._touched.add(line_id)
        back: dict[str, str | None] = {}
        for event_id, was in journal.events.items():
            event = events.get(event_id)
            if event is not None:
                back[event_id] = event.storyline
                event.storyline = was
                event.unlinked = True
        later = dict(journal.merges)  # an event absorbed into one absorbed later: follow on
        for absorbed, into in journal.merges:
            seen = {absorbed}
            while into not in events and into in later and into not in seen:
                seen.add(into)
                into = later[into]
            self.forget(absorbed, into, events)
        return back, {g: held for g, held in gone.items() if g not in self.storylines}

    def refresh(self) -> None:
        """Sum again the storylines whose events changed (after a round of :meth:`link`)."""
        for line_id in sorted(self._stale):
            if line_id in self.storylines:
                self._refresh(self.storylines[line_id], self._events)
        self._stale.clear()

    def touched(self) -> list[StorylineState]:
        """Storylines changed since the last call (summed again now), for the store."""
        self.refresh()
        out = [self.storylines[s] for s in sorted(self._touched) if s in self.storylines]
        self._touched.clear()
        return out

    def retired(self) -> list[tuple[str, str]]:
        out, self._retired = self._retired, []
        return out


# Events are linked in rounds: where a dated stream enters a new period of this many days
# (weeks from Monday), at the end of a run, and after each batch of undated articles
# (newsfold.pipeline), never at a batch boundary. On the synthetic crawl's first 2,000
# articles (about 15 a day) storyline P / R with periods of 1 day 0.901 / 0.965, 2 days
# 0.931 / 0.968, 7 days 0.941 / 0.973 (as once per 256-article batch before): summed again
# too often, a storyline takes in names of events that do not belong to it
LINK_DAYS = 7


def link_period(date: dt.date) -> int:
    """The link period ``date`` falls in (``date.toordinal()`` 1 is a Monday)."""
    return (date.toordinal() - 1) // LINK_DAYS


def resume_period(unlinked: Iterable[EventState]) -> int | None:
    """The link period a stream had reached when it stopped (or its run ended) leaving
    these events unlinked: that of their latest date (None: none is dated). A resumed run
    starts there, so it links them at the next period boundary, as an unbroken stream."""
    dates = [event.last for event in unlinked if event.last is not None]
    return link_period(max(dates)) if dates else None


def next_period(reached: int | None, date: dt.date | None) -> tuple[bool, int | None]:
    """Before an article of ``date`` in a stream that has reached period ``reached``
    (None: no dated article yet): whether a round is due (the stream enters a new period)
    and the period reached with the article. Undated articles change nothing."""
    if date is None:
        return False, reached
    now = link_period(date)
    if reached is None:
        return False, now
    return now > reached, max(reached, now)


def link_round(
    linker: StorylineLinker,
    event_ids: Iterable[str],
    events: dict[str, EventState],
    df: DocumentFrequencies,
) -> list[tuple[EventState, str, str | None]]:
    """One round: link the live events of ``event_ids``, oldest first (they grow forward
    in time), then sum the storylines again. Returns (event, storyline id, the storyline it
    moved from or None) per event."""
    todo = sorted((events[e] for e in event_ids if e in events), key=oldest_first)
    linker.recount(todo, events)
    out = [(event, *linker.link(event, df, events)) for event in todo]
    linker.refresh()
    return out


def _raw(event: EventState, df: DocumentFrequencies) -> tuple[dict[str, float], float]:
    raw = df.raw_weights(event.terms)
    return raw, math.sqrt(sum(v * v for v in raw.values()))


def _interval_gap(
    a_first: dt.date | None, a_last: dt.date | None, b_first: dt.date | None, b_last: dt.date | None
) -> float | None:
    """Days between two date intervals (0 when they overlap); None when one is undated."""
    if a_first is None or a_last is None:
        return None
    near = day_gap(a_first, b_first, b_last)
    far = day_gap(a_last, b_first, b_last)
    if near is None or far is None:
        return None
    if b_first is not None and a_first <= b_first <= a_last:
        return 0.0
    return min(near, far)
