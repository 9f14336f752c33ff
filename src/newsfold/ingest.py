"""Stage 1, ingest: files and folders in, :class:`RawDocument` or :class:`Rejection` out.

Formats: plain text (.txt, optional first line ``date YYYY-MM-DD``), HTML
(.html/.htm, through trafilatura) and JSON Lines (.jsonl, one article a line).
Every problem with one input becomes a :class:`Rejection` naming the file (and
line) and the reason; it never stops the rest of the batch.

Hostile input stays bounded: only regular files are read, never more than the
size limit (a file that grows, a FIFO or a device is not read unbounded); JSON
Lines are streamed line by line with over-long lines skipped in bounded memory;
a file with very many bad lines reports the first :data:`MAX_LINE_REJECTIONS`
one by one and the rest as one summary; NUL characters and lone surrogates
(which SQLite cannot store as text) never reach the store.
"""

from __future__ import annotations

import json
import os
import re
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from newsfold.models import RawDocument, Rejection

TEXT_SUFFIXES = {".txt": "txt", ".text": "txt", ".html": "html", ".htm": "html", ".jsonl": "jsonl"}

# A header line such as "date 2022-02-03" (the body may go on on the same line).
HEADER_DATE = re.compile(r"^\s*date\s+(\d{4}-\d{2}-\d{2})\b[ \t]*\n?", re.IGNORECASE)
HTML_CHARSET = re.compile(rb"""<meta[^>]+charset=["']?([A-Za-z0-9_\-]+)""", re.IGNORECASE)
# Characters a text article never needs and the store cannot keep: NUL and lone surrogates.
UNSAFE = re.compile("[\x00\ud800-\udfff]")
# Bad lines of one JSONL file reported one by one; the rest are counted in one rejection.
MAX_LINE_REJECTIONS = 100


@dataclass(frozen=True, slots=True)
class IngestLimits:
    """Bounds that keep one bad input from eating the machine."""

    max_file_bytes: int = 20 * 1024 * 1024  # whole .txt/.html files
    max_line_bytes: int = 10 * 1024 * 1024  # one JSONL line
    min_text_chars: int = 1  # after stripping white space


Item = RawDocument | Rejection


def iter_inputs(paths: Iterable[str], limits: IngestLimits | None = None) -> Iterator[Item]:
    """Yield every article (or rejection) found under ``paths``, in a stable order.

    Folders are walked recursively in sorted order; hidden entries and files of
    other types inside folders are skipped silently (a file named directly with
    an unknown type is rejected).
    """
    limits = limits or IngestLimits()
    for given in paths:
        root = Path(given)
        if not root.exists():
            yield Rejection(safe_text(given), "no such file or folder")
        elif root.is_dir():
            for file in _walk(root):
                rel = file.relative_to(root).as_posix()
                yield from read_file(file, rel, display=str(file), limits=limits)
        else:
            if root.suffix.lower() not in TEXT_SUFFIXES:
                yield Rejection(
                    safe_text(given),
                    f"unsupported file type {root.suffix or '(none)'!r}; "
                    "expected .txt, .html, .htm or .jsonl",
                )
                continue
            yield from read_file(root, root.name, display=given, limits=limits)


def _walk(root: Path) -> Iterator[Path]:
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            path = Path(dirpath) / name
            if path.suffix.lower() in TEXT_SUFFIXES:
                yield path


