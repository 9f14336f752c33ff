"""Held-out check of fact extraction: claims and quotes on real news, labelled by hand.

The extraction rules were tuned on the project's own sample corpus, so the sample
figures are optimistic. ``benchmarks/heldout_facts.json`` holds hand labels for 40
real English articles the rules were never tuned on (28 SemEval-2022 Task 8 test
texts, 12 ECB+ test documents; how they were chosen is in its header). The labels
refer to articles by dataset id only: the texts are read from ``../shared/bench``.

Scoring follows :func:`newsfold.facts.evaluate.score_sample`, per article:

- **claims**: the unit is an (article, value, thing) triple. Predicted: the distinct
  (value range, ``thing_key``) of the members of the claim groups that
  :func:`newsfold.corroborate.corroborate` makes of the article alone (so negated,
  vague and time-unit quantities are not claims, as in the pipeline). A gold claim is
  found when a prediction has the same value (ranges: both ends) and a compatible
  thing (:func:`newsfold.facts.evaluate.thing_compatible`, against any of the gold
  nouns). Recall: gold triples found; precision: predicted triples matching a gold
  one. ``claims+modality`` also needs the gold modality (or one of them) among the
  modalities of the matching predictions.
- **quotes**: direct quotations. The labels keep only the first five words of a
  quote (a locator), so a prediction matches when its text, normalised (accents,
  case, punctuation), holds the locator's words starting within its first three
  words; one prediction per gold quote. ``quotes+speaker`` also needs the speaker
  (:func:`newsfold.facts.evaluate.speaker_matches`; a null gold speaker -- nobody
  named -- matches no speaker or an uncapitalised description).
- **negated**: gold claims marked negated are left out of the claim figures and
  counted apart (found when a quantity with that value is extracted as negated).

Usage::

    python -m benchmarks.heldout_facts [--shared ../shared] [--verbose] [--markdown]
    python -m benchmarks.heldout_facts --set dev   # the dev set, for tuning

``--set dev`` scores ``benchmarks/dev_facts.json`` instead: 30 further articles labelled
the same way (the next 20 qualifying English texts of the SemEval *training* set, the
first 10 qualifying ECB+ docs of split "dev"; none of them in the held-out set), and 137
more labelled for quotes only (``"claims": null``; left out of the claim figures). Rule
changes may be guided by the dev set's errors, never by the held-out set's.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
LABELS = ROOT / "benchmarks" / "heldout_facts.json"
DEV_LABELS = ROOT / "benchmarks" / "dev_facts.json"
DEFAULT_SHARED = ROOT.parent / "shared"
N_SEMEVAL, N_ECB, MAX_CHARS = 28, 12, 2000
_NUMBERISH = re.compile(
    r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty"
    r"|forty|fifty|hundred|thousand|million|billion|dozen)\b",
    re.I,
)


# ----------------------------------------------------------------------------- articles


def _semeval_texts(shared: Path, name: str = "testing_set.csv") -> list[tuple[str, str]]:
    """(id, text) of the English SemEval test texts, in file order, repaired, deduplicated."""
    import ftfy

    csv.field_size_limit(1 << 30)
    path = shared / "bench" / "semeval2022t8" / name
    out: list[tuple[str, str]] = []
    seen: set[str] = set()
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            for side in (1, 2):
                if row[f"lang{side}"] != "en":
                    continue
                text = ftfy.fix_text(row[f"text{side}"]).strip()
                if text and text not in seen:
                    seen.add(text)
                    out.append((f"semeval:{row['pair_id']}:{side}", text))
    return out


def _ecb_texts(shared: Path, split: str = "test") -> list[tuple[str, str]]:
    path = shared / "bench" / "ecbplus" / "docs.jsonl"
    out = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            doc = json.loads(line)
            if doc["split"] == split:
                out.append((f"ecbplus:{doc['id']}", doc["text"]))
    return out


def _eligible(text: str) -> bool:
    return len(text) <= MAX_CHARS and bool(_NUMBERISH.search(text))


def load_articles(shared: Path) -> dict[str, tuple[str, str]]:
    """The selected articles (see the labels' header): id -> (title, body), in order."""
    sem = [(i, t) for i, t in _semeval_texts(shared) if _eligible(t)][:N_SEMEVAL]
    ecb = [(i, t) for i, t in _ecb_texts(shared) if _eligible(t)][:N_ECB]
    out: dict[str, tuple[str, str]] = {}
    for aid, text in sem:
        cut = text.find("\n", 0, 300)
        out[aid] = (text[:cut].strip(), text[cut:].strip()) if cut > 0 else ("", text)
    for aid, text in ecb:
        out[aid] = ("", text)
    return out


N_DEV_SEMEVAL, N_DEV_ECB = 20, 10
N_DEV_QUOTES_SEMEVAL, N_DEV_QUOTES_ECB = 99, 35
_QUOTE_MARKS = re.compile(r'["“”]')


def load_dev_articles(shared: Path) -> dict[str, tuple[str, str]]:
    """The dev articles (see ``dev_facts.json``'s header): the first 20 qualifying English
    texts of the SemEval *training* set and the first 10 qualifying ECB+ "dev" docs, leaving
    out every held-out id and every text that is also a held-out text; then the quote
    extension: the next 99 SemEval and 35 ECB+ qualifying texts with four or more double
    quote marks that are not near copies of a held-out text."""
    held = load_articles(shared)
    held_texts = {f"{t}\n{b}" if t else b for t, b in held.values()}
    # a training text that is also a SemEval test text is test data: never tuned on
    test_texts = {t for _, t in _semeval_texts(shared, "testing_set.csv")}
    sem = [
        (i, t)
        for i, t in _semeval_texts(shared, "training_set.csv")
        if _eligible(t) and i not in held and t not in test_texts
    ]
    ecb = [(i, t) for i, t in _ecb_texts(shared, "dev") if _eligible(t) and i not in held]
    out: dict[str, tuple[str, str]] = {}
    for aid, text in sem:
        if len(out) == N_DEV_SEMEVAL:
            break
        cut = text.find("\n", 0, 300)
        tb = (text[:cut].strip(), text[cut:].strip()) if cut > 0 else ("", text)
        if (f"{tb[0]}\n{tb[1]}" if tb[0] else tb[1]) not in held_texts:
            out[aid] = tb
    for aid, text in ecb[:N_DEV_ECB]:
        out[aid] = ("", text)
    # the quote extension (labelled for quotes only, "claims": null): the next qualifying
    # texts holding at least four double quote marks and not a near copy of a held-out text
    near = _near_copy_test(held_texts)
    n = 0
    for aid, text in sem:
        if n == N_DEV_QUOTES_SEMEVAL:
            break
        cut = text.find("\n", 0, 300)
        tb = (text[:cut].strip(), text[cut:].strip()) if cut > 0 else ("", text)
        if (
            aid not in out
            and len(_QUOTE_MARKS.findall(text)) >= 4
            and (f"{tb[0]}\n{tb[1]}" if tb[0] else tb[1]) not in held_texts
            and not near(text)
        ):
            out[aid] = tb
            n += 1
    rich = [(i, t) for i, t in ecb[N_DEV_ECB:] if len(_QUOTE_MARKS.findall(t)) >= 4 and not near(t)]
    for aid, text in rich[:N_DEV_QUOTES_ECB]:
        out[aid] = ("", text)
    return out


def _near_copy_test(texts: set[str], width: int = 60) -> Any:
    """A test of whether a text is a near copy of one of ``texts``: more than 5% of its
    60-character windows (every 20th, spacing normalised) occur in one of them."""
    seen: set[str] = set()
    for t in texts:
        t = " ".join(t.split())
        seen.update(t[i : i + width] for i in range(max(1, len(t) - width + 1)))

    def near(text: str) -> bool:
        t = " ".join(text.split())
        windows = [t[i : i + width] for i in range(0, max(1, len(t) - width + 1), 20)]
        return sum(w in seen for w in windows) > 0.05 * len(windows)

    return near


def make_article(aid: str, title: str, body: str) -> Any:
    from newsfold.models import Article

    return Article(
        id=aid, path=aid, format="txt", raw=f"{title}\n\n{body}" if title else body, text=body,
        title=title, url=None, source=None, language="en", language_confidence=1.0,
        published=None, date_source="none", date_confidence=0.0, date_evidence="",
    )  # fmt: skip


# ----------------------------------------------------------------------------- matching


# thing_key unifies British/American spelling of the words it reads, but after making
# them singular, so "kilometers" keys as "kilometer" and "kilometres" as "kilometre".
# The claim is the same: spelled one way here before comparing.
_SPELLING = {"kilometer": "kilometre", "meter": "metre", "centimeter": "centimetre",
             "millimeter": "millimetre", "liter": "litre"}  # fmt: skip


def british(key: str) -> str:
    """``key`` (a ``thing_key``) with American unit spellings made British."""
    return " ".join(_SPELLING.get(w, w) for w in key.split(" "))


def _things(gold: dict[str, Any]) -> list[str]:
    t = gold["thing"]
    return [t] if isinstance(t, str) else list(t)


def _modalities(gold: dict[str, Any]) -> set[str]:
    m = gold["modality"]
    return {m} if isinstance(m, str) else set(m)


def _words(s: str) -> list[str]:
    from newsfold.facts.text import fold

    return re.sub(r"[^\w\s]", " ", fold(s)).split()


def locator_matches(locator: str, text: str, slack: int = 3) -> bool:
    """Whether ``text`` (a predicted quote) holds the locator's words starting within
    its first ``slack`` words."""
    loc, words = _words(locator), _words(text)
    n = len(loc)
    return bool(loc) and any(words[i : i + n] == loc for i in range(min(slack, len(words))))


def _speaker_ok(gold: str | None, pred: str | None) -> bool:
    from newsfold.facts.evaluate import speaker_matches

    return speaker_matches(gold if gold else "unnamed", pred)


# ----------------------------------------------------------------------------- scoring


def score(
    shared: Path = DEFAULT_SHARED, labels: Path = LABELS, which: str = "heldout"
) -> dict[str, Any]:
    """Extract facts from the held-out (or dev) articles and score them against the labels."""
    from newsfold.corroborate import corroborate
    from newsfold.facts.evaluate import _pr, _same_value, thing_compatible
    from newsfold.facts.extractor import FactExtractor
    from newsfold.facts.things import thing_key

    gold = json.loads(Path(labels).read_text(encoding="utf-8"))
    texts = (load_dev_articles if which == "dev" else load_articles)(Path(shared))
    ids = [a["id"] for a in gold["articles"]]
    if ids != list(texts):
        raise ValueError("the selection rule no longer gives the labelled articles")
    arts = [make_article(aid, *texts[aid]) for aid in ids]
    fx = FactExtractor()
    started = time.perf_counter()
    facts = dict(zip(ids, fx.extract_many(arts), strict=True))
    seconds = time.perf_counter() - started

    c_found = c_mod = c_gold = 0
    c_used: set[tuple[str, tuple[float, float | None, str]]] = set()
    c_pred = 0
    neg_gold = neg_found = 0
    q_found = q_speaker = q_gold = q_pred = 0
    errors: dict[str, list[dict[str, Any]]] = {
        k: []
        for k in (
            "claims_missed",
            "claims_spurious",
            "claims_modality",
            "quotes_missed",
            "quotes_spurious",
            "quotes_speaker",
        )
    }
    for art, g in zip(arts, gold["articles"], strict=True):
        aid, f = art.id, facts[art.id]
        pred: dict[tuple[float, float | None, str], dict[str, Any]] = {}
        for c in corroborate(aid, [art], {aid: f}).claims:
            key = thing_key(c.thing)
            for m in c.members:
                k = (float(m["value"]), m["value_max"], key)
                p = pred.setdefault(k, {"thing": c.thing, "surface": m["surface"], "mods": set()})
                p["mods"].add(m["modality"])
        if g["claims"] is None:  # labelled for quotes only (the dev set's quote extension)
            pred = {}
        c_pred += len(pred)
        for gc in g["claims"] or []:
            if gc.get("negated"):
                neg_gold += 1
                neg_found += any(
                    q.negated and _same_value((q.value, q.value_max), gc["value"])
                    for q in f.quantities
                )
                continue
            c_gold += 1
            hits = [
                (k, p)
                for k, p in pred.items()
                if _same_value((k[0], k[1]), gc["value"])
                and any(thing_compatible(british(k[2]), t) for t in _things(gc))
            ]
            if not hits:
                errors["claims_missed"].append({"article": aid, **gc})
                continue
            c_found += 1
            c_used.update((aid, k) for k, _ in hits)
            got = set().union(*(p["mods"] for _, p in hits))
            if got & _modalities(gc):
                c_mod += 1
            else:
                errors["claims_modality"].append(
                    {"article": aid, "value": gc["value"], "thing": gc["thing"],
                     "gold": gc["modality"], "predicted": sorted(got)}
                )  # fmt: skip
        errors["claims_spurious"] += [
            {"article": aid, "value": k[0], "value_max": k[1], "thing": p["thing"],
             "surface": p["surface"]}
            for k, p in pred.items() if (aid, k) not in c_used
        ]  # fmt: skip

        quotes = [q for q in f.quotes if q.kind == "direct"]
        q_pred += len(quotes)
        used: set[int] = set()
        for gq in g["quotes"]:
            q_gold += 1
            k = next(
                (
                    k
                    for k, q in enumerate(quotes)
                    if k not in used and locator_matches(gq["locator"], q.text)
                ),
                None,
            )
            if k is None:
                errors["quotes_missed"].append({"article": aid, **gq})
                continue
            used.add(k)
            q_found += 1
            if _speaker_ok(gq["speaker"], quotes[k].speaker):
                q_speaker += 1
            else:
                errors["quotes_speaker"].append(
                    {"article": aid, **gq, "predicted": quotes[k].speaker}
                )
        errors["quotes_spurious"] += [
            {"article": aid, "text": q.text[:60], "speaker": q.speaker}
            for k, q in enumerate(quotes)
            if k not in used
        ]
    c_hits = len(c_used)
    return {
        "set": which,
        "articles": len(arts),
        "labels_date": gold.get("date"),
        "seconds": round(seconds, 1),
        "claims": _pr(c_hits, c_pred, c_found, c_gold),
        "claims_modality": _pr(c_mod, c_pred, c_mod, c_gold),
        "modality_accuracy": round(c_mod / c_found, 4) if c_found else 0.0,
        "quotes": _pr(q_found, q_pred, q_found, q_gold),
        "quotes_speaker": _pr(q_speaker, q_pred, q_speaker, q_gold),
        "negated": {"gold": neg_gold, "found": neg_found},
        "errors": errors,
    }


# ----------------------------------------------------------------------------- output

ROWS = (
    ("claims", "claims (value + thing)"),
    ("claims_modality", "claims with modality"),
    ("quotes", "direct quotes (locator)"),
    ("quotes_speaker", "direct quotes with speaker"),
)


def as_text(r: dict[str, Any], verbose: bool = False) -> str:
    name = "dev" if r.get("set") == "dev" else "held-out"
    lines = [f"{name} facts: {r['articles']} articles, extraction {r['seconds']} s"]
    for key, label in ROWS:
        s = r[key]
        lines.append(
            f"  {label:28s} P {s['precision']:.3f}  R {s['recall']:.3f}  F1 {s['f1']:.3f}"
            f"  (gold {s['gold_found']}/{s['gold']} found, predicted"
            f" {s['predicted_matched']}/{s['predicted']} right)"
        )
    lines.append(f"  modality accuracy on found claims: {r['modality_accuracy']:.3f}")
    lines.append(f"  negated claims: {r['negated']['found']}/{r['negated']['gold']} found")
    if verbose:
        for kind, items in r["errors"].items():
            lines.append(f"\n{kind} ({len(items)}):")
            lines += [f"  {json.dumps(x, ensure_ascii=False, default=str)}" for x in items]
    return "\n".join(lines)


def as_markdown(r: dict[str, Any]) -> str:
    head = [
        f"Held-out facts: {r['articles']} real English articles (28 SemEval-2022 Task 8 test,"
        f" 12 ECB+ test), hand-labelled {r['labels_date']}"
        " (`benchmarks/heldout_facts.json`; `python -m benchmarks.heldout_facts`).",
        "",
        "| measure | P | R | F1 | gold found | predictions right |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    rows = [
        f"| {label} | {s['precision']:.3f} | {s['recall']:.3f} | {s['f1']:.3f}"
        f" | {s['gold_found']}/{s['gold']} | {s['predicted_matched']}/{s['predicted']} |"
        for k, label in ROWS
        for s in [r[k]]
    ]
    return "\n".join([*head, *rows])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED, help="the shared/ folder")
    parser.add_argument("--labels", type=Path, default=None, help="labels file (default: by --set)")
    parser.add_argument(
        "--set", choices=("heldout", "dev"), default="heldout", dest="which",
        help="heldout: the test set (default; never tune on it); dev: the tuning set",
    )  # fmt: skip
    parser.add_argument("--verbose", action="store_true", help="list misses and false positives")
    parser.add_argument("--markdown", action="store_true", help="a table for BENCHMARKS.md")
    parser.add_argument("--json", action="store_true", help="the full result as JSON")
    args = parser.parse_args(argv)
    if not (args.shared / "bench").is_dir():
        sys.exit(f"{args.shared}/bench not found (use --shared)")
    labels = args.labels or (DEV_LABELS if args.which == "dev" else LABELS)
    r = score(args.shared, labels, args.which)
    if args.json:
        print(json.dumps(r, indent=2, ensure_ascii=False, default=str))
    elif args.markdown:
        print(as_markdown(r))
    else:
        print(as_text(r, args.verbose))


if __name__ == "__main__":
    main()
