"""Scorers for ``newsfold eval``: quantity extraction on the quantulum3 test
sentences, and the hand-labelled facts of the five seed articles.

Quantities, matching: a predicted quantity matches a gold one when the values
are equal (relative tolerance 1e-6; a predicted range counts as its midpoint,
the gold convention) and the character spans overlap in the sentence. Each
gold and each prediction match at most once.

Two figures are reported:
- "all": every gold item counts;
- "applicable": gold items the extractor excludes *by design* are set aside,
  together with predictions that match them:
  * years ("1979", "2013", "1960" of "the 1960s"): newsfold reads years as
    dates, never as quantities;
  * items with no numeral at all ("a penny", "A kibibyte", "a dozen",
    "a gross"): the gold counts the indefinite article as 1 of a unit,
    newsfold only reads numerals.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from newsfold.corroborate import ClaimGroup, Corroboration, corroborate
from newsfold.facts.extractor import FactExtractor
from newsfold.facts.model import Quantity
from newsfold.facts.things import thing_key
from newsfold.models import Article

_NUMBER_WORDS = re.compile(
    r"\b(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen"
    r"|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy"
    r"|eighty|ninety|hundred|thousand|million|billion|trillion|half|halves|third|thirds"
    r"|quarter|quarters|fourth|fifth|sixth|seventh|eighth|ninth|tenth)\b",
    re.I,
)


def make_article(
    aid: str, text: str, published: dt.date | None = None, language: str = "en"
) -> Article:
    """A bare Article around a text (for scoring and tests)."""
    return Article(
        id=aid, path=aid, format="txt", raw=text, text=text, title="", url=None, source=None,
        language=language, language_confidence=1.0, published=published, date_source="given",
        date_confidence=1.0, date_evidence="",
    )  # fmt: skip


def skip_reason(gold: dict[str, Any]) -> str | None:
    """Why a gold quantity is outside what newsfold extracts, or None."""
    surface = str(gold["surface"])
    value = float(gold["value"])
    if re.fullmatch(r"\d{4}", surface.strip()) and 1900 <= value <= 2100 and value.is_integer():
        return "year"
    if not re.search(r"\d|[¼½¾⅐-⅞]", surface) and not _NUMBER_WORDS.search(surface):
        return "no numeral"
    return None


def _prf(tp: int, fp: int, fn: int) -> dict[str, float | int]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "precision": round(p, 4),
        "recall": round(r, 4),
        "f1": round(f, 4),
    }


def _point(q: Quantity) -> float:
    return (q.value + q.value_max) / 2 if q.value_max is not None else q.value


def _gold_spans(sentence: str, golds: Sequence[dict[str, Any]]) -> list[tuple[int, int]]:
    spans = []
    taken: dict[str, int] = {}
    for g in golds:
        s = str(g["surface"])
        i = sentence.find(s, taken.get(s, 0))
        if i < 0:
            i = sentence.lower().find(s.lower())
        taken[s] = i + 1
        spans.append((i, i + len(s)) if i >= 0 else (-1, -1))
    return spans


def score_quantities(path: Path, extractor: FactExtractor | None = None) -> dict[str, Any]:
    """Value+surface precision/recall/F1 on the quantulum3 sentences."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    fx = extractor or FactExtractor()
    arts = [make_article(f"q{i}", item["req"]) for i, item in enumerate(data)]
    preds = fx.extract_many(arts)
    counts = {"all": [0, 0, 0], "applicable": [0, 0, 0]}
    skipped: list[dict[str, Any]] = []
    errors: list[dict[str, Any]] = []
    for item, facts in zip(data, preds, strict=True):
        sent, golds = item["req"], item["res"]
        spans = _gold_spans(sent, golds)
        used: set[int] = set()
        matched_gold: dict[int, int] = {}
        for pi, q in enumerate(facts.quantities):
            for gi, g in enumerate(golds):
                if gi in matched_gold:
                    continue
                a, b = spans[gi]
                if (
                    math.isclose(_point(q), float(g["value"]), rel_tol=1e-6, abs_tol=1e-12)
                    and a < q.end
                    and q.start < b
                ):
                    matched_gold[gi] = pi
                    used.add(pi)
                    break
        reasons = [skip_reason(g) for g in golds]
        for gi, g in enumerate(golds):
            if reasons[gi]:
                skipped.append({"sentence": sent, "surface": g["surface"], "reason": reasons[gi]})
        skip_preds = {matched_gold[gi] for gi in matched_gold if reasons[gi]}
        for mode in ("all", "applicable"):
            c = counts[mode]
            for gi in range(len(golds)):
                if mode == "applicable" and reasons[gi]:
                    continue
                c[0 if gi in matched_gold else 2] += 1
            c[1] += sum(1 for pi in range(len(facts.quantities)) if pi not in used)
        missed = [
            g["surface"] for gi, g in enumerate(golds) if gi not in matched_gold and not reasons[gi]
        ]
        extra = [
            q.surface
            for pi, q in enumerate(facts.quantities)
            if pi not in used and pi not in skip_preds
        ]
        if missed or extra:
            errors.append({"sentence": sent, "missed": missed, "spurious": extra})
    return {
        "sentences": len(data),
        "gold": sum(len(x["res"]) for x in data),
        "all": _prf(*counts["all"]),
        "applicable": _prf(*counts["applicable"]),
        "skipped": skipped,
        "errors": errors,
    }


