"""Shared command lines for tests that run newsfold in child processes."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path


def fast_run_argv(paths: Sequence[Path], db: Path, batch_size: int) -> list[str]:
    """`newsfold run` with the hashing embedder and no facts: quick, model-free, quiet,
    with the summary as JSON on stdout."""
    return [
        sys.executable,
        "-m",
        "newsfold",
        "run",
        *map(str, paths),
        "--db",
        str(db),
        "-q",
        "--json",
        "--embedder",
        "hashing",
        "--no-facts",
        "--batch-size",
        str(batch_size),
    ]
