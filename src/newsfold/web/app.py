"""The WSGI application: a tiny router, security headers, errors, static files.

Standard library only (plus jinja2 for the templates). Every request opens the
store through ``store_factory`` (read-only in ``newsfold serve``) and closes it
at the end, so threads never share a connection. Only GET and HEAD exist: the
interface never writes; any other method is answered 405.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import sys
import threading
import traceback
import urllib.parse
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar, cast

from newsfold.errors import MovedError, NotFoundError, PendingError, StoreError
from newsfold.store import Store

log = logging.getLogger("newsfold.web")
T = TypeVar("T")

HERE = Path(__file__).resolve().parent
STATIC_DIR = HERE / "static"

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; font-src 'self'; form-action 'self'; base-uri 'none'; "
    "frame-ancestors 'none'; require-trusted-types-for 'script'; trusted-types 'none'"
)
# What pages may ask the browser for: nothing (no camera, location, payment, ...).
PERMISSIONS = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"
SECURITY_HEADERS = [
    ("Content-Security-Policy", CSP),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "no-referrer"),
    ("X-Frame-Options", "DENY"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
    ("Cross-Origin-Resource-Policy", "same-origin"),
    ("Permissions-Policy", PERMISSIONS),
]
ALLOWED_METHODS = ("GET", "HEAD")
STATUS_TEXT = {
    200: "OK",
    302: "Found",
    304: "Not Modified",
    400: "Bad Request",
    404: "Not Found",
    405: "Method Not Allowed",
    500: "Internal Server Error",
    503: "Service Unavailable",
}
STATIC_TYPES = {
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ico": "image/x-icon",
}
MAX_QUERY = 4096  # characters of query string accepted
# An id a run is regrouping (PendingError) is back once the run ends: ask again then
PENDING_RETRY_SECONDS = 30


class HTTPError(Exception):
    """An error answer: 400 for bad parameters, 404 for unknown things."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass
class Response:
    body: bytes = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    headers: list[tuple[str, str]] = field(default_factory=list)


class Request:
    """One request: path, query arguments, route parameters and a lazily opened store."""

    def __init__(
        self, environ: dict[str, Any], store_factory: Callable[[], Store], app: WebApp
    ) -> None:
        self.environ = environ
        self.app = app
        self.method = str(environ.get("REQUEST_METHOD", "GET")).upper()
        self.path = _path_info(environ)
        raw_query = str(environ.get("QUERY_STRING", ""))
        if len(raw_query) > MAX_QUERY:
            raise HTTPError(400, "the query string is too long")
        self.query_string = raw_query
        self.query = urllib.parse.parse_qs(raw_query, keep_blank_values=False)
        self.params: dict[str, str] = {}
        self._factory = store_factory
        self._store: Store | None = None
        self._generation: int | None = None

    @property
    def store(self) -> Store:
        if self._store is None:
            self._store = self._factory()
        return self._store

    @property
    def generation(self) -> int:
        """The store's change counter, read once per request."""
        if self._generation is None:
            self._generation = self.store.generation()
        return self._generation

    def cached(self, key: str, compute: Callable[[], T]) -> T:
        """``compute()``, reused across requests until the store changes (its generation).

        For whole-store summaries (counts, facets, storyline titles, all claims) that
        every page would otherwise recompute; the value must be treated as read-only."""
        return self.app.cache.get(key, self.generation, compute)

    def close(self, healthy: bool = True) -> None:
        """Give the store back (to the app's pool when it has one), or close it."""
        if self._store is not None:
            store, self._store = self._store, None
            if healthy and self.app.release is not None:
                self.app.release(store)
            else:
                store.close()

    def arg(self, name: str) -> str | None:
        """The first non-blank value of a query argument, stripped; None when absent."""
        for value in self.query.get(name, []):
            value = value.strip()
            if value:
                return value
        return None

    def int_arg(self, name: str, default: int, low: int, high: int) -> int:
        value = self.arg(name)
        if value is None:
            return default
        try:
            number = int(value)
        except ValueError:
            raise HTTPError(400, f"{name} must be a whole number") from None
        if not low <= number <= high:
            raise HTTPError(400, f"{name} must be between {low} and {high}")
        return number

    def choice_arg(self, name: str, choices: Iterable[str], default: str) -> str:
        value = self.arg(name) or default
        options = list(choices)
        if value not in options:
            raise HTTPError(400, f"{name} must be one of: {', '.join(options)}")
        return value

    def bool_arg(self, name: str) -> bool:
        return (self.arg(name) or "").lower() in {"1", "true", "yes", "on"}


