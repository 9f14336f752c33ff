"""Stores: where newsfold keeps articles, events, storylines and facts.

:func:`open_store` picks the backend from a location string, and rejects kinds
it does not know instead of guessing.
"""

from __future__ import annotations

from newsfold.errors import UnknownComponent
from newsfold.store.base import Store
from newsfold.store.sqlite import SQLiteStore

BACKENDS = {"sqlite": SQLiteStore}


def open_store(location: str = "newsfold.db") -> Store:
    """Open a store: a file path or ``sqlite:///path`` (``sqlite:///:memory:`` for tests)."""
    scheme, sep, rest = location.partition("://")
    if not sep:
        return SQLiteStore(location)
    if scheme not in BACKENDS:
        raise UnknownComponent("store", scheme, list(BACKENDS))
    path = rest[1:] if rest.startswith("/") else rest
    return BACKENDS[scheme](path or "newsfold.db")


__all__ = ["BACKENDS", "SQLiteStore", "Store", "open_store"]
