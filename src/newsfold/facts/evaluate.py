"""Scorers for ``newsfold eval``: quantity extraction on the quantulum3 test
sentences, the hand-labelled facts of the five seed articles, the bundled sample
corpus (:func:`score_sample`: claims, origins and quotes against
``sample/gold.json``), and extraction speed (:func:`measure_speed`).

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


def _pr(p_hits: int, predicted: int, r_hits: int, gold: int) -> dict[str, float | int]:
    """Precision and recall counted on different sides (predictions matched vs gold
    items found: several predictions may match one gold item)."""
    p = p_hits / predicted if predicted else 0.0
    r = r_hits / gold if gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {
        "predicted": predicted,
        "predicted_matched": p_hits,
        "gold": gold,
        "gold_found": r_hits,
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
    docs_jsonl: Path,
    n: int = 300,
    size: int = 3000,
    n_process: int = 1,
    ner: bool = True,
    ner_scope: str = "selected",
    event_size: int = 10,
) -> dict[str, Any]:
    """Extraction and corroboration throughput on ``n`` articles of about ``size``
    characters, made by joining consecutive texts of a JSONL file (the ``text`` field,
    e.g. ECB+). Corroboration runs over events of ``event_size`` consecutive articles.

    Reports wall time and this process's CPU time (``time.process_time``: on a shared
    machine the CPU time is the steadier figure; with ``n_process`` > 1 the workers'
    CPU time is not counted)."""
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
    fx = FactExtractor(n_process=n_process, ner=ner, ner_scope=ner_scope)
    fx.extract_many(arts[:2])  # load the model outside the clock
    wall, cpu = time.perf_counter(), time.process_time()
    facts = fx.extract_many(arts)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    by_id = {a.id: f for a, f in zip(arts, facts, strict=True)}
    c_wall, c_cpu = time.perf_counter(), time.process_time()
    claims = 0
    for k in range(0, len(arts), event_size):
        claims += len(corroborate(f"e{k}", arts[k : k + event_size], by_id).claims)
    c_wall, c_cpu = time.perf_counter() - c_wall, time.process_time() - c_cpu
    count = max(1, len(arts))
    return {
        "articles": len(arts),
        "mean_chars": round(sum(map(len, texts)) / max(1, len(texts))),
        "n_process": n_process,
        "ner": ner,
        "ner_scope": ner_scope,
        "seconds": round(wall, 2),
        "articles_per_second": round(len(arts) / wall, 1),
        "articles_per_cpu_second": round(len(arts) / cpu, 1) if n_process == 1 else None,
        "cpu_ms_per_article": round(1000 * cpu / count, 1),
        "corroborate_cpu_ms_per_article": round(1000 * c_cpu / count, 1),
        "corroborate_wall_ms_per_article": round(1000 * c_wall / count, 1),
        "total_cpu_ms_per_article": round(1000 * (cpu + c_cpu) / count, 1),
        "quantities": sum(len(f.quantities) for f in facts),
        "entities": sum(len(f.entities) for f in facts),
        "claims": claims,
    }


# ----------------------------------------------------------------------------- sample corpus

# Gold claim labels describe the claim ("people_rescued", "distance_to_border_km"),
# predictions name the counted noun ("people", "kilometres"). A predicted thing is
# compatible with a gold label when one of its key's words is one of the label's words
# (both through ``thing_key``, so "soldiers" = "troops" and "morts" = "deaths"), after
# these unit abbreviations are spelled out ...
_LABEL_UNITS = {"km": "kilometre", "m": "metre", "mm": "millimetre", "usd": "dollar",
                "eur": "euro", "pct": "percent"}  # fmt: skip
# ... or when the prediction counts people ("42 people", "11 personas") and the label
# is a count of people ("deaths", "missing", "evacuated", "population").
_PEOPLE_LABELS = frozenset(
    [
        "death",
        "missing",
        "evacuated",
        "evacuee",
        "rescued",
        "injury",
        "person",
        "resident",
        "population",
        "employee",
        "worker",
        "member",
        "casualty",
        "victim",
        "displaced",
        "arrested",
        "passenger",
        "shelter",
    ]
)
_PEOPLE_KEYS = frozenset(["person", "resident", "inhabitant", "civilian", "villager", "local"])
# ... or when the two may name the same people: staff nouns.
_MAY_BE_SAME = {
    "personnel": {"troop", "staff", "employee", "worker"},
    "worker": {"member", "employee", "staff"},
    "employee": {"worker", "member", "staff"},
}


def _label_words(label: str) -> set[str]:
    out: set[str] = set()
    for w in label.lower().split("_"):
        w = _LABEL_UNITS.get(w, w)
        out |= {w, thing_key(w)}
    out.add(thing_key(label.replace("_", " ")))
    return out - {""}


def thing_compatible(key: str, label: str) -> bool:
    """Whether a predicted ``thing_key`` fits a gold claim label (see above)."""
    gold = _label_words(label)
    parts = [p for p in key.split("+") if p]
    words_ = {w for p in parts for w in [p, *p.split()]}
    if words_ & gold:
        return True
    if any(_MAY_BE_SAME.get(p, set()) & gold for p in parts):
        return True
    return bool(set(parts) & _PEOPLE_KEYS and gold & _PEOPLE_LABELS)


def _same_value(
    pred: tuple[float, float | None], gold: float | list[float] | tuple[float, float]
) -> bool:
    lo, hi = (gold[0], gold[1]) if isinstance(gold, list | tuple) else (gold, None)
    if (pred[1] is None) != (hi is None):
        return False
    ok = math.isclose(pred[0], float(lo), rel_tol=1e-6)
    return ok and (hi is None or math.isclose(float(pred[1] or 0), float(hi), rel_tol=1e-6))


def _fold_text(s: str) -> str:
    from newsfold.facts.text import fold

    return " ".join(re.sub(r"[^\w\s]", " ", fold(s)).split())


def _overlap(gold: str, pred: str) -> float:
    """Share of the (normalised) gold text's characters found, in order, in ``pred``."""
    import difflib

    g, p = _fold_text(gold), _fold_text(pred)
    if not g:
        return 0.0
    sm = difflib.SequenceMatcher(None, g, p, autojunk=False)
    return sum(b.size for b in sm.get_matching_blocks()) / len(g)