# ----------------------------------------------------------------------------- seeds


def load_seed_articles(seeds_dir: Path) -> tuple[list[Article], dict[str, str]]:
    """Seed articles (raw text, the "date" header line removed) with their
    publication dates and events from the table in EXPECTED.md."""
    table = (Path(seeds_dir) / "EXPECTED.md").read_text(encoding="utf-8")
    rows = re.findall(
        r"^\|\s*(\d{3}_[0-9a-f]+\.txt)\s*\|[^|]*\|\s*(\d{4}-\d{2}-\d{2})[^|]*\|\s*(E\d)\s*\|",
        table,
        re.M,
    )
    arts, events = [], {}
    for name, date, event in rows:
        raw = (Path(seeds_dir) / name).read_text(encoding="utf-8")
        text = re.sub(r"^\s*date \d{4}-\d{2}-\d{2}\s*", "", raw)
        aid = name.split("_")[0]
        arts.append(make_article(aid, text, dt.date.fromisoformat(date)))
        events[aid] = event
    return arts, events


def _find(corr: Corroboration | None, key: str, value: float) -> ClaimGroup | None:
    """The claim group of ``corr`` holding ``value`` for a thing with ``key``."""
    for c in corr.claims if corr else []:
        k = thing_key(c.thing)
        if value in c.values and (k == key or key in k.split("+")):
            return c
    return None


def _has(g: ClaimGroup | None, articles: set[str], modality: str | None = None) -> bool:
    return (
        g is not None
        and articles <= set(g.articles)
        and (modality is None or modality in g.modalities)
    )


