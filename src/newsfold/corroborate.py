"""Corroboration: which articles of an event share an origin, and which
quantity claims stand on several independent origins.

Origins. Two articles descend from one source when any of these holds
(strongest first; the reason is kept per article):
1. near-verbatim copy: ``duplicate_of`` links them, or word 5-gram Jaccard
   >= 0.5, or one contains >= 70% of the other's 5-grams;
2. a shared quotation: >= 8 words in a row of a direct quote of one article
   appear in the other (quote marks, case and punctuation ignored). Seeds
   000/001/002 are three rewrites of one AP story: 5-gram Jaccard only
   0.04-0.09, but they share Stoltenberg's quotes;
3. the same wire attribution (when the two also share >= 8% of their content
   words, so two AFP stories on different topics stay apart; for two languages,
   >= 20% of their names and numbers): "(AP)", "as per the Associated Press",
   "Reuters reported", "according to AFP", AP-style credit lines ("Fraser
   reported from Ankara", "... contributed to this report"), Reuters-style
   ("Reporting by ...; Editing by ..."), an outlet quoting its sources
   ("Daily Sabah, grounding its info from various sources"), any named outlet
   credited in a dateline or in English, French, Spanish, Italian or German
   ("OSTREL (Meridian Wire) -", "selon l'agence Meridian Wire", "según informó
   la agencia Meridian Wire"), or one article crediting the other's outlet;
4. a shared passage: >= 14 words in a row anywhere in both texts;
5. paraphrase alignment: >= 50% of the sentences of one article (at least 3)
   have a close sentence in the other (content-word Dice >= 0.5, or cosine
   >= 0.8 between the given sentence vectors). When either article shows
   machine-translation damage (an auto-translation notice) the thresholds
   drop to 30% and Dice 0.35, since back-translation rewrites words.
Short common phrases ("said on Thursday") never link. Links are merged with
union-find; the origin id is the id of the earliest article (published, then
id) of the group.

Claims. Quantities with a counted thing are grouped per event by the
``thing_key`` of :func:`claim_thing` ("people killed" groups with "deaths", "42
morts" with "42 dead"); durations ("three days"), vague plurals ("thousands of")
and negated quantities are not claims. A claim joins a group of its thing when owners and
places do not contradict (unknown is compatible with anything), its value is within 25%
of the group's first value and it plausibly states the same quantity: its interval
(below) overlaps a member's (the same figure, rounded or bounded), or, for a differing
value, the thing is a toll of the event (deaths, injured, missing, casualties, victims,
evacuees, displaced: one event has one toll, so two figures are conflicting reports) or
the two share a known owner or place ("12,000 Russian troops" and "9,000 troops" of an
unnamed unit stay apart). Two differing values from one article are two quantities,
never one claim. A group flags a conflict when its values are
incompatible (intervals: facts +-1%, approximate +-10%, "up to" = [0, v],
"more than" = [v, inf)), or when one value is stated as a forecast in some
articles and as a fact in others (approximate and bound count as fact-like).
A group's ``values`` and ``modalities`` are distinct, in first-seen order; its
``members`` keep one entry per quantity, with its article.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy import sparse

from newsfold.facts.model import ArticleFacts, Quantity
from newsfold.facts.text import fold, norm_words, sentence_spans, words
from newsfold.facts.things import TIME_UNITS, thing_key
from newsfold.models import Article

QUOTE_RUN = 8
PASSAGE_RUN = 14
JACCARD_COPY = 0.5
CONTAIN_COPY = 0.7
ALIGN_FRACTION, ALIGN_DICE, ALIGN_COSINE = 0.5, 0.5, 0.8
MT_FRACTION, MT_DICE = 0.3, 0.35
CLOSE = 0.25
# Counts of which an event has one: differing figures of these are conflicting reports.
TOLL_KEYS = frozenset(["death", "injury", "missing", "casualty", "victim", "evacuee", "displaced"])
TOPICAL = 0.08  # content-word Jaccard below which wire credits and paraphrase do not count
ANCHOR_TOPICAL = 0.2  # the same for articles in two languages, on names and numbers

_AGENCIES = {
    "AP": r"Associated Press|AP", "Reuters": r"Reuters", "AFP": r"Agence France[- ]Presse|AFP",
    "dpa": r"dpa|Deutsche Presse-Agentur", "Xinhua": r"Xinhua", "TASS": r"TASS",
    "Interfax": r"Interfax", "RIA Novosti": r"RIA Novosti|RIA", "Anadolu": r"Anadolu(?: Agency)?",
    "PTI": r"PTI|Press Trust of India", "ANI": r"ANI", "UPI": r"UPI", "EFE": r"EFE",
    "ANSA": r"ANSA", "Kyodo": r"Kyodo", "Yonhap": r"Yonhap", "IANS": r"IANS",
    "Bloomberg": r"Bloomberg",
}  # fmt: skip
_WIRE: list[tuple[str, re.Pattern[str]]] = []
for _name, _alt in _AGENCIES.items():
    _WIRE.append((_name, re.compile(
        rf"\((?:{_alt})\)|\b(?:according to|as per|citing|cited by|via|reported by|quoted by|told)"
        rf" (?:the )?(?:{_alt})\b|\b(?:{_alt})(?: news)?(?: agency)? (?:reported|reports|said|says"
        rf"|contributed|wrote|quoted)\b|\b(?:{_alt})\s*[-—–]\s*[A-Z]|^(?:{_alt})$",
        re.M,
    )))  # fmt: skip
_CREDITS = [
    (
        "AP",
        re.compile(
            r"(?:^|(?<=[.!?] ))[A-Z][\w.'’-]+(?: [A-Z][\w.'’-]+)* reported from [A-Z][\w-]+"
            r"|contributed to this report",
            re.M,
        ),
    ),
    (
        "Reuters",
        re.compile(r"Reporting by [^;\n]+;\s*(?:[Aa]dditional reporting|[Ee]diting|[Ww]riting) by"),
    ),
]
# words that _CREDITS patterns cannot match without (a cheap test first)
_CREDIT_WORDS = {
    "AP": ("reported from", "contributed to this report"),
    "Reuters": ("Reporting by",),
}
_OUTLET_SOURCES = re.compile(
    r"\b((?:[A-Z][\w’'-]+ ){0,3}[A-Z][\w’'-]+), (?:grounding|basing|sourcing|drawing) its "
    r"(?:info|information|report|reporting|news) (?:from|on)"
)
_MT = re.compile(
    r"translat\w* (?:it |this )?(?:through|by|using|with|via) (?:programmatic|automatic|machine)"
    r"|machine[- ]translat|automatically translated|programmatic technology"
    r"|translated automatically",
    re.I,
)
_STOP = words(
    "the a an and or but of to in on at for with by from as is are was were be been has "
    "have had it its this that these those he she they we i you his her their our not no "
    "said says will would could also than then there which who what when where while "
    "after before over into about more most some any all can may might"
)


@dataclass(slots=True)
class ClaimGroup:
    event: str
    thing: str
    subject: str | None
    values: list[float]
    modalities: list[str]
    articles: list[str]
    origins: int
    first: str | None
    conflict: str | None
    members: list[dict[str, Any]] = field(default_factory=list)


@dataclass(slots=True)
class Corroboration:
    event: str
    origins: dict[str, str]  # article id -> origin id (earliest article of the origin)
    origin_reasons: dict[str, str]  # article id -> why it is linked to its origin
    claims: list[ClaimGroup]


def _order_key(a: Article) -> tuple[dt.date, str]:
    return (a.published or dt.date.max, a.id)


def _ngrams(words: list[str], n: int) -> set[tuple[str, ...]]:
    return set(zip(*(words[i:] for i in range(n)), strict=False))  # the shortest slice ends it


def _longest_run(a: list[str], b: list[str], seed: tuple[str, ...]) -> str:
    n = len(seed)
    i = next(k for k in range(len(a) - n + 1) if tuple(a[k : k + n]) == seed)
    j = next(k for k in range(len(b) - n + 1) if tuple(b[k : k + n]) == seed)
    while i > 0 and j > 0 and a[i - 1] == b[j - 1]:
        i, j = i - 1, j - 1
    length = n
    while i + length < len(a) and j + length < len(b) and a[i + length] == b[j + length]:
        length += 1
    run = a[i : i + length]
    return " ".join(run if len(run) <= 14 else [*run[:14], "..."])


# Any named outlet credited as the source, in English, French, Spanish, Italian or
# German: "(Meridian Wire) -" in a dateline, "according to X", "as reported by X",
# "X reported", "selon l'agence X", "según informó la agencia X", "secondo X",
# "laut X". X counts only when it looks like a news outlet: a name with a media word
# ("Wire", "News", "Times", "Agence"...), or introduced as an agency ("l'agence X").
_WORD = r"[A-Z](?:[\w&'’-]|\.(?=\w))*"
_CI = "\u0130\u0131\u017f"  # non-ASCII letters that match "i" or "s" when case is ignored
_NAME = rf"{_WORD}(?:[ \t]+(?:(?:of|de|di|du|del|des|der|the)[ \t]+)?{_WORD}){{0,4}}"
_AGENCY_WORDS = (
    r"(?:(?:the\s+)?(?:news\s+)?agency|(?:the\s+)?wire\s+service|l['’]agence(?:\s+de\s+presse)?"
    r"|la\s+agencia(?:\s+de\s+noticias)?|l['’]agenzia(?:\s+di\s+stampa)?|die\s+(?:Nachrichten)?agentur"
    r"|der\s+(?:Nachrichten)?agentur|(?:la\s+)?agencia|agence|agenzia)\s+"
)
_CREDIT_BEFORE = re.compile(
    # (the look-ahead: the first letters of the cues, so that re skips other positions)
    rf"(?=[{_CI}arcqvsdilbmARCQVSDILBM])"
    r"(?:\b(?i:according\s+to|as\s+reported\s+by|reported\s+by|citing|cited\s+by|quoted\s+by"
    r"|as\s+per|via|selon|d['’]apr[eè]s|rapport[ée]e?s?\s+par|a\s+rapport[ée]|cit[ée]e?s?\s+par"
    r"|relay[ée]e?s?\s+par|diffus[ée]e?s?\s+par|seg[uú]n(?:\s+inform[oó])?|de\s+acuerdo\s+con"
    r"|inform[oó]|citad[oa]s?\s+por|difundid[oa]s?\s+por|recogid[oa]s?\s+por|secondo"
    r"|riportat[oaie]\s+da|citat[oaie]\s+da|come\s+riporta|laut|berichtete|meldete)"
    r"\s+(?:(?i:the|la|le|el|il|lo|die|der|dem|den)\s+)?)"
    rf"(?P<agency>{_AGENCY_WORDS})?(?P<name>{_NAME})"
)
_CREDIT_AFTER = re.compile(rf"(?P<name>{_NAME})\s+(?i:reported|reports|said|says|wrote|zufolge)\b")
_DATELINE_CREDIT = re.compile(
    r"(?:^|\n)[A-Z][A-Z'’.-]+(?:[ ,][^()\n]{0,60}?)?\s*\((?P<name>[A-Z][^()\n]{1,40})\)\s*[-–—]"
)
_MEDIA_WORD = re.compile(
    r"\b(?:Wire|News|Press|Presse|Prensa|Stampa|Agency|Agence|Agencia|Agenzia|Agentur|Times|Post"
    r"|Daily|Courier|Tribune|Herald|Journal|Gazette|Gazzetta|Standard|Ledger|Voice|Dispatch|Today"
    r"|Tagblatt|Zeitung|Radio|TV|Television|Telegraph|Guardian|Observer|Chronicle|Monitor"
    r"|Reporter|Bulletin|Inquirer|Globe|Mirror|Broadcasting|Media|Noticias|Nouvelles|Nachrichten"
    r"|Diario|Giornale|Corriere)\b"
)


def _source_name(name: str) -> str:
    """One spelling for an outlet name: folded, no leading article."""
    n = re.sub(r"^(?i:the|le|la|el|il|die|der)\s+", "", " ".join(name.split())).strip(" .,'’")
    return fold(n)


def credited_outlets(text: str) -> set[str]:
    """Outlets an article names as its source (folded names), in several languages."""
    found = {_source_name(m.group("name")) for m in _DATELINE_CREDIT.finditer(text)}
    for m in _CREDIT_BEFORE.finditer(text):
        if m.group("agency") or _MEDIA_WORD.search(m.group("name")):
            found.add(_source_name(m.group("name")))
    for m in _CREDIT_AFTER.finditer(text):
        if _MEDIA_WORD.search(m.group("name")):
            found.add(_source_name(m.group("name")))
    return {f for f in found if f}


_AGENCY_ANY = re.compile(
    rf"(?=[{''.join(sorted({a[0] for v in _AGENCIES.values() for a in v.split('|')}))}])"
    r"\b(?:" + "|".join(_AGENCIES.values()) + r")\b"
)
_AGENCY_OF = [(name, re.compile(rf"(?:{alt})")) for name, alt in _AGENCIES.items()]


def wire_sources(text: str) -> set[str]:
    """Wire services and outlets an article credits as its source."""
    named = {m.group() for m in _AGENCY_ANY.finditer(text)}
    present = {n for n, alt in _AGENCY_OF if any(alt.fullmatch(x) for x in named)}
    found = {name for name, pat in _WIRE if name in present and pat.search(text)}
    found |= {
        name
        for name, pat in _CREDITS
        if any(w in text for w in _CREDIT_WORDS[name]) and pat.search(text)
    }
    if "ing its " in text:  # what _OUTLET_SOURCES needs
        found |= {m.group(1).strip() for m in _OUTLET_SOURCES.finditer(text)}
    for name in credited_outlets(text):
        agency = next((k for k, alt in _AGENCIES.items() if re.fullmatch(alt, name, re.I)), None)
        found.add(agency or name)
    return found


def _topical(a: frozenset[str], b: frozenset[str], floor: float = TOPICAL) -> bool:
    return bool(a and b) and len(a & b) / len(a | b) >= floor


def anchor_tokens(text: str) -> frozenset[str]:
    """Words that survive translation: numbers (separators dropped, so "10,000" =
    "10 000" = "10.000") and capitalised words inside sentences (names), folded."""
    nums = {re.sub(r"\D", "", n) for n in re.findall(r"\d[\d.,\u00a0\u202f ]*\d|\d", text)}
    names = {fold(m.group(1)) for m in re.finditer(r"(?<=[\w,;:] )([A-Z][\w'’-]{3,})", text)}
    return frozenset(n for n in nums | names if n)


MAX_ALIGN_SENTENCES = 200


# The pipeline corroborates an event again each time a batch adds to it: what is read
# from one article's text alone is kept for the articles seen last (by text).
FEATURE_CACHE = 1024


CACHE_MAX_CHARS = 50_000  # longer texts are read afresh: 1,024 of them would hold too much


def _text_features(text: str) -> tuple[tuple[frozenset[str], ...], bool]:
    """(content-word set of each sentence, machine-translation notice)."""
    if len(text) > CACHE_MAX_CHARS:
        return _read_text_features(text)
    return _cached_text_features(text)


def _read_text_features(text: str) -> tuple[tuple[frozenset[str], ...], bool]:
    return tuple(_content_sets(text)), bool(_MT.search(text))


_cached_text_features = functools.lru_cache(maxsize=FEATURE_CACHE)(_read_text_features)


def _wires(text: str) -> frozenset[str]:
    if len(text) > CACHE_MAX_CHARS:
        return frozenset(wire_sources(text))
    return _cached_wires(text)


@functools.lru_cache(maxsize=FEATURE_CACHE)
def _cached_wires(text: str) -> frozenset[str]:
    return frozenset(wire_sources(text))


def _content_sets(text: str) -> list[frozenset[str]]:
    out = []
    for s, e in sentence_spans(text)[:MAX_ALIGN_SENTENCES]:
        ws = frozenset(w for w in norm_words(text[s:e]) if w not in _STOP and len(w) > 2)
        if len(ws) >= 4:
            out.append(ws)
    return out


@dataclass(slots=True)
class _Sentences:
    """Content-word sets of an article's sentences as a sparse 0/1 matrix."""

    matrix: sparse.csr_matrix
    sizes: np.ndarray
    bag: frozenset[str]


