"""CentroidIndex: the date buckets and the projection bounds never change an answer.

The reference is the plain product over every row (the index before it had buckets or
bounds), on random data with ties, dates, windows, floors, drops and updates; the bounds
are forced on with small thresholds as well as reached the normal way (over
``PROJECT_FROM`` rows).
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pytest

from newsfold import index as index_module
from newsfold.index import CentroidIndex

DAY0 = dt.date(2024, 1, 1)


class Reference:
    """Every live row in one matrix and one product per query: what the index must equal."""

    def __init__(self) -> None:
        # key -> (age, v, first, last, loose)
        self.rows: dict[str, tuple[int, np.ndarray, int, int, bool]] = {}
        self.age = 0

    def put(
        self,
        key: str,
        v: np.ndarray,
        first: dt.date | None,
        last: dt.date | None,
        loose: bool = False,
    ) -> None:
        dated = first is not None and last is not None
        f = first.toordinal() if dated and first else 0
        l_ = last.toordinal() if dated and last else 0
        if key in self.rows:
            self.rows[key] = (self.rows[key][0], v.astype(np.float32), f, l_, loose)
        else:
            self.rows[key] = (self.age, v.astype(np.float32), f, l_, loose)
            self.age += 1

    def drop(self, key: str) -> None:
        self.rows.pop(key, None)

    def nearest(
        self,
        q: np.ndarray,
        k: int,
        date: dt.date | None = None,
        window: float = math.inf,
        floor: float = -math.inf,
        loose: bool = False,
    ) -> list[str]:
        if not self.rows or k <= 0:
            return []
        keys = list(self.rows)
        ages = np.array([self.rows[key][0] for key in keys])
        matrix = np.vstack([self.rows[key][1] for key in keys])
        sims = np.einsum("ij,j->i", matrix, q.astype(np.float32))
        keep = sims >= floor
        if date is not None and math.isfinite(window):
            day = date.toordinal()
            first = np.array([self.rows[key][2] for key in keys])
            last = np.array([self.rows[key][3] for key in keys])
            gap = np.maximum(first - day, day - last)
            anywhere = np.array([loose and self.rows[key][4] for key in keys], dtype=bool)
            keep &= ~((first > 0) & (gap > window) & ~anywhere)
        picked = sorted(
            (i for i in range(len(keys)) if keep[i] and np.isfinite(sims[i])),
            key=lambda i: (-sims[i], ages[i]),
        )
        return [keys[i] for i in picked[:k]]


def _vectors(rng: np.random.Generator, n: int, dim: int, ties: bool) -> np.ndarray:
    """Unit vectors sharing a common direction (as centroids of news do), some repeated
    exactly and some coarsely quantised (equal similarities), when ``ties``."""
    common = rng.standard_normal(dim)
    out = rng.standard_normal((n, dim)) + 1.5 * common * rng.random((n, 1))
    if ties:
        out[: n // 4] = np.round(out[: n // 4])
        for _ in range(n // 8):
            out[rng.integers(n)] = out[rng.integers(n)]
    out /= np.linalg.norm(out, axis=1, keepdims=True)
    return out.astype(np.float32)


def _date(rng: np.random.Generator, days: int) -> tuple[dt.date | None, dt.date | None]:
    if rng.random() < 0.15:
        return None, None
    first = DAY0 + dt.timedelta(days=int(rng.integers(days)))
    return first, first + dt.timedelta(days=int(rng.geometric(0.3)) - 1)


def _run(seed: int, n: int, dim: int, queries: int, days: int = 400) -> int:
    """Random puts, updates, drops and re-puts, and queries checked against the reference;
    returns how many queries found something."""
    rng = np.random.default_rng(seed)
    pool = _vectors(rng, 2 * n, dim, ties=True)
    index, ref = CentroidIndex(), Reference()
    answered = 0
    for step in range(n):
        key = f"r{step}"
        first, last = _date(rng, days)
        loose = bool(rng.random() < 0.25)  # dates read from a text: seen anywhere if asked
        index.put(key, pool[step], first, last, loose)
        ref.put(key, pool[step], first, last, loose)
        roll = rng.random()
        if roll < 0.3 and step:  # an update: new vector, dates moved (maybe to another bucket)
            other = f"r{rng.integers(step)}"
            if other in ref.rows:
                v = pool[n + int(rng.integers(n))]
                first, last = _date(rng, days)
                loose = bool(rng.random() < 0.25)  # (and may stop being loose)
                index.put(other, v, first, last, loose)
                ref.put(other, v, first, last, loose)
        elif roll < 0.4 and step:
            other = f"r{rng.integers(step)}"
            index.drop(other)
            ref.drop(other)
        elif roll < 0.42 and step:  # a dropped key comes back: a new (younger) row
            other = f"r{rng.integers(step)}"
            index.drop(other)
            ref.drop(other)
            index.put(other, pool[step], None, None)
            ref.put(other, pool[step], None, None)
        if step % max(1, n // queries) == 0:
            if rng.random() < 0.5:
                q = pool[int(rng.integers(2 * n))]  # a row's own vector: exact ties with it
            else:
                q = _vectors(rng, 1, dim, ties=False)[0]
            k = int(rng.choice([1, 3, 5, 10, 11, 40]))
            date = None if rng.random() < 0.3 else DAY0 + dt.timedelta(days=int(rng.integers(days)))
            window = float(rng.choice([math.inf, 60.0, 400.0, 0.0, 7.5]))
            floor = float(rng.choice([-math.inf, 0.0, 0.2, 0.5]))
            loose = bool(rng.random() < 0.5)
            got = index.nearest(q, k, date, window, floor, loose)
            want = ref.nearest(q, k, date, window, floor, loose)
            assert got == want, (step, k, date, window, floor, loose)
            answered += bool(got)
    assert len(index) == len(ref.rows)
    return answered


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_small_index_equals_the_full_product(seed: int) -> None:
    assert _run(seed, n=300, dim=16, queries=150) > 50


def test_projection_bounds_equal_the_full_product(monkeypatch: pytest.MonkeyPatch) -> None:
    """Bounds on from 40 rows, over 6 directions of 32: most rows pruned, answers the same."""
    monkeypatch.setattr(index_module, "PROJECTED", 6)
    monkeypatch.setattr(index_module, "COARSE", 2)
    monkeypatch.setattr(index_module, "PROJECT_FROM", 40)
    monkeypatch.setattr(index_module, "EXACT_BELOW", 8)
    for seed in range(4):
        assert _run(seed, n=600, dim=32, queries=300) > 100


def test_projection_bounds_with_the_shipped_settings() -> None:
    """Past ``PROJECT_FROM`` rows of 512 floats, as the clusterer's index grows."""
    assert _run(7, n=2 * index_module.PROJECT_FROM + 500, dim=512, queries=120) > 40