def score_seed_facts(seeds_dir: Path, extractor: FactExtractor | None = None) -> dict[str, Any]:
    """Check the hand-labelled facts of EXPECTED.md; per-check pass/fail."""

    arts, events = load_seed_articles(seeds_dir)
    fx = extractor or FactExtractor()
    facts = dict(zip([a.id for a in arts], fx.extract_many(arts), strict=True))
    corr = {
        ev: corroborate(ev, [a for a in arts if events[a.id] == ev], facts)
        for ev in sorted(set(events.values()))
    }
    e1, e2, e3 = corr.get("E1"), corr.get("E2"), corr.get("E3")
    trio = {"000", "001", "002"}
    checks: dict[str, bool] = {}
    checks["E1 000/001/002 are one origin"] = (
        e1 is not None and len({e1.origins.get(i) for i in trio}) == 1
    )
    g = _find(e1, "troop", 30000)
    checks["E1 30,000 troops: one group over 000/001/002"] = _has(g, trio)
    checks["E1 30,000 troops: one origin"] = g is not None and g.origins == 1
    checks["E1 30,000 troops: forecast-vs-fact conflict"] = g is not None and "forecast" in (
        g.conflict or ""
    )
    checks["E1 more than 100,000 troops (000, 001)"] = _has(
        _find(e1, "troop", 100000), {"000", "001"}, "bound"
    )
    g = _find(e1, "troop", 2000)
    checks["E1 2,000 US troops (000, 001, 002)"] = (
        _has(g, trio) and g is not None and g.subject == "US"
    )
    checks["E1 1,000 troops (000, 001, 002)"] = _has(_find(e1, "troop", 1000), trio)
    checks["E2 8,500 troops"] = _has(_find(e2, "troop", 8500), {"004"})
    checks["E2 more than 100,000 troops"] = _has(_find(e2, "troop", 100000), {"004"}, "bound")
    for key, value, mod, label in (
        ("tank", 170, "approximate", "170 tanks (approximate)"),
        ("vehicle", 200, "bound", "up to 200 armoured combat vehicles (bound)"),
        ("artillery piece", 100, "bound", "up to 100 artillery pieces and mortars (bound)"),
        ("troop", 9000, "bound", "up to 9,000 personnel/soldiers (bound)"),
        ("attache", 19, "fact", "19 military attachés"),
        ("camp", 4, None, "four training camps"),
    ):
        checks[f"E3 {label}"] = _has(_find(e3, key, value), {"003"}, mod)
    all_claims = [c for x in corr.values() for c in x.claims]
    checks["no claims from S-400, 2014, Feb. 10-20, last 30 years"] = not any(
        v in (400, 2014, 10, 20) or (v == 30 and "year" in c.thing)
        for c in all_claims
        for v in c.values
    )
    drill = (dt.date(2022, 2, 10), dt.date(2022, 2, 20))
    checks["drills dated 2022-02-10..20 in 000/001/002"] = all(
        any((d.date, d.date_end) == drill for d in facts[i].dates) for i in sorted(trio)
    )
    checks["001 'on Wednesday' is 2022-02-02"] = any(
        d.date == dt.date(2022, 2, 2) and "Wednesday" in d.surface for d in facts["001"].dates
    )
    checks["Stoltenberg quotes attributed to Jens Stoltenberg (000/001/002)"] = all(
        any(q.kind == "direct" and q.speaker == "Jens Stoltenberg" for q in facts[i].quotes)
        for i in sorted(trio)
    )
    checks["'Stoltenberg' merged into 'Jens Stoltenberg'"] = all(
        e.canonical == "Jens Stoltenberg"
        for f in facts.values()
        for e in f.entities
        if e.text == "Stoltenberg"
    )
    everything = corroborate("ALL", arts, facts)
    checks["003 and 004 not merged into the E1 origin"] = (
        len({everything.origins[i] for i in ("000", "003", "004")}) == 3
    )
    return {
        "checks": checks,
        "passed": sum(checks.values()),
        "total": len(checks),
        "failed": [k for k, v in checks.items() if not v],
    }


def measure_speed(
    docs_jsonl: Path, n: int = 300, size: int = 3000, n_process: int = 1, ner: bool = True
) -> dict[str, Any]:
    """Extraction throughput on ``n`` articles of about ``size`` characters, made by
    joining consecutive texts of a JSONL file (the ``text`` field, e.g. ECB+)."""
    texts: list[str] = []
    buf = ""
    with Path(docs_jsonl).open(encoding="utf-8") as fh:
        for line in fh:
            buf += json.loads(line)["text"] + "\n"
            if len(buf) >= size:
                cut = buf.rfind(". ", 0, size + 100)
                texts.append(buf[: cut + 1] if cut > size * 0.8 else buf[:size])
                buf = ""
                if len(texts) >= n:
                    break
    arts = [make_article(f"s{i}", t, dt.date(2020, 1, 1)) for i, t in enumerate(texts)]
    fx = FactExtractor(n_process=n_process, ner=ner)
    fx.extract_many(arts[:2])  # load the model outside the clock
    wall, cpu = time.perf_counter(), time.process_time()
    facts = fx.extract_many(arts)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return {
        "articles": len(arts),
        "mean_chars": round(sum(map(len, texts)) / max(1, len(texts))),
        "n_process": n_process,
        "ner": ner,
        "seconds": round(wall, 2),
        "articles_per_second": round(len(arts) / wall, 1),
        "articles_per_cpu_second": round(len(arts) / cpu, 1) if n_process == 1 else None,
        "quantities": sum(len(f.quantities) for f in facts),
    }