def _sentence_matrices(sets: Mapping[str, Sequence[frozenset[str]]]) -> dict[str, _Sentences]:
    vocab: dict[str, int] = {}
    out = {}
    for key, rows in sets.items():
        cols = [[vocab.setdefault(w, len(vocab)) for w in row] for row in rows]
        indptr = np.cumsum([0, *(len(c) for c in cols)])
        data = np.ones(int(indptr[-1]), dtype=np.float32)
        idx = np.fromiter((c for row in cols for c in row), dtype=np.int64, count=int(indptr[-1]))
        out[key] = _Sentences(
            sparse.csr_matrix((data, idx, indptr), shape=(len(rows), 0)),
            np.array([len(r) for r in rows], dtype=np.float32),
            frozenset().union(*rows) if rows else frozenset(),
        )
    for v in out.values():
        v.matrix.resize((v.matrix.shape[0], len(vocab)))
    return out


def _align_words(a: _Sentences, b: _Sentences, dice: float) -> tuple[float, int]:
    """(share of sentences of one article with a close sentence in the other, count)."""
    if not a.matrix.shape[0] or not b.matrix.shape[0]:
        return 0.0, 0
    inter = (a.matrix @ b.matrix.T).toarray()
    d = 2 * inter / (a.sizes[:, None] + b.sizes[None, :])
    ma = int((d.max(axis=1) >= dice).sum())
    mb = int((d.max(axis=0) >= dice).sum())
    return max(ma / len(a.sizes), mb / len(b.sizes)), max(ma, mb)