def read_file(
    path: Path, doc_id: str, display: str, limits: IngestLimits | None = None
) -> Iterator[Item]:
    """Read one file of a supported type; ``doc_id`` is its input id."""
    limits = limits or IngestLimits()
    doc_id, display = safe_text(doc_id), safe_text(display)
    kind = TEXT_SUFFIXES[path.suffix.lower()]
    if kind == "jsonl":
        yield from _read_jsonl(path, display, limits)
        return
    try:
        opened = _open_regular(path)
        if isinstance(opened, str):
            yield Rejection(display, opened)
            return
        with opened as handle:
            info = os.fstat(handle.fileno())
            # Never trust the size seen before reading: read at most one byte past the limit.
            data = handle.read(limits.max_file_bytes + 1)
    except OSError as exc:
        yield Rejection(display, f"cannot read: {exc.strerror or exc}")
        return
    if len(data) > limits.max_file_bytes:
        size = max(info.st_size, len(data))
        yield Rejection(
            display,
            f"file too large ({size / 1e6:.1f} MB; the limit is "
            f"{limits.max_file_bytes / 1e6:.0f} MB for one .{kind} article)",
        )
        return
    text, problem = decode(data, html=(kind == "html"))
    if problem:
        yield Rejection(display, problem)
        return
    if len(text.strip()) < limits.min_text_chars:
        yield Rejection(display, "empty file")
        return
    if kind == "txt":
        yield _from_text(safe_text(text), doc_id, display)
    else:
        yield _from_html(text, doc_id, display)


