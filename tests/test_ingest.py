from __future__ import annotations

import json
from pathlib import Path

from newsfold.ingest import IngestLimits, decode, iter_inputs
from newsfold.models import RawDocument, Rejection


def _split(items):
    items = list(items)
    docs = [i for i in items if isinstance(i, RawDocument)]
    rejs = [i for i in items if isinstance(i, Rejection)]
    return docs, rejs


def test_text_file_with_date_header(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("date 2022-02-03 On Thursday, the minister spoke.\nMore.")
    docs, rejs = _split(iter_inputs([str(tmp_path)]))
    assert not rejs
    assert docs[0].id == "a.txt"
    assert docs[0].header_date == "2022-02-03"
    assert docs[0].text.startswith("On Thursday")


def test_ids_are_relative_to_the_named_folder_or_the_file_name(tmp_path: Path) -> None:
    sub = tmp_path / "outlet"
    sub.mkdir()
    (sub / "b.txt").write_text("Body text here.")
    docs, _ = _split(iter_inputs([str(tmp_path)]))
    assert [d.id for d in docs] == ["outlet/b.txt"]
    docs, _ = _split(iter_inputs([str(sub / "b.txt")]))
    assert [d.id for d in docs] == ["b.txt"]


def test_folders_skip_other_types_but_named_files_are_rejected(tmp_path: Path) -> None:
    (tmp_path / "notes.md").write_text("# not an article")
    (tmp_path / ".hidden.txt").write_text("hidden")
    docs, rejs = _split(iter_inputs([str(tmp_path)]))
    assert docs == [] and rejs == []
    _, rejs = _split(iter_inputs([str(tmp_path / "notes.md")]))
    assert "unsupported file type" in rejs[0].reason


def test_bad_inputs_are_rejected_with_reasons(tmp_path: Path) -> None:
    (tmp_path / "bin.txt").write_bytes(b"\x00\x01\x02binary")
    (tmp_path / "empty.txt").write_text("   \n")
    (tmp_path / "latin1.txt").write_bytes("caf\xe9 au lait".encode("latin-1"))
    (tmp_path / "nobody.html").write_text("<html><head><title>x</title></head><body></body></html>")
    good = {"id": "ok", "text": "A fine article."}
    (tmp_path / "feed.jsonl").write_text(
        json.dumps(good) + "\n{broken json\n" + json.dumps({"id": "x"}) + "\n[1, 2]\n"
    )
    docs, rejs = _split(iter_inputs([str(tmp_path), str(tmp_path / "missing.txt")]))
    reasons = {(Path(r.path).name, r.line): r.reason for r in rejs}
    assert "binary" in reasons[("bin.txt", None)]
    assert reasons[("empty.txt", None)] == "empty file"
    assert "not valid UTF-8" in reasons[("latin1.txt", None)]
    assert "no article text" in reasons[("nobody.html", None)]
    assert "broken JSON" in reasons[("feed.jsonl", 2)]
    assert "text" in reasons[("feed.jsonl", 3)]
    assert "object" in reasons[("feed.jsonl", 4)]
    assert reasons[("missing.txt", None)] == "no such file or folder"
    assert [d.id for d in docs] == ["ok"]


def test_jsonl_fields(tmp_path: Path) -> None:
    row = {
        "id": 7,
        "text": "Body.",
        "title": "T",
        "url": "https://example.org/2025/03/04/x",
        "published": "2025-03-04",
        "language": "fr",
        "source": "Le Monde Fictif",
    }
    (tmp_path / "f.jsonl").write_text(json.dumps(row) + "\n")
    docs, _ = _split(iter_inputs([str(tmp_path / "f.jsonl")]))
    doc = docs[0]
    assert (doc.id, doc.title, doc.published, doc.language, doc.source, doc.line) == (
        "7",
        "T",
        "2025-03-04",
        "fr",
        "Le Monde Fictif",
        1,
    )


def test_html_metadata(tmp_path: Path) -> None:
    body = "<p>" + "The river rose overnight and flooded the lower town. " * 8 + "</p>"
    html = (
        '<html><head><title>Flood hits town</title><meta property="og:site_name" '
        'content="Harbor Ledger"><meta property="article:published_time" '
        'content="2025-03-04T10:00:00Z"></head><body><nav>Home</nav><article>'
        f"<h1>Flood hits town</h1>{body}</article></body></html>"
    )
    (tmp_path / "p.html").write_text(html)
    docs, rejs = _split(iter_inputs([str(tmp_path)]))
    assert not rejs
    assert docs[0].title == "Flood hits town"
    assert docs[0].source == "Harbor Ledger"
    assert docs[0].html_date == "2025-03-04"
    assert docs[0].text.startswith("The river rose")


def test_size_limits(tmp_path: Path) -> None:
    (tmp_path / "big.txt").write_text("word " * 400)
    (tmp_path / "f.jsonl").write_text(json.dumps({"id": "a", "text": "x" * 300}) + "\n")
    limits = IngestLimits(max_file_bytes=1000, max_line_bytes=100)
    _, rejs = _split(iter_inputs([str(tmp_path)], limits))
    reasons = sorted(r.reason for r in rejs)
    assert any("too large" in r for r in reasons)
    assert any("line longer" in r for r in reasons)


def test_decode_html_declared_charset() -> None:
    data = '<meta charset="iso-8859-1"><p>café</p>'.encode("latin-1")
    text, problem = decode(data, html=True)
    assert problem is None and "café" in text