def _align_vectors(va: np.ndarray, vb: np.ndarray) -> tuple[float, int]:
    if va.ndim != 2 or vb.ndim != 2 or not len(va) or not len(vb) or va.shape[1] != vb.shape[1]:
        return 0.0, 0
    na = va / np.maximum(np.linalg.norm(va, axis=1, keepdims=True), 1e-12)
    nb = vb / np.maximum(np.linalg.norm(vb, axis=1, keepdims=True), 1e-12)
    sim = na @ nb.T
    ma = int((sim.max(axis=1) >= ALIGN_COSINE).sum())
    mb = int((sim.max(axis=0) >= ALIGN_COSINE).sum())
    return max(ma / len(va), mb / len(vb)), max(ma, mb)


class _UnionFind:
    def __init__(self, items: Sequence[str]) -> None:
        self.parent = {x: x for x in items}

    def find(self, x: str) -> str:
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[rb] = ra


def _links(
    arts: Sequence[Article],
    facts: Mapping[str, ArticleFacts],
    vectors: Mapping[str, np.ndarray] | None,
) -> list[tuple[str, str, int, str]]:
    """(a, b, strength rank, reason) for every linked pair."""
    if len(arts) < 2:
        return []
    words = {a.id: norm_words(a.text) for a in arts}
    g5 = {k: _ngrams(w, 5) for k, w in words.items()}
    longer: dict[tuple[str, int], set[tuple[str, ...]]] = {}

    def grams(k: str, n: int) -> set[tuple[str, ...]]:
        """n-grams (n > 5) of an article, made on first use (two articles share a
        passage only when they share a 5-gram; quotation n-grams only for quotes)."""
        if (k, n) not in longer:
            longer[k, n] = _ngrams(words[k], n)
        return longer[k, n]

    quotes = {
        a.id: [
            (qw, _ngrams(qw, QUOTE_RUN))
            for q in facts[a.id].quotes
            if q.kind == "direct" and len(qw := norm_words(q.text)) >= QUOTE_RUN
        ]
        if a.id in facts else []
        for a in arts
    }  # fmt: skip
    text = {a.id: a.text for a in arts}
    features = {a.id: _text_features(a.text) for a in arts}
    # made on first use: most pairs are settled before they are needed
    anchors: dict[str, frozenset[str]] = {}

    def wires_of(k: str) -> frozenset[str]:
        return _wires(text[k])

    def anchors_of(k: str) -> frozenset[str]:
        if k not in anchors:
            anchors[k] = anchor_tokens(text[k])
        return anchors[k]

    outlet = {a.id: _source_name(a.source) if a.source else "" for a in arts}
    mt = {k: f[1] for k, f in features.items()}
    sents = _sentence_matrices({k: f[0] for k, f in features.items()})
    bag = {k: v.bag for k, v in sents.items()}
    ids = {a.id for a in arts}
    out: list[tuple[str, str, int, str]] = []
    for i, a in enumerate(arts):
        for b in arts[i + 1 :]:
            x, y = a.id, b.id
            if (
                a.duplicate_of == y
                or b.duplicate_of == x
                or (a.duplicate_of and a.duplicate_of == b.duplicate_of and a.duplicate_of in ids)
            ):
                out.append((x, y, 0, "near-verbatim copy"))
                continue
            inter = len(g5[x] & g5[y])
            if inter and (
                inter / len(g5[x] | g5[y]) >= JACCARD_COPY
                or inter / max(1, min(len(g5[x]), len(g5[y]))) >= CONTAIN_COPY
            ):
                out.append((x, y, 0, "near-verbatim copy"))
                continue
            shared = None
            for p, other in ((x, y), (y, x)):
                for qw, qgrams in quotes[p]:
                    hit = qgrams & grams(other, QUOTE_RUN)
                    if hit:
                        shared = _longest_run(qw, words[other], min(hit))
                        break
                if shared:
                    break
            if shared:
                out.append((x, y, 1, f"shares quotation: '{shared}'"))
                continue
            hit = grams(x, PASSAGE_RUN) & grams(y, PASSAGE_RUN) if inter else set()
            if hit:
                out.append(
                    (x, y, 3, f"shares passage: '{_longest_run(words[x], words[y], min(hit))}'")
                )
                continue
            if not _topical(bag[x], bag[y]) and not (
                a.language != b.language and _topical(anchors_of(x), anchors_of(y), ANCHOR_TOPICAL)
            ):
                continue  # the weaker signals need the same topic
            common = sorted(wires_of(x) & wires_of(y))
            if common:
                out.append((x, y, 2, f"same wire attribution ({', '.join(common)})"))
                continue
            cited = [
                o for o, other in ((outlet[x], y), (outlet[y], x)) if o and o in wires_of(other)
            ]
            if cited:
                out.append((x, y, 2, f"credits its outlet ({cited[0]})"))
                continue
            damaged = mt[x] or mt[y]
            frac, n = _align_words(sents[x], sents[y], MT_DICE if damaged else ALIGN_DICE)
            if vectors is not None and x in vectors and y in vectors:
                vf, vn = _align_vectors(np.asarray(vectors[x]), np.asarray(vectors[y]))
                if vf > frac:
                    frac, n = vf, vn
            if n >= 3 and frac >= (MT_FRACTION if damaged else ALIGN_FRACTION):
                note = " (machine-translated)" if damaged else ""
                out.append((x, y, 4, f"paraphrase alignment {frac:.2f}{note}"))
    return out