def _open_regular(path: Path) -> BinaryIO | str:
    """Open a regular file for reading, or say why not (a FIFO would block, a device
    such as /dev/zero never ends). Opened non-blocking so that even a FIFO swapped in
    after a check cannot hang the run."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            os.close(fd)
            return "not a regular file (a device, pipe or socket)"
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def decode(data: bytes, html: bool = False) -> tuple[str, str | None]:
    """Decode bytes as UTF-8 (or an HTML page's declared charset).

    Returns ``(text, None)`` or ``("", reason)``.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 with its byte order mark
        try:
            return data.decode("utf-16"), None
        except UnicodeDecodeError as exc:
            return "", f"broken UTF-16 (at byte {exc.start}); re-encode the file as UTF-8"
    if b"\x00" in data[:65536]:
        return "", "binary content (NUL bytes), not a text article"
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        if html:
            match = HTML_CHARSET.search(data[:4096])
            if match:
                charset = match.group(1).decode("ascii", "replace")
                try:
                    return data.decode(charset), None
                except (LookupError, UnicodeDecodeError):
                    pass
        bad = data[exc.start : exc.start + 1].hex()
        return "", (
            f"not valid UTF-8 (byte 0x{bad} at offset {exc.start}); re-encode the file as UTF-8"
        )


def safe_text(value: str) -> str:
    """``value`` without NUL characters and with lone surrogates (from broken JSON escapes
    or undecodable file names) replaced by U+FFFD, so that it can be stored as UTF-8."""
    if not UNSAFE.search(value):
        return value
    return UNSAFE.sub(lambda m: "" if m.group(0) == "\x00" else "\ufffd", value)


def _from_text(text: str, doc_id: str, display: str) -> RawDocument:
    header_date = None
    match = HEADER_DATE.match(text)
    if match:
        header_date = match.group(1)
        text = text[match.end() :]
    return RawDocument(
        id=doc_id,
        path=display,
        format="txt",
        raw=text if not header_date else f"date {header_date}\n{text}",
        text=text,
        header_date=header_date,
    )


def _from_html(html: str, doc_id: str, display: str) -> Item:
    import trafilatura  # heavy import, only when HTML is met

    try:
        doc = trafilatura.bare_extraction(
            html,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except Exception as exc:  # trafilatura raises many kinds on broken markup
        return Rejection(display, f"cannot parse the HTML page ({type(exc).__name__})")
    if doc is None:
        return Rejection(display, "no article text found in the HTML page")
    meta = doc if isinstance(doc, dict) else doc.as_dict()
    meta = {k: safe_text(v) if isinstance(v, str) else v for k, v in meta.items()}
    html = safe_text(html)
    body = (meta.get("text") or "").strip()
    if not body:
        return Rejection(display, "no article text found in the HTML page")
    title = (meta.get("title") or "").strip() or None
    first, _, rest = body.partition("\n")
    if title and first.strip() == title:  # trafilatura repeats the headline as line one
        body = rest.lstrip()
    return RawDocument(
        id=doc_id,
        path=display,
        format="html",
        raw=html,
        text=body,
        title=title,
        url=meta.get("url") or None,
        source=(meta.get("sitename") or None),
        language=meta.get("language") or None,
        html_date=meta.get("date") or None,
    )


def _read_jsonl(path: Path, display: str, limits: IngestLimits) -> Iterator[Item]:
    try:
        opened = _open_regular(path)
        if isinstance(opened, str):
            yield Rejection(display, opened)
            return
        handle = opened
    except OSError as exc:
        yield Rejection(display, f"cannot read: {exc.strerror or exc}")
        return
    seen_any = False
    bad = 0  # rejected lines so far
    first_unreported: int | None = None
    try:
        with handle:
            lines = _bounded_lines(handle, limits.max_line_bytes)
            for number, line in enumerate(lines, start=1):
                if line is None:
                    item: Item = Rejection(
                        display, f"line longer than {_size(limits.max_line_bytes)}", number
                    )
                elif not line.strip():
                    continue
                else:
                    seen_any = True
                    item = _from_json_line(line, number, display)
                if isinstance(item, Rejection):
                    bad += 1
                    if bad > MAX_LINE_REJECTIONS:
                        first_unreported = first_unreported or number
                        continue
                yield item
    except OSError as exc:
        yield Rejection(display, f"cannot read: {exc.strerror or exc}")
    if first_unreported is not None:
        more = bad - MAX_LINE_REJECTIONS
        yield Rejection(
            display,
            f"{more} more bad line(s) not listed one by one (the first at line "
            f"{first_unreported}); {bad} bad lines in this file in all",
            first_unreported,
        )
    elif not seen_any and bad == 0:
        yield Rejection(display, "empty file")


def _size(n: int) -> str:
    return f"{n / 1e6:g} MB" if n >= 1_000_000 else f"{n} bytes"


def _bounded_lines(handle: object, max_bytes: int) -> Iterator[bytes | None]:
    """Yield lines; a line over ``max_bytes`` is skipped in bounded memory and yields None."""
    read = handle.readline  # type: ignore[attr-defined]  # any binary file object
    while True:
        line = read(max_bytes + 1)
        if not line:
            return
        if len(line) > max_bytes and not line.endswith(b"\n"):
            while line and not line.endswith(b"\n"):
                line = read(max_bytes + 1)
            yield None
            continue
        yield line


def _from_json_line(line: bytes, number: int, display: str) -> Item:
    text, problem = decode(line)
    if problem:
        return Rejection(display, problem, number)
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        return Rejection(display, f"broken JSON ({exc.msg} at column {exc.colno})", number)
    except RecursionError:
        return Rejection(display, "broken JSON (nested too deeply)", number)
    except ValueError as exc:  # e.g. an integer with more digits than Python converts
        return Rejection(display, f"broken JSON ({exc})"[:200], number)
    if not isinstance(obj, dict):
        return Rejection(display, "a JSON line must be an object with 'id' and 'text'", number)
    doc_id = obj.get("id")
    body = obj.get("text")
    if doc_id is None or (isinstance(doc_id, str) and not doc_id.strip()):
        return Rejection(display, "missing 'id'", number)
    if isinstance(doc_id, bool) or not isinstance(doc_id, str | int):
        return Rejection(display, "'id' must be a string or an integer", number)
    if not isinstance(body, str) or not body.strip():
        return Rejection(display, "missing or empty 'text'", number)
    fields = {}
    for key in ("title", "url", "published", "language", "source"):
        value = obj.get(key)
        if value is not None and not isinstance(value, str):
            return Rejection(display, f"'{key}' must be a string", number)
        fields[key] = value.strip() if isinstance(value, str) and value.strip() else None
    # JSON escapes (\u0000, \ud800) can smuggle in NUL and lone surrogates
    fields = {k: safe_text(v) if v else v for k, v in fields.items()}
    doc_id, body = safe_text(str(doc_id)), safe_text(body)
    if not body.strip():
        return Rejection(display, "missing or empty 'text'", number)
    return RawDocument(
        id=doc_id,
        path=display,
        format="jsonl",
        raw=text.rstrip("\n"),
        text=body,
        line=number,
        title=fields["title"],
        url=fields["url"],
        source=fields["source"],
        language=fields["language"],
        published=fields["published"],
    )
