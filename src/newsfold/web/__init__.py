"""The web interface and JSON API (``newsfold serve``).

Pages for events, storylines, articles and facts, a JSON API under ``/api/``
with an OpenAPI document, and CSV/JSON downloads. Read-only: the server opens
the store read-only for every request. Standard library server plus jinja2.
"""

from __future__ import annotations

import socket
import socketserver
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from newsfold.store import Store
from newsfold.web.app import WebApp

LOOPBACK = ("127.0.0.1", "localhost", "::1")


def make_app(
    store_factory: Callable[[], Store],
    allowed_hosts: tuple[str, ...] | None = LOOPBACK,
    access_log: bool = False,
    release: Callable[[Store], None] | None = None,
) -> WebApp:
    """The WSGI application over stores opened by ``store_factory`` (one per request;
    handed to ``release`` afterwards when given, else closed)."""
    return WebApp(store_factory, allowed_hosts=allowed_hosts, access_log=access_log,
                  release=release)  # fmt: skip


class ReadOnlyPool:
    """Read-only connections to one SQLite store, reused across requests.

    The server runs a thread per request; opening SQLite costs about a millisecond,
    so idle connections (at most ``keep``) wait here for the next request. Each
    statement is its own read transaction, so a kept connection sees new batches."""

    def __init__(self, db: str | Path, keep: int = 32) -> None:
        self.db = str(db)
        self.keep = keep
        self._idle: list[Store] = []
        self._lock = threading.Lock()

    def acquire(self) -> Store:
        with self._lock:
            if self._idle:
                return self._idle.pop()
        return read_only_factory(self.db)()

    def release(self, store: Store) -> None:
        with self._lock:
            if len(self._idle) < self.keep:
                self._idle.append(store)
                return
        store.close()

    def close(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
        for store in idle:
            store.close()


def read_only_factory(db: str | Path) -> Callable[[], Store]:
    """Opens the SQLite file read-only, once per call."""
    from newsfold.store.sqlite import SQLiteStore

    path = str(db)

    def factory() -> Store:
        return SQLiteStore.open_read_only(path)

    return factory


class ThreadingWSGIServer(socketserver.ThreadingMixIn, WSGIServer):
    daemon_threads = True
    request_queue_size = 256  # many analysts' tabs and the load test connect at once
    allow_reuse_address = True


class ThreadingWSGIServer6(ThreadingWSGIServer):
    address_family = socket.AF_INET6


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def prepare_store(db: str | Path) -> None:
    """Check the store exists and bring its schema up to date (the only write serve does)."""
    from newsfold.errors import StoreError
    from newsfold.store.sqlite import SQLiteStore

    if not Path(db).is_file():
        raise StoreError(f"no store at {db}; create it first with `newsfold run PATH --db {db}`")
    SQLiteStore(db).close()


def make_server_for(
    db: str | Path, host: str = "127.0.0.1", port: int = 8000, access_log: bool = True
) -> ThreadingWSGIServer:
    prepare_store(db)
    open_hosts = host in ("0.0.0.0", "::", "")
    allowed = None if open_hosts else (*LOOPBACK, host)
    pool = ReadOnlyPool(db)
    app = make_app(pool.acquire, allowed_hosts=allowed, access_log=access_log, release=pool.release)
    server_class = ThreadingWSGIServer6 if ":" in host else ThreadingWSGIServer
    server = make_server(host, port, app, server_class, QuietHandler)
    assert isinstance(server, ThreadingWSGIServer)
    return server


def serve(db: str | Path, host: str = "127.0.0.1", port: int = 8000) -> None:
    server = make_server_for(db, host, port)
    real_port = server.server_address[1]
    shown = f"[{host}]" if ":" in host else host
    print(
        f"newsfold: serving {db} read-only at http://{shown}:{real_port}/ (Ctrl-C stops)",
        file=sys.stderr,
    )
    if host not in ("127.0.0.1", "localhost", "::1"):
        print(
            "newsfold: warning: reachable from other machines; there is no login", file=sys.stderr
        )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print("newsfold: stopped", file=sys.stderr)
    finally:
        server.server_close()


__all__ = ["ReadOnlyPool", "WebApp", "make_app", "make_server_for", "read_only_factory", "serve"]
