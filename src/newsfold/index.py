"""The dense index of centroids the clusterer and the storyline linker retrieve candidates from.

A query's answer is exactly that of one matrix-vector product over every live row (the
same similarities, bit for bit, the same top ``k``, ties to the older row), but it reads
far fewer bytes:

- Rows are kept in buckets by their last date (:data:`BUCKET_DAYS` wide; undated rows in
  a bucket of their own), so a dated query with a finite window only looks at the
  buckets that can hold a row within the window: its cost follows the news rate around
  the date, not the size of the store.
- Rows are also projected on the :data:`PROJECTED` leading principal directions of the
  rows (of a sample, recomputed when the index has doubled). A query bounds every row it
  looks at from its first :data:`COARSE` coordinates (``q.x <= qP.xP + |qR| |xR|``, by
  Cauchy-Schwarz on the rest: an eighth of the bytes of a row), computes exact
  similarities for the rows of best bound, whose ``k``-th is then a floor for the top
  ``k``; the rows whose bound reaches it (less a margin far above float32 rounding) are
  bounded again on all the coordinates, and those still reaching it get the full
  product. The others cannot be in the top ``k``. On the event centroids of the
  synthetic 20k stream (5,059 events) a query over all rows takes the full product of
  about 160 of them.

Rows put as ``loose`` (events with a member dated from its text, whose dates may be years
off) sit in date buckets of their own, which a query with ``loose=True`` (a merge check)
reads whatever its window. Queries with an infinite window (merge checks of text-dated
events) and windows covering more than half the rows (the storyline linker's 400 days,
until the stream is over 800 days long) still look at every row: cheaper, but linear in
the rows.

The exact similarities are ``einsum`` over the full float32 rows, row by row as before
(a row's product does not depend on which other rows are computed with it), so every
decision built on them is unchanged.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import math
from typing import Any

import numpy as np

try:  # installed with scikit-learn
    from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]  # no type hints shipped
except ImportError:  # pragma: no cover
    threadpool_limits = None

BUCKET_DAYS = 16  # width of a date bucket (by a row's last date)
UNDATED = -1  # bucket key of undated rows
PROJECTED = 192  # principal directions rows are bounded with
COARSE = 64  # ...of which the first bound, on every row looked at, uses the leading ones
PROJECT_FROM = 1024  # live rows before a projection is worth it (below: the full product)
EXACT_BELOW = 768  # a query over fewer rows than this takes their full product directly
FIT_SAMPLE = 1024  # rows the principal directions are computed from
SEEDS = 4  # times k: rows of best bound computed exactly first, for the cut
# bound error allowance, times |q| |x|: float32 rounding of a 512-term dot is below
# 512 * 2**-24 = 3.1e-5 of it, that of the projected dots (64 and 128 terms, coordinates
# rounded to float32) below 1.2e-5: about twice their sum
MARGIN = 1e-4


def _one_thread() -> Any:
    """BLAS on one thread: a threaded BLAS spins on a busy machine."""
    return threadpool_limits(1) if threadpool_limits is not None else contextlib.nullcontext()


class _Bucket:
    """The rows of one date bucket: a set, its sorted array (cached) and their earliest
    first date (a lower bound: rows leaving do not raise it until the array is rebuilt)."""

    __slots__ = ("array", "min_first", "rows")

    def __init__(self) -> None:
        self.rows: set[int] = set()
        self.array: np.ndarray | None = None
        self.min_first: float = math.inf


class CentroidIndex:
    """A dense, growable matrix of centroids with date intervals, for exact top-k retrieval.

    Rows are appended (capacity doubles, amortised O(1)), updated in place and
    marked dead when their item goes away.
    """

    def __init__(self) -> None:
        self.ids: list[str] = []  # row -> item id (dead rows keep their id)
        self.row: dict[str, int] = {}
        self.matrix = np.zeros((0, 0), dtype=np.float32)
        self.first = np.zeros(0, dtype=np.int64)  # date ordinals, 0 when undated
        self.last = np.zeros(0, dtype=np.int64)
        self.alive = np.zeros(0, dtype=bool)
        # rows whose dates may be far off (see ``put``): a query may ask to see them anywhere
        self.loose = np.zeros(0, dtype=bool)
        self._key: list[int | None] = []  # row -> its bucket (None: dead)
        self._buckets: dict[int, _Bucket] = {}
        self._basis: np.ndarray | None = None  # (PROJECTED, dim) orthonormal rows, float64
        self._basis_rows = 0  # live rows when the basis was computed
        # rows on the basis (its first COARSE directions, the others), and the norms of
        # what the first COARSE and all PROJECTED directions miss
        self._coarse = np.zeros((0, 0), dtype=np.float32)
        self._fine = np.zeros((0, 0), dtype=np.float32)
        self._rest_coarse = np.zeros(0, dtype=np.float32)
        self._rest_fine = np.zeros(0, dtype=np.float32)
        self._norm_max = 0.0  # largest norm of any row put (for the rounding margin)

    def __len__(self) -> int:
        return len(self.row)

    def put(
        self,
        key: str,
        centroid: np.ndarray,
        first: dt.date | None,
        last: dt.date | None,
        loose: bool = False,
    ) -> None:
        """Add or update the row of ``key``. ``loose``: its dates may be far off (read from
        a text); a query with ``loose=True`` sees it whatever its dates."""
        row = self.row.get(key)
        if row is None:
            row = len(self.ids)
            dim = centroid.shape[0]
            if row >= self.matrix.shape[0] or self.matrix.shape[1] != dim:
                self._grow(max(64, 2 * row), dim)
            self.ids.append(key)
            self._key.append(None)
            self.row[key] = row
        self.matrix[row] = centroid
        self.first[row] = first.toordinal() if first and last else 0
        self.last[row] = last.toordinal() if first and last else 0
        self.alive[row] = True
        self.loose[row] = loose and bool(first and last)
        self._norm_max = max(self._norm_max, float(np.linalg.norm(self.matrix[row])))
        self._place(row)
        if self._basis is not None:
            self._project(row, row + 1)

    def _grow(self, capacity: int, dim: int) -> None:
        n = len(self.ids)
        matrix = np.zeros((capacity, dim), dtype=np.float32)
        if self.matrix.shape[1] == dim:
            matrix[:n] = self.matrix[:n]
        else:
            self._basis, self._basis_rows = None, 0
        first = np.zeros(capacity, dtype=np.int64)
        last = np.zeros(capacity, dtype=np.int64)
        alive = np.zeros(capacity, dtype=bool)
        loose = np.zeros(capacity, dtype=bool)
        first[:n], last[:n], alive[:n] = self.first[:n], self.last[:n], self.alive[:n]
        loose[:n] = self.loose[:n]
        self.matrix, self.first, self.last, self.alive = matrix, first, last, alive
        self.loose = loose
        coarse = np.zeros((capacity, COARSE), dtype=np.float32)
        fine = np.zeros((capacity, PROJECTED - COARSE), dtype=np.float32)
        rest_coarse = np.zeros(capacity, dtype=np.float32)
        rest_fine = np.zeros(capacity, dtype=np.float32)
        if self._coarse.shape[0]:
            coarse[:n], fine[:n] = self._coarse[:n], self._fine[:n]
            rest_coarse[:n], rest_fine[:n] = self._rest_coarse[:n], self._rest_fine[:n]
        self._coarse, self._fine = coarse, fine
        self._rest_coarse, self._rest_fine = rest_coarse, rest_fine

    def _place(self, row: int) -> None:
        """Put ``row`` in the bucket of its last date (moving it if that changed); loose
        rows in buckets of their own (keys below UNDATED)."""
        last = int(self.last[row])
        key = last // BUCKET_DAYS if last else UNDATED
        if last and self.loose[row]:
            key = UNDATED - 1 - key
        old = self._key[row]
        if old != key:
            if old is not None:
                self._leave(row, old)
            bucket = self._buckets.get(key)
            if bucket is None:
                bucket = self._buckets[key] = _Bucket()
            bucket.rows.add(row)
            bucket.array = None
            self._key[row] = key
        bucket = self._buckets[key]
        bucket.min_first = min(bucket.min_first, int(self.first[row]))

    def _leave(self, row: int, key: int) -> None:
        bucket = self._buckets[key]
        bucket.rows.discard(row)
        bucket.array = None
        if not bucket.rows:
            del self._buckets[key]

    def drop(self, key: str) -> None:
        row = self.row.pop(key, None)
        if row is not None:
            self.alive[row] = False
            old = self._key[row]
            if old is not None:
                self._leave(row, old)
            self._key[row] = None

    # ---- the projection the bounds are computed on ----------------------------
    def _project(self, start: int, stop: int) -> None:
        """Rows ``start:stop`` on the basis, and the norms of what it misses (float64)."""
        assert self._basis is not None
        block = self.matrix[start:stop].astype(np.float64)
        coords, rest_coarse, rest_fine = self._split(block)
        self._coarse[start:stop] = coords[:, :COARSE]
        self._fine[start:stop] = coords[:, COARSE:]
        self._rest_coarse[start:stop] = rest_coarse
        self._rest_fine[start:stop] = rest_fine

    def _split(self, block: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Coordinates of float64 rows on the basis, and the norms of what its first
        COARSE directions and all of it miss (|x|^2 = |xP|^2 + |xR|^2, the basis being
        orthonormal to 1e-15)."""
        assert self._basis is not None
        if len(block) > 1:  # all rows, when the basis is new: a matrix product, one thread
            with _one_thread():
                coords = block @ self._basis.T
        else:  # one row: einsum, not BLAS (see _exact)
            coords = np.einsum("kj,j->k", self._basis, block[0])[None, :]
        squares = np.einsum("ij,ij->i", block, block)
        head = np.einsum("ik,ik->i", coords[:, :COARSE], coords[:, :COARSE])
        tail = np.einsum("ik,ik->i", coords[:, COARSE:], coords[:, COARSE:])
        rest_coarse = np.sqrt(np.maximum(squares - head, 0.0))
        rest_fine = np.sqrt(np.maximum(squares - head - tail, 0.0))
        return coords, rest_coarse, rest_fine

    def _fit_basis(self, live: np.ndarray) -> None:
        """The leading principal directions (uncentred) of the live rows (of an evenly
        spaced sample of ``FIT_SAMPLE`` of them: a fixed cost, paid when the index doubles)."""
        step = max(1, len(live) // FIT_SAMPLE)
        rows = self.matrix[live[::step]].astype(np.float64)
        dim = rows.shape[1]
        if dim <= PROJECTED:
            self._basis, self._basis_rows = None, len(live)
            return
        with _one_thread():
            _, vectors = np.linalg.eigh(rows.T @ rows)
        self._basis = np.ascontiguousarray(vectors[:, ::-1][:, :PROJECTED].T)
        self._basis_rows = len(live)
        self._project(0, len(self.ids))

    # ---- queries -------------------------------------------------------------
    def _bucket_rows(self, day: int, window: float, loose: bool) -> list[np.ndarray]:
        """The rows of the buckets that can hold a row within ``window`` days of ``day``
        (undated rows are within every window, and loose rows too when ``loose``)."""
        parts = []
        for key, bucket in self._buckets.items():
            period = key if key >= 0 else UNDATED - 1 - key  # (UNDATED: -2, never compared)
            if not (key == UNDATED or (key < UNDATED and loose)) and (
                (period + 1) * BUCKET_DAYS - 1 < day - window or bucket.min_first > day + window
            ):
                continue  # every row of the bucket ends before, or starts after, the window
            if bucket.array is None:
                bucket.array = np.fromiter(sorted(bucket.rows), np.int64, len(bucket.rows))
                bucket.min_first = int(self.first[bucket.array].min())
            parts.append(bucket.array)
        return parts

    def _within(self, rows: slice | np.ndarray, day: int, window: float, loose: bool) -> np.ndarray:
        first, last = self.first[rows], self.last[rows]
        inside = (first == 0) | ((first - day <= window) & (day - last <= window))
        return (inside | self.loose[rows]) if loose else inside

    def nearest(
        self,
        vector: np.ndarray,
        k: int,
        date: dt.date | None = None,
        window: float = math.inf,
        floor: float = -math.inf,
        loose: bool = False,
    ) -> list[str]:
        """The ``k`` live rows most similar to ``vector`` (at least ``floor``); rows
        dated farther than ``window`` days from ``date`` are skipped, unless ``loose`` and
        the row was put as loose. Ties go to the older row."""
        live = len(self.row)
        if not live or k <= 0:
            return []
        if live >= PROJECT_FROM and live >= 2 * self._basis_rows:
            self._fit_basis(np.flatnonzero(self.alive[: len(self.ids)]))
        query = vector.astype(np.float32)
        n = len(self.ids)
        # the rows looked at: a few buckets (gathered), else all rows in place (masked)
        rows: np.ndarray | None = None
        mask = self.alive[:n]
        if date is not None and math.isfinite(window):
            day = date.toordinal()
            parts = self._bucket_rows(day, window, loose)
            if 2 * sum(len(part) for part in parts) < live:
                rows = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)
                rows = rows[self._within(rows, day, window, loose)]
            else:
                mask = mask & self._within(slice(0, n), day, window, loose)
        if self._basis is None or (rows is not None and len(rows) < EXACT_BELOW):
            if rows is None:  # the full product, as one contiguous block
                sims = self._exact(slice(0, n), query)
                return self._top(np.flatnonzero(mask), sims[mask], k, floor)
            return self._top(rows, self._exact(rows, query), k, floor)
        # coarse: an upper bound of every row's similarity from the leading directions
        exact_query = query.astype(np.float64)
        split, rests_coarse, rests_fine = self._split(exact_query[None, :])
        coords = split[0].astype(np.float32)
        where = slice(0, n) if rows is None else rows
        dot = np.einsum("ij,j->i", self._coarse[where], coords[:COARSE])
        bound = dot + float(rests_coarse[0]) * self._rest_coarse[where]
        if rows is None:
            bound[~mask] = -np.inf
            count = int(np.count_nonzero(mask))
        else:
            count = len(rows)
        if count <= SEEDS * k:
            found = np.flatnonzero(np.isfinite(bound))
        else:
            # the rows of best bound, exactly: the k-th best of them is a floor for the top k
            seeds = np.argpartition(-bound, SEEDS * k - 1)[: SEEDS * k]
            cut = max(
                floor,
                float(np.sort(self._exact(seeds if rows is None else rows[seeds], query))[-k]),
            )
            margin = MARGIN * float(np.linalg.norm(exact_query)) * self._norm_max + 1e-7
            found = np.flatnonzero(bound >= cut - margin)
            # fine: the rows that may still reach it, bounded on all the directions
            at = found if rows is None else rows[found]
            bound = dot[found] + np.einsum("ij,j->i", self._fine[at], coords[COARSE:])
            bound += float(rests_fine[0]) * self._rest_fine[at]
            found = found[bound >= cut - margin]
        if rows is not None:
            found = rows[found]
        # exact: the full product of the rows left
        return self._top(found, self._exact(found, query), k, floor)

    def _exact(self, rows: slice | np.ndarray, query: np.ndarray) -> np.ndarray:
        # einsum, not BLAS: a threaded sgemv for one vector spins on a busy machine
        return np.einsum("ij,j->i", self.matrix[rows], query)

    def _top(self, rows: np.ndarray, sims: np.ndarray, k: int, floor: float) -> list[str]:
        """The ids of the ``k`` best rows at least ``floor``, ties to the older row."""
        keep = np.isfinite(sims) & (sims >= floor)
        rows, sims = rows[keep], sims[keep]
        order = np.lexsort((rows, -sims))[:k]
        return [self.ids[int(i)] for i in rows[order]]