def test_bounds_prune_and_exact_ties_go_to_the_older_row(monkeypatch: pytest.MonkeyPatch) -> None:
    """Most rows are answered from the bound (the point of it), and duplicated rows still
    come back oldest first."""
    rng = np.random.default_rng(3)
    rows = _vectors(rng, 3000, 512, ties=False)
    index = CentroidIndex()
    for i, v in enumerate(rows):
        index.put(f"a{i}", v, None, None)
    for i in range(5):
        index.put(f"copy{i}", rows[100], None, None)
    computed: list[int] = []
    exact = CentroidIndex._exact

    def counting(self: CentroidIndex, which: np.ndarray, q: np.ndarray) -> np.ndarray:
        computed.append(len(which))
        return exact(self, which, q)

    monkeypatch.setattr(CentroidIndex, "_exact", counting)
    assert index.nearest(rows[100], 4) == ["a100", "copy0", "copy1", "copy2"]
    assert sum(computed) < 3005 / 4  # seeds and survivors, not every row


def test_a_smaller_k_gives_the_leading_rows_of_a_larger_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The clusterer's merge checks ask for their 5 nearest events, not for 10 and the
    first 5 of them: the same rows in the same order, ties included, bounds on or off."""
    monkeypatch.setattr(index_module, "PROJECTED", 16)
    monkeypatch.setattr(index_module, "COARSE", 4)
    monkeypatch.setattr(index_module, "PROJECT_FROM", 64)
    monkeypatch.setattr(index_module, "EXACT_BELOW", 16)
    rng = np.random.default_rng(11)
    rows = _vectors(rng, 600, 64, ties=True)
    index = CentroidIndex()
    for i, v in enumerate(rows):
        index.put(f"r{i}", v, *_date(rng, 200))
    for i in range(0, 600, 7):
        date = None if i % 3 else DAY0 + dt.timedelta(days=i % 200)
        for window, floor in ((math.inf, 0.2), (60.0, 0.2), (math.inf, -math.inf)):
            full = index.nearest(rows[i], 10, date, window, floor)
            for k in (1, 5):
                assert index.nearest(rows[i], k, date, window, floor) == full[:k], (i, k)


def test_buckets_follow_moved_and_dropped_rows() -> None:
    index = CentroidIndex()
    v = np.ones(4, dtype=np.float32) / 2
    index.put("a", v, DAY0, DAY0)
    index.put("b", v, DAY0 + dt.timedelta(days=300), DAY0 + dt.timedelta(days=300))
    assert index.nearest(v, 5, DAY0, 10) == ["a"]
    index.put("a", v, DAY0 + dt.timedelta(days=299), DAY0 + dt.timedelta(days=299))  # moved
    assert index.nearest(v, 5, DAY0, 10) == []
    assert index.nearest(v, 5, DAY0 + dt.timedelta(days=300), 10) == ["a", "b"]
    index.put("a", v, DAY0, DAY0 + dt.timedelta(days=299))  # now spans both: first bucket
    assert index.nearest(v, 5, DAY0 + dt.timedelta(days=300), 1) == ["a", "b"]
    index.drop("a")
    index.put("c", v, None, None)  # undated rows are within every window
    assert index.nearest(v, 5, DAY0, 10) == ["c"]
    assert len(index) == 2


class ReferenceIndex(Reference):
    """The plain product behind the CentroidIndex interface, for the clusterer."""

    def __len__(self) -> int:
        return len(self.rows)


def _cluster(n: int) -> tuple[list[list[str]], list[list[str]]]:
    """Events and storylines of the first ``n`` synthetic articles (hashing vectors)."""
    import sys
    from pathlib import Path

    root = str(Path(__file__).resolve().parents[1])
    if root not in sys.path:  # benchmarks/ is a folder beside src/, not installed
        sys.path.insert(0, root)
    from benchmarks.cluster_throughput import synthetic

    from newsfold.events import StreamingClusterer
    from newsfold.storylines import StorylineLinker

    feats, _ = synthetic(n, 1)
    clusterer, linker = StreamingClusterer(), StorylineLinker()
    for count, doc in enumerate(feats, 1):
        clusterer.add(doc)
        for absorbed, into in clusterer.merges():
            linker.forget(absorbed, into, clusterer.events)
        if count % 256 == 0 or count == len(feats):
            touched = clusterer.touched()
            linker.recount(touched, clusterer.events)
            for event in touched:
                linker.link(event, clusterer.df, clusterer.events)
            linker.touched()
    events = sorted(e.members for e in clusterer.events.values())
    lines = sorted(line.events for line in linker.storylines.values())
    return events, lines


def test_clusterer_and_linker_decide_as_with_the_plain_product(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """1,500 synthetic articles (hashing vectors), with the bounds on from 64 rows: the
    same events and storylines as with one product over every row."""
    monkeypatch.setattr(index_module, "PROJECT_FROM", 64)
    monkeypatch.setattr(index_module, "EXACT_BELOW", 16)
    fast = _cluster(1500)
    from newsfold import events, storylines

    monkeypatch.setattr(events, "CentroidIndex", ReferenceIndex)
    monkeypatch.setattr(storylines, "CentroidIndex", ReferenceIndex)
    assert _cluster(1500) == fast
