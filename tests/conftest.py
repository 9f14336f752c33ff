"""Shared fixtures. Tests that read ../shared are marked slow and skip without it."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
BENCH = SHARED / "bench"
SAMPLE = ROOT / "sample"


@pytest.fixture
def seeds_dir() -> Path:
    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds is not there")
    return SEEDS


@pytest.fixture
def bench_dir() -> Path:
    if not BENCH.is_dir():
        pytest.skip("../shared/bench is not there")
    return BENCH


@pytest.fixture
def memory_store():
    from newsfold.store import open_store

    store = open_store("sqlite:///:memory:")
    yield store
    store.close()