def find_origins(
    arts: Sequence[Article],
    facts: Mapping[str, ArticleFacts],
    vectors: Mapping[str, np.ndarray] | None = None,
) -> tuple[dict[str, str], dict[str, str]]:
    """(article id -> origin id, article id -> reason)."""
    arts = sorted(arts, key=_order_key)
    order = {a.id: k for k, a in enumerate(arts)}
    links = _links(arts, facts, vectors)
    uf = _UnionFind([a.id for a in arts])
    for x, y, _, _ in links:
        uf.union(x, y)
    groups: dict[str, list[str]] = {}
    for a in arts:
        groups.setdefault(uf.find(a.id), []).append(a.id)
    origins: dict[str, str] = {}
    reasons: dict[str, str] = {}
    adj: dict[str, list[tuple[int, str, str]]] = {}
    for x, y, rank, why in links:
        adj.setdefault(x, []).append((rank, y, why))
        adj.setdefault(y, []).append((rank, x, why))
    for members in groups.values():
        root = min(members, key=lambda k: order[k])
        for m in members:
            origins[m] = root
        if len(members) == 1:
            reasons[root] = "independent"
            continue
        reasons[root] = "earliest article of its origin"
        # strongest links first (a Prim-like walk from the root)
        seen = {root}
        frontier = sorted(adj.get(root, []))
        while frontier:
            rank, node, why = frontier.pop(0)
            if node in seen:
                continue
            seen.add(node)
            reasons[node] = why
            frontier = sorted(frontier + adj.get(node, []))
    return origins, reasons


