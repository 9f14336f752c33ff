"""The dense index of centroids the clusterer and the storyline linker retrieve candidates from."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np


class CentroidIndex:
    """A dense, growable matrix of unit centroids with date intervals, for top-k retrieval.

    Rows are appended (capacity doubles, amortised O(1)), updated in place and
    marked dead when their item goes away; a query is one matrix-vector product.
    """

    def __init__(self) -> None:
        self.ids: list[str] = []  # row -> item id (dead rows keep their id)
        self.row: dict[str, int] = {}
        self.matrix = np.zeros((0, 0), dtype=np.float32)
        self.first = np.zeros(0, dtype=np.int64)  # date ordinals, 0 when undated
        self.last = np.zeros(0, dtype=np.int64)
        self.alive = np.zeros(0, dtype=bool)

    def __len__(self) -> int:
        return len(self.row)

    def put(
        self, key: str, centroid: np.ndarray, first: dt.date | None, last: dt.date | None
    ) -> None:
        """Add or update the row of ``key``."""
        row = self.row.get(key)
        if row is None:
            row = len(self.ids)
            dim = centroid.shape[0]
            if row >= self.matrix.shape[0] or self.matrix.shape[1] != dim:
                self._grow(max(64, 2 * row), dim)
            self.ids.append(key)
            self.row[key] = row
        self.matrix[row] = centroid
        self.first[row] = first.toordinal() if first and last else 0
        self.last[row] = last.toordinal() if first and last else 0
        self.alive[row] = True

    def _grow(self, capacity: int, dim: int) -> None:
        n = len(self.ids)
        matrix = np.zeros((capacity, dim), dtype=np.float32)
        if self.matrix.shape[1] == dim:
            matrix[:n] = self.matrix[:n]
        first = np.zeros(capacity, dtype=np.int64)
        last = np.zeros(capacity, dtype=np.int64)
        alive = np.zeros(capacity, dtype=bool)
        first[:n], last[:n], alive[:n] = self.first[:n], self.last[:n], self.alive[:n]
        self.matrix, self.first, self.last, self.alive = matrix, first, last, alive

    def drop(self, key: str) -> None:
        row = self.row.pop(key, None)
        if row is not None:
            self.alive[row] = False

    def nearest(
        self,
        vector: np.ndarray,
        k: int,
        date: dt.date | None = None,
        window: float = math.inf,
        floor: float = -math.inf,
    ) -> list[str]:
        """The ``k`` live rows most similar to ``vector`` (at least ``floor``); rows
        dated farther than ``window`` days from ``date`` are skipped. Ties go to the
        older row."""
        n = len(self.ids)
        if not n or k <= 0:
            return []
        # einsum, not BLAS: a threaded sgemv for one vector spins on a busy machine
        sims = np.einsum("ij,j->i", self.matrix[:n], vector.astype(np.float32))
        keep = self.alive[:n] & (sims >= floor)
        if date is not None and math.isfinite(window):
            day = date.toordinal()
            first, last = self.first[:n], self.last[:n]
            gap = np.maximum(first - day, day - last)
            keep &= ~((first > 0) & (gap > window))
        sims = np.where(keep, sims, -np.inf)
        k = min(k, int(keep.sum()))
        if k <= 0:
            return []
        if k < n:
            kth = sims[np.argpartition(-sims, k - 1)[k - 1]]
            top = np.flatnonzero(sims >= kth)  # all rows tied with the k-th too
        else:
            top = np.arange(n)
        rows = sorted((int(i) for i in top if np.isfinite(sims[i])), key=lambda i: (-sims[i], i))
        return [self.ids[i] for i in rows[:k]]