def speaker_matches(gold: str, pred: str | None) -> bool:
    """Same speaker: the last word of the gold speaker (a surname; a parenthesis such
    as "(offer document)" left out) is a word of the predicted one, accents folded.
    A gold speaker the text does not name ("unnamed crane operator") also matches no
    speaker or a description without a capitalised word ("younger crane operator"):
    the quote is not pinned on a named person."""
    gold = re.sub(r"\s*\([^)]*\)", "", gold)
    if gold.lower().startswith("unnamed") and (pred is None or not re.search(r"[A-Z]", pred)):
        return True
    if not pred:
        return False
    g, p = _fold_text(gold).split(), _fold_text(pred).split()
    return bool(g) and g[-1] in p


def score_sample(
    root: Path, extractor: FactExtractor | None = None, embedder: Any = None
) -> dict[str, Any]:
    """Claims, origins and quotes of the bundled sample corpus against ``sample/gold.json``.

    Runs the real default pipeline (facts on) over ``root/sample/articles`` into a
    temporary SQLite store, then scores what the store holds. Everything is scored per
    article, so the result does not depend on how the articles were clustered into
    events (a split or merged event changes no figure below, except
    ``origins_as_stored``):

    - **claims**: the unit is an (article, value, thing) triple. Gold: one triple per
      article listed by a gold claim. Predicted: the distinct (article, value range,
      thing key) of the members of the stored claim groups (a value repeated in one
      article counts once). They match when the values are equal (ranges: both ends)
      and the thing is compatible (:func:`thing_compatible`). Recall: gold triples
      with a match; precision: predicted triples with a match. ``claims_modality``
      also requires the same modality; ``modality_accuracy`` is the share of matched
      triples whose modality agrees. ``gold_claims_found``: gold claims (not triples)
      found in at least one of their articles.
    - **origins**: pairwise over pairs of articles of the same *gold* event: a pair
      is positive when the two share an origin. Predicted origins are recomputed with
      :func:`newsfold.corroborate.find_origins` over each gold event's articles (the
      stored texts, copy links and facts: exactly what the pipeline feeds it), so a
      clustering error does not count as an origin error; ``origins_as_stored`` scores
      the origins the pipeline stored (they only link articles of one predicted event).
    - **quotes**: direct quotations only. A gold quote is found when a predicted
      quote of its article covers >= 80% of its characters (accents, case, punctuation
      and spacing normalised; in order), one prediction per gold quote. ``quotes``
      ignores the speaker; ``quotes_speaker`` also needs the gold speaker's surname in
      the predicted speaker.
    """
    import tempfile

    from newsfold.corroborate import find_origins
    from newsfold.facts.model import ArticleFacts
    from newsfold.pipeline import Pipeline, PipelineOptions, article_from_row
    from newsfold.store import open_store

    sample = Path(root) / "sample"
    gold = json.loads((sample / "gold.json").read_text(encoding="utf-8"))
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="newsfold-sample-") as tmp:
        store = open_store(str(Path(tmp) / "sample.db"))
        try:
            Pipeline(store, PipelineOptions(), embedder=embedder, extractor=extractor).run(
                [str(sample / "articles")], command="eval"
            )
            rows = {r["id"]: r for r in store.iter_articles(with_text=True)}
            facts = {
                i: ArticleFacts.from_json(d)
                for i in rows
                if (d := store.article_facts(i)) is not None
            }
            corr = store.all_corroboration()
            arts = {i: article_from_row(store.get_article(i)) for i in rows}
        finally:
            store.close()
    seconds = time.perf_counter() - started

    # ---- claims
    pred: dict[str, dict[tuple[float, float | None, str], dict[str, Any]]] = {}
    for rec in corr:
        for c in rec.get("claims", []):
            key = thing_key(c["thing"])
            for m in c["members"]:
                k = (float(m["value"]), m["value_max"], key)
                pred.setdefault(m["article"], {}).setdefault(k, {**m, "thing": c["thing"]})
    gold_triples = [(a, c) for c in gold["claims"] for a in c["articles"]]  # (article, gold claim)
    found_gold: set[int] = set()
    tp_mod = 0
    used: set[tuple[str, tuple[float, float | None, str]]] = set()
    missed: list[dict[str, Any]] = []
    wrong_modality: list[dict[str, Any]] = []
    for gi, (art, c) in enumerate(gold_triples):
        hits = [
            (k, m)
            for k, m in pred.get(art, {}).items()
            if _same_value((k[0], k[1]), c["value"]) and thing_compatible(k[2], c["thing"])
        ]
        if not hits:
            missed.append({"article": art, "thing": c["thing"], "value": c["value"]})
            continue
        found_gold.add(gi)
        used.update((art, k) for k, _ in hits)
        if any(m["modality"] == c["modality"] for _, m in hits):
            tp_mod += 1
        else:
            wrong_modality.append(
                {"article": art, "thing": c["thing"], "value": c["value"],
                 "gold": c["modality"], "predicted": hits[0][1]["modality"]}
            )  # fmt: skip
    n_pred = sum(len(v) for v in pred.values())
    tp_pred = len(used)
    spurious = [
        {"article": a, "thing": m["thing"], "value": k[0], "value_max": k[1],
         "surface": m["surface"]}
        for a, v in pred.items() for k, m in v.items() if (a, k) not in used
    ]  # fmt: skip
    n_gold = len(gold_triples)
    claims_found = {id(c) for gi, (_, c) in enumerate(gold_triples) if gi in found_gold}

    # ---- origins
    g_articles: dict[str, dict[str, Any]] = gold["articles"]
    by_event: dict[str, list[str]] = {}
    for a, g in g_articles.items():
        if a in arts:
            by_event.setdefault(g["event"], []).append(a)
    recomputed: dict[str, str] = {}
    for ids in by_event.values():
        origins, _ = find_origins([arts[i] for i in ids], facts)
        recomputed.update(origins)
    stored: dict[str, str] = {}
    for rec in corr:
        stored.update(rec.get("origins", {}))

    def pairwise(predicted: dict[str, str]) -> dict[str, float | int]:
        tp = fp = fn = 0
        for ids in by_event.values():
            for i, x in enumerate(ids):
                for y in ids[i + 1 :]:
                    same_g = g_articles[x]["origin"] == g_articles[y]["origin"]
                    same_p = predicted.get(x, x) == predicted.get(y, y)
                    tp += same_g and same_p
                    fp += same_p and not same_g
                    fn += same_g and not same_p
        return _prf(tp, fp, fn)

    # ---- quotes
    q_tp = q_tp_sp = 0
    q_missed: list[dict[str, Any]] = []
    q_speaker: list[dict[str, Any]] = []
    q_pred = {a: [q for q in f.quotes if q.kind == "direct"] for a, f in facts.items()}
    q_used: set[tuple[str, int]] = set()
    for gq in gold["quotes"]:
        a = gq["article"]
        cands = [
            (_overlap(gq["text"], q.text), k, q)
            for k, q in enumerate(q_pred.get(a, []))
            if (a, k) not in q_used
        ]
        best = max(cands, key=lambda t: t[0], default=None)
        if best is None or best[0] < 0.8:
            q_missed.append({"article": a, "text": gq["text"], "speaker": gq["speaker"]})
            continue
        q_used.add((a, best[1]))
        q_tp += 1
        if speaker_matches(gq["speaker"], best[2].speaker):
            q_tp_sp += 1
        else:
            q_speaker.append(
                {"article": a, "text": gq["text"][:60], "gold": gq["speaker"],
                 "predicted": best[2].speaker}
            )  # fmt: skip
    q_n_pred = sum(len(v) for v in q_pred.values())
    q_spurious = [
        {"article": a, "text": q.text, "speaker": q.speaker}
        for a, qs in q_pred.items() for k, q in enumerate(qs) if (a, k) not in q_used
    ]  # fmt: skip
    n_quotes = len(gold["quotes"])
    return {
        "articles": len(rows),
        "seconds": round(seconds, 1),
        "claims": _pr(tp_pred, n_pred, len(found_gold), n_gold),
        "claims_modality": _pr(tp_mod, n_pred, tp_mod, n_gold),
        "modality_accuracy": round(tp_mod / len(found_gold), 4) if found_gold else 0.0,
        "gold_claims_found": f"{len(claims_found)}/{len(gold['claims'])}",
        "origins": pairwise(recomputed),
        "origins_as_stored": pairwise(stored),
        "quotes": _prf(q_tp, q_n_pred - q_tp, n_quotes - q_tp),
        "quotes_speaker": _prf(q_tp_sp, q_n_pred - q_tp_sp, n_quotes - q_tp_sp),
        "errors": {
            "claims_missed": missed,
            "claims_spurious": spurious,
            "claims_modality": wrong_modality,
            "quotes_missed": q_missed,
            "quotes_spurious": q_spurious,
            "quotes_speaker": q_speaker,
        },
    }