def claim_thing(q: Quantity) -> str:
    """What a claim counts: the counted noun, and what happened to the people counted
    ("people killed": grouped with "deaths"; "people missing")."""
    return f"{q.thing} {q.state}" if q.state and q.thing else q.thing


def _point(q: Quantity) -> float:
    return (q.value + q.value_max) / 2 if q.value_max is not None else q.value


def _interval(q: Quantity) -> tuple[float, float]:
    lo, hi = q.value, q.value_max if q.value_max is not None else q.value
    if q.modality == "bound" and q.bound == "upper":
        return (min(0.0, lo), hi * 1.01)
    if q.modality == "bound" and q.bound == "lower":
        return (lo * 0.99, float("inf"))
    tol = 0.10 if q.modality == "approximate" else 0.01
    return (lo * (1 - tol), hi * (1 + tol))


def _distance(a: float, b: float) -> float:
    m = max(abs(a), abs(b))
    return 0.0 if m == 0 else abs(a - b) / m


def fmt_value(v: float) -> str:
    return f"{int(v):,}" if float(v).is_integer() else f"{v:,.6g}"


def _owner(q: Quantity) -> str | None:
    return q.subject if q.subject != q.place else None


def _compatible(x: str | None, y: str | None) -> bool:
    return x is None or y is None or x == y


