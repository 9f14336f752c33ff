"""Stage 4, dedupe: find exact and near-verbatim copies (MinHash + LSH over word shingles).

Copies are linked to a canonical article, never dropped: the canonical is the
earliest published member of the copy group, else the longest, else the
smallest id. Rewrites that share a few sentences are *not* copies: they are
left to the corroboration stage, which groups articles into origins.

The MinHash is vectorised with numpy (one matrix operation per article) and the
signatures are kept in the store, so a new run rebuilds the LSH index without
re-reading old texts.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

WORD = re.compile(r"\w+", re.UNICODE)
_PRIME = np.uint64((1 << 61) - 1)
_MASK = np.uint64((1 << 61) - 1)


@dataclass(frozen=True, slots=True)
class DedupeConfig:
    shingle: int = 5  # words per shingle
    num_perm: int = 128
    bands: int = 32  # bands * rows == num_perm; 32 x 4 finds pairs from Jaccard ~0.4
    threshold: float = 0.5  # estimated Jaccard of word 5-grams to call two texts copies
    seed: int = 1


class MinHasher:
    """Word-shingle MinHash signatures as ``uint64`` rows."""

    def __init__(self, config: DedupeConfig | None = None) -> None:
        self.config = config or DedupeConfig()
        rng = np.random.default_rng(self.config.seed)
        n = self.config.num_perm
        self._a = rng.integers(1, (1 << 61) - 1, size=n, dtype=np.uint64)
        self._b = rng.integers(0, (1 << 61) - 1, size=n, dtype=np.uint64)

    def shingles(self, text: str) -> set[str]:
        words = [w.casefold() for w in WORD.findall(text)]
        k = self.config.shingle
        if len(words) < k:
            return {" ".join(words)} if words else set()
        return {" ".join(words[i : i + k]) for i in range(len(words) - k + 1)}

    def signature(self, text: str) -> np.ndarray:
        grams = self.shingles(text)
        if not grams:
            return np.full(self.config.num_perm, np.iinfo(np.uint64).max, dtype=np.uint64)
        hashes = np.fromiter(
            (
                int.from_bytes(hashlib.blake2b(g.encode("utf-8"), digest_size=8).digest(), "little")
                for g in grams
            ),
            dtype=np.uint64,
            count=len(grams),
        )
        hashes &= _MASK
        # (a * h + b) mod 2^61-1, computed in uint64 with wrap-around; the wrap keeps
        # the family universal enough for Jaccard estimation (same as datasketch).
        perm = (np.outer(hashes, self._a) + self._b) & _MASK
        sig: np.ndarray = perm.min(axis=0)
        return sig


def jaccard_estimate(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.mean(a == b))


@dataclass(slots=True)
class Member:
    id: str
    published: dt.date | None
    length: int


class Deduper:
    """An LSH index over stored signatures that links new articles to their copies."""

    def __init__(self, config: DedupeConfig | None = None) -> None:
        self.config = config or DedupeConfig()
        self.hasher = MinHasher(self.config)
        self._rows = self.config.num_perm // self.config.bands
        self._buckets: dict[tuple[int, bytes], list[str]] = defaultdict(list)
        self._sigs: dict[str, np.ndarray] = {}
        self._members: dict[str, Member] = {}
        self._canonical: dict[str, str] = {}  # article -> canonical of its copy group
        self._groups: dict[str, list[str]] = defaultdict(list)  # canonical -> members
        self._exact: dict[str, str] = {}  # content hash -> first article id

    def load(self, rows: Iterable[tuple[str, str, bytes, dt.date | None, int, str | None]]) -> None:
        """Load stored articles: (id, content_hash, signature, published, length, duplicate_of)."""
        for doc_id, chash, blob, published, length, duplicate_of in rows:
            sig = np.frombuffer(blob, dtype=np.uint64)
            self._index(doc_id, chash, sig, Member(doc_id, published, length))
            self._canonical[doc_id] = duplicate_of or doc_id
            self._groups[duplicate_of or doc_id].append(doc_id)

    def _index(self, doc_id: str, chash: str, sig: np.ndarray, member: Member) -> None:
        self._sigs[doc_id] = sig
        self._members[doc_id] = member
        self._exact.setdefault(chash, doc_id)
        for band in range(self.config.bands):
            key = sig[band * self._rows : (band + 1) * self._rows].tobytes()
            self._buckets[(band, key)].append(doc_id)

    def add(
        self, doc_id: str, chash: str, text: str, published: dt.date | None
    ) -> tuple[np.ndarray, str | None, dict[str, str]]:
        """Index one new article.

        Returns its signature, the id of its canonical (None when it is original)
        and the re-pointed canonicals of older copies when the newcomer becomes
        the canonical of a group (an earlier-published copy arriving late).
        """
        sig = self.hasher.signature(text)
        match = self._exact.get(chash) or self._best_match(sig)
        self._index(doc_id, chash, sig, Member(doc_id, published, len(text)))
        if match is None:
            self._canonical[doc_id] = doc_id
            self._groups[doc_id].append(doc_id)
            return sig, None, {}
        old_canonical = self._canonical.get(match, match)
        group = self._groups.pop(old_canonical, [match])
        group.append(doc_id)
        new_canonical = min(group, key=lambda a: _rank(self._members[a]))
        self._groups[new_canonical] = group
        changed: dict[str, str] = {}
        for member in group:
            if self._canonical.get(member) != new_canonical:
                if member != doc_id:
                    changed[member] = new_canonical
                self._canonical[member] = new_canonical
        own = None if new_canonical == doc_id else new_canonical
        return sig, own, changed

    def set_published(self, doc_id: str, published: dt.date | None) -> None:
        """Record a date found after indexing (re-dating), as a reload from the store would
        see it, so that later canonical choices are the same either way."""
        member = self._members.get(doc_id)
        if member is not None:
            member.published = published

    def _best_match(self, sig: np.ndarray) -> str | None:
        candidates: set[str] = set()
        for band in range(self.config.bands):
            key = sig[band * self._rows : (band + 1) * self._rows].tobytes()
            candidates.update(self._buckets.get((band, key), ()))
        best, best_score = None, self.config.threshold
        for cand in sorted(candidates):
            score = jaccard_estimate(sig, self._sigs[cand])
            if score >= best_score:
                best, best_score = cand, score
        return best


def _rank(member: Member) -> tuple[int, dt.date, int, str]:
    """Earliest first, then longest, then smallest id."""
    return (
        0 if member.published else 1,
        member.published or dt.date.max,
        -member.length,
        member.id,
    )