def _path_info(environ: dict[str, Any]) -> str:
    # PEP 3333: PATH_INFO holds the URL-decoded bytes as latin-1; ids are UTF-8.
    raw = str(environ.get("PATH_INFO", "/")) or "/"
    try:
        return raw.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return raw


class GenerationCache:
    """Values computed from the whole store, kept while its generation stays the same."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._values: dict[str, tuple[int, Any]] = {}

    def get(self, key: str, generation: int, compute: Callable[[], T]) -> T:
        with self._lock:
            hit = self._values.get(key)
        if hit is not None and hit[0] == generation:
            return cast(T, hit[1])
        value = compute()  # outside the lock: concurrent misses just compute twice
        with self._lock:
            self._values[key] = (generation, value)
        return value


class ResponseCache:
    """Whole answers of GET pages and API calls, kept while the store's data stays the same.

    Keyed by path and query string; each entry remembers the data version it was built
    from (the store's generation plus whatever ``WebApp.data_version`` adds) and is
    dropped when the version moves on. Bounded in bytes, least recently used first out;
    answers over an eighth of the budget (big downloads) are never kept."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._lock = threading.Lock()
        self._items: OrderedDict[str, tuple[Hashable, Response]] = OrderedDict()
        self._bytes = 0
        self.hits = 0
        self.misses = 0

    def get(self, key: str, version: Hashable) -> Response | None:
        with self._lock:
            hit = self._items.get(key)
            if hit is None or hit[0] != version:
                self.misses += 1
                return None
            self._items.move_to_end(key)
            self.hits += 1
            return hit[1]

    def put(self, key: str, version: Hashable, response: Response) -> None:
        size = len(response.body) + len(key) + 200
        if size > self.max_bytes // 8:
            return
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self._bytes -= len(old[1].body) + len(key) + 200
            self._items[key] = (version, response)
            self._bytes += size
            while self._bytes > self.max_bytes and self._items:
                gone_key, (_, gone) = self._items.popitem(last=False)
                self._bytes -= len(gone.body) + len(gone_key) + 200

    def __len__(self) -> int:
        return len(self._items)


Handler = Callable[[Request], Response]
# Route template converters: "{id:path}" takes slashes, "{fmt:fmt}" a download format.
CONVERTERS = {"path": ".+", "fmt": "csv|json"}


@dataclass
class Route:
    template: str  # "/api/events/{id}"; see CONVERTERS for "{name:converter}"
    handler: Handler
    kind: str = "html"  # html | api | static: decides how errors look
    summary: str = ""
    cacheable: bool = True  # its answer depends only on the URL and the store's data
    regex: re.Pattern[str] = field(init=False)

    def __post_init__(self) -> None:
        pattern = ""
        for literal, name, conv in re.findall(r"([^{]*)(?:\{(\w+)(?::(\w+))?\})?", self.template):
            pattern += re.escape(literal)
            if name:
                pattern += f"(?P<{name}>{CONVERTERS.get(conv, '[^/]+')})"
        self.regex = re.compile(pattern + r"\Z")

    @property
    def openapi_path(self) -> str:
        return re.sub(r"\{(\w+):\w+\}", r"{\1}", self.template)


class WebApp:
    """The WSGI callable. ``store_factory`` opens a store for one request; with
    ``release``, stores are handed back to it afterwards instead of closed.

    ``allowed_hosts`` guards against DNS rebinding: requests whose Host header
    names another host are refused (None accepts any host).
    """

    def __init__(
        self,
        store_factory: Callable[[], Store],
        allowed_hosts: Iterable[str] | None = ("127.0.0.1", "localhost", "::1"),
        access_log: bool = False,
        release: Callable[[Store], None] | None = None,
        cache_bytes: int = 0,
        data_version: Callable[[], Hashable] | None = None,
    ) -> None:
        from newsfold.web import api, views

        self.store_factory = store_factory
        # answers kept while the data stays the same (0: none); the version is the
        # store's generation plus ``data_version()`` (e.g. the database files' stat)
        self.responses = ResponseCache(cache_bytes) if cache_bytes > 0 else None
        self.data_version = data_version
        self.release = release  # takes a store back after a request (a pool); else close
        self.allowed_hosts = (
            {h.lower().strip("[]") for h in allowed_hosts} if allowed_hosts else None
        )
        self.access_log = access_log
        self.cache = GenerationCache()
        self.routes: list[Route] = views.routes() + api.routes()
        self.routes.append(Route("/static/{name}", serve_static, "static"))
        self.routes.append(Route("/favicon.ico", favicon, "static"))
        self._static = _load_static()

    # ------------------------------------------------------------------
    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        response = self.respond(environ)
        status = f"{response.status} {STATUS_TEXT.get(response.status, 'Unknown')}"
        headers = [("Content-Type", response.content_type)]
        headers += [("Content-Length", str(len(response.body)))]
        headers += response.headers
        headers += SECURITY_HEADERS
        start_response(status, headers)
        if str(environ.get("REQUEST_METHOD", "GET")).upper() == "HEAD":
            return [b""]
        return [response.body]

    def respond(self, environ: dict[str, Any]) -> Response:
        kind = "api" if _path_info(environ).startswith("/api/") else "html"
        request: Request | None = None
        healthy = False
        try:
            request = Request(environ, self.store_factory, self)
            self._check_host(environ)
            if request.method not in ALLOWED_METHODS:
                raise HTTPError(405, "this interface is read-only: GET and HEAD only")
            route, params = self.match(request.path)
            if route is None:
                raise HTTPError(404, f"nothing at {request.path}")
            kind = route.kind
            request.params = params
            response = self._cached_handler(route, request)
            healthy = True
        except HTTPError as exc:
            healthy = True
            response = self.error(kind, exc.status, exc.message)
            if exc.status == 405:
                response.headers.append(("Allow", ", ".join(ALLOWED_METHODS)))
        except MovedError as exc:  # an id merged into another: the same page of that one
            healthy = True
            response = (
                self.moved(kind, request, exc) if request else self.error(kind, 404, str(exc))
            )
        except PendingError as exc:  # back (or merged) once the run regrouping it ends
            healthy = True
            response = self.error(kind, 503, str(exc), "Being regrouped")
            response.headers.append(("Retry-After", str(PENDING_RETRY_SECONDS)))
        except NotFoundError as exc:
            healthy = True
            response = self.error(kind, 404, str(exc))
        except StoreError as exc:
            response = self.error(kind, 503, str(exc))
        except Exception:  # the page fails, the server stays up
            traceback.print_exc(file=sys.stderr)
            response = self.error(kind, 500, "something went wrong on our side; see the log")
        finally:
            if request is not None:
                request.close(healthy)
        if self.access_log:
            line = f"{environ.get('REQUEST_METHOD')} {_path_info(environ)}"
            print(
                f'{environ.get("REMOTE_ADDR", "-")} "{printable(line)}" '
                f"{response.status} {len(response.body)}",
                file=sys.stderr,
            )
        return response

    def _cached_handler(self, route: Route, request: Request) -> Response:
        cache = self.responses
        if cache is None or not route.cacheable or route.kind == "static":
            return route.handler(request)
        key = request.path + "?" + request.query_string
        version: Hashable = (request.generation, self.data_version() if self.data_version else None)
        response = cache.get(key, version)
        if response is None:
            response = route.handler(request)
            if response.status == 200:
                cache.put(key, version, response)
        return response

    def match(self, path: str) -> tuple[Route | None, dict[str, str]]:
        for route in self.routes:
            found = route.regex.match(path)
            if found:
                return route, found.groupdict()
        return None, {}

    def _check_host(self, environ: dict[str, Any]) -> None:
        host = environ.get("HTTP_HOST")
        if self.allowed_hosts is None or not host:
            return
        name = urllib.parse.urlsplit("//" + str(host)).hostname or ""
        if name.lower() not in self.allowed_hosts:
            raise HTTPError(400, "unexpected Host header (newsfold serves local addresses only)")

    def moved(self, kind: str, request: Request, exc: MovedError) -> Response:
        """302 to the same address with the merged id replaced by the id it went into (in
        the path, or as a query value: ``/facts?event=...``); not cached, since the merge
        is found only when the old id is asked for."""

        def address(path: str, query: list[tuple[str, str]]) -> str:
            return urllib.parse.quote(path) + ("?" + urllib.parse.urlencode(query) if query else "")

        pairs = urllib.parse.parse_qsl(request.query_string)
        path = request.path
        if request.params.get("id") == exc.old_id:  # "/events/{id:path}": the id ends it
            path = path[: len(path) - len(exc.old_id)] + exc.new_id
        # query values are read stripped (Request.arg): " ev-x " names ev-x too
        query = [
            (key, exc.new_id if value.strip() == exc.old_id else value) for key, value in pairs
        ]
        location = address(path, query)
        if location == address(request.path, pairs):
            # the old id is not in the address (one the page found in the store): a 302
            # to the same address would loop; say where it went instead
            return self.error(kind, 404, f"{exc}; no address here to lead to it")
        message = f"{exc}: see {location}"
        response = self.error(kind, 302, message)
        response.headers.append(("Location", location))
        return response

    def error(self, kind: str, status: int, message: str, title: str | None = None) -> Response:
        if kind == "api":
            body = json.dumps({"error": message, "status": status}, ensure_ascii=False)
            return Response(body.encode("utf-8"), status, "application/json; charset=utf-8")
        if kind == "static":
            return Response(message.encode("utf-8"), status, "text/plain; charset=utf-8")
        from newsfold.web.views import render

        titles = {
            302: "Merged",
            404: "Not found",
            400: "Bad request",
            405: "Read-only",
            503: "Store unavailable",
        }
        html = render(
            "error.html",
            title=title or titles.get(status, "Error"),
            status=status,
            message=message,
            request=None,
            path="",
            counts={},
            generation=None,
        )
        return Response(html.encode("utf-8"), status, headers=[("Cache-Control", "no-store")])


# ---------------------------------------------------------------- static files
@dataclass(frozen=True)
class StaticFile:
    body: bytes
    content_type: str
    etag: str


def _load_static() -> dict[str, StaticFile]:
    files: dict[str, StaticFile] = {}
    if STATIC_DIR.is_dir():
        for path in sorted(STATIC_DIR.iterdir()):
            if path.is_file() and path.suffix in STATIC_TYPES:
                body = path.read_bytes()
                etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
                files[path.name] = StaticFile(body, STATIC_TYPES[path.suffix], etag)
    return files


def serve_static(request: Request) -> Response:
    item = request.app._static.get(request.params["name"])
    if item is None:
        raise HTTPError(404, "no such file")
    headers = [("Cache-Control", "public, max-age=3600"), ("ETag", item.etag)]
    if request.environ.get("HTTP_IF_NONE_MATCH") == item.etag:
        return Response(b"", 304, item.content_type, headers)
    return Response(item.body, 200, item.content_type, headers)


def favicon(request: Request) -> Response:
    request.params["name"] = "favicon.svg"
    return serve_static(request)


def json_response(
    data: Any, status: int = 200, headers: list[tuple[str, str]] | None = None
) -> Response:
    # no indent: json's C encoder only runs without it (ten times faster on big answers)
    body = json.dumps(data, ensure_ascii=False, default=str).encode("utf-8")
    return Response(body, status, "application/json; charset=utf-8", headers or [])


def printable(text: str, limit: int = 500) -> str:
    """``text`` safe for a terminal or log file: control characters (escape sequences
    that could rewrite the operator's screen, newlines that forge log lines) and
    direction overrides shown as ``\\xNN`` / ``\\uNNNN``, cut to ``limit`` characters."""
    out = "".join(
        c if c.isprintable() and c != "\\" else c.encode("unicode_escape").decode("ascii")
        for c in text[:limit]
    )
    return out + ("…" if len(text) > limit else "")


def quote_id(value: str) -> str:
    """An id as one URL path segment (slashes included)."""
    return urllib.parse.quote(value, safe="")