@dataclass(slots=True)
class _Group:
    key: str
    anchor: float
    owner: str | None
    place: str | None
    items: list[tuple[Article, Quantity]] = field(default_factory=list)


def _conflict(items: list[tuple[Article, Quantity]]) -> str | None:
    notes: list[str] = []
    ivs = [_interval(q) for _, q in items]
    if max(lo for lo, _ in ivs) > min(hi for _, hi in ivs):
        pts = sorted({_point(q) for _, q in items})
        notes.append(f"values differ: {fmt_value(pts[0])} vs {fmt_value(pts[-1])}")
    fc = list(dict.fromkeys(a.id for a, q in items if q.modality == "forecast"))
    fa = list(dict.fromkeys(a.id for a, q in items if q.modality != "forecast"))
    if fc and fa:
        shown = fmt_value(next(q for _, q in items if q.modality == "forecast").value)
        notes.append(f"{shown} stated as forecast ({', '.join(fc)}) and as fact ({', '.join(fa)})")
    return "; ".join(notes) or None


def _overlaps(x: tuple[float, float], y: tuple[float, float]) -> bool:
    return x[0] <= y[1] and y[0] <= x[1]


def _same_quantity(g: _Group, a: Article, q: Quantity, own: str | None, place: str | None) -> bool:
    """Whether ``q`` (of article ``a``) plausibly states the quantity of group ``g``
    (of its thing, compatible owner and place, close value)."""
    iv = _interval(q)
    if any(_overlaps(iv, _interval(m)) for _, m in g.items):
        return True  # the same figure, rounded, approximate or bounded
    if any(b.id == a.id for b, _ in g.items):
        return False  # one article stating two figures states two quantities
    if g.key in TOLL_KEYS:
        return True  # competing tolls of one event
    return (own is not None and own == g.owner) or (place is not None and place == g.place)


def group_claims(
    event: str,
    arts: Sequence[Article],
    facts: Mapping[str, ArticleFacts],
    origins: Mapping[str, str],
) -> list[ClaimGroup]:
    arts = sorted(arts, key=_order_key)
    groups: list[_Group] = []
    for a in arts:
        f = facts.get(a.id)
        for q in f.quantities if f else []:
            key = thing_key(claim_thing(q))
            if not key or q.negated or q.vague or key in TIME_UNITS:
                continue
            own, place, pt = _owner(q), q.place, _point(q)
            cands = [
                g for g in groups
                if g.key == key and _compatible(g.owner, own) and _compatible(g.place, place)
                and _distance(g.anchor, pt) <= CLOSE and _same_quantity(g, a, q, own, place)
            ]  # fmt: skip
            if cands:
                g = min(cands, key=lambda g: (_distance(g.anchor, pt), g.owner is None))
                g.owner, g.place = g.owner or own, g.place or place
            else:
                g = _Group(key, pt, own, place)
                groups.append(g)
            g.items.append((a, q))
    out: list[ClaimGroup] = []
    for g in groups:
        ids = list(dict.fromkeys(a.id for a, _ in g.items))
        things = [claim_thing(q) for _, q in g.items]
        out.append(
            ClaimGroup(
                event=event,
                thing=max(set(things), key=lambda t: (things.count(t), -len(t), t)),
                subject=g.owner or g.place,
                values=list(dict.fromkeys(q.value for _, q in g.items)),
                modalities=list(dict.fromkeys(q.modality for _, q in g.items)),
                articles=ids,
                origins=len({origins.get(i, i) for i in ids}),
                first=ids[0] if ids else None,
                conflict=_conflict(g.items),
                members=[
                    {
                        "article": a.id,
                        "value": q.value,
                        "value_max": q.value_max,
                        "modality": q.modality,
                        "bound": q.bound,
                        "surface": q.surface,
                        "start": q.start,
                        "end": q.end,
                    }
                    for a, q in g.items
                ],
            )
        )
    out.sort(key=lambda c: (-len(c.articles), -c.origins, c.thing, c.values[0]))
    return out


def corroborate(
    event: str,
    articles: Sequence[Article],
    facts: Mapping[str, ArticleFacts],
    vectors: Mapping[str, np.ndarray] | None = None,
) -> Corroboration:
    """Origins and claim groups for the articles of one event.

    ``vectors``: optional article id -> array of sentence vectors (one row a
    sentence, any sentence split) used for paraphrase alignment."""
    origins, reasons = find_origins(articles, facts, vectors)
    claims = group_claims(event, articles, facts, origins)
    return Corroboration(event=event, origins=origins, origin_reasons=reasons, claims=claims)
