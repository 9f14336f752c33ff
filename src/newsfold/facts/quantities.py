"""Quantities: a number (see ``numbers``) plus what it counts, whose it is,
where, and how sure the text is about it.

With a spaCy parse of the sentence (English) the counted noun is the noun the
number modifies ("30,000 troops"), its compounds and classifying adjectives
("armored combat vehicles") and conjoined plural nouns without their own
number ("artillery pieces and mortars"); "thousands of troops" reads the
"of" object; "troop numbers are likely to climb to 30,000" and "the number of
troops is expected to rise to 30,000" read the clause subject. A number with
no noun ("shift 1,000 more from Germany") inherits the counted noun of the
previous number in the same sentence. Without a parse (other languages) the
counted noun is read from the words right after the number.

Cue words give the modality ("some 170" approximate, "up to 200" bound,
"likely to climb to" forecast); bound and approximate cues beat forecast
cues. "the last 30 years" is a time reference, not a claim: durations after
last/past/next/coming are dropped.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from newsfold.facts.model import Entity, NumberMention, Quantity
from newsfold.facts.text import words
from newsfold.facts.things import DEMONYMS, DROP_WORDS, is_time_unit, normalise_subject, plural

_APPROX = (
    r"some|about|around|nearly|almost|roughly|approximately|approx\.|an estimated|estimated"
    r"|circa|ca\.|close to|more or less|an approximate|approximate|an average of|on average"
)
_UPPER = (
    r"up to|at most|fewer than|less than|as many as|as much as|no more than|not more than"
    r"|under|below|a maximum of|maximum of|just under|no higher than|a maximum"
)
_LOWER = (
    r"more than|over|at least|no fewer than|no less than|not less than|above|exceeding"
    r"|in excess of|upwards of|a minimum of|minimum of|just over|well over|well above"
)
_CUE = re.compile(rf"(?:^|(?<=\W))(?P<cue>{_UPPER}|{_LOWER}|{_APPROX})\s*(?:of\s+)?$", re.I)
_UPPER_SET = frozenset(_UPPER.split("|"))
_LOWER_SET = frozenset(_LOWER.split("|"))
_POST_LOWER = re.compile(
    r"^(?:-?plus\b|\+|\s+or\s+(?:more|above|higher)\b|\s+and\s+(?:above|up)\b)", re.I
)
_POST_APPROX = re.compile(r"^\s+or\s+so\b", re.I)
_FORECAST = re.compile(
    r"\b(?i:likely|expected|set|projected|forecast|predicted|anticipated|poised|scheduled|slated"
    r"|planned|plans?|going|on track)\s+to\b|\b(?:will|would|could|may|might|shall)\b|'ll\b"
    r"|\b(?i:projected|forecast|forecasts)\b"
)
_FORECAST_AFTER = re.compile(
    r"^[^,;.]{0,40}?\b(?:(?i:are|is|were|was)\s+(?i:expected|likely|set|scheduled|slated|poised"
    r"|projected|forecast)\s+to|will|would|could|may|might)\b"
)
# "no" only right before the number ("no 30,000 troops"); otherwise verb negation.
_NEG = re.compile(r"\b(?:not|never|den(?:y|ies|ied|ying))\b|n't\b|\bno\s*$", re.I)
_DURATION_PREFIX = re.compile(
    r"\b(?:last|past|next|coming|previous|first|recent|final|following|over the)\s*$", re.I
)
_MEASURE = words(
    "number numbers total count tally toll figure figures strength size level contingent "
    "presence population"
)
_CHANGE = re.compile(
    r"^(?:ris\w*|rose|climb\w*|reach\w*|increas\w*|gr[eo]w\w*|jump\w*|st[ao]{1,2}d\w*|total\w*"
    r"|hit\w*|top\w*|exceed\w*|swell\w*|surg\w*|soar\w*|f[ae]ll\w*|dropp?\w*|declin\w*|decreas\w*"
    r"|doubl\w*|tripl\w*|is|are|was|were|be|been|being|'s|amount\w*|number\w*|reduc\w*|cut"
    r"|put|estimat\w*|plac\w*|count\w*|remain\w*)$",
    re.I,
)
_LOC_PREPS = words(
    "in into inside near around along at across within to on throughout towards toward"
)
_NEXT_STOP = words(
    "of in on at to from by with for and or but as than that which who is are was were be "
    "been have has had will would could said says the a an this these those it its their "
    "his her our per"
)
_ENT_OWNER = frozenset({"GPE", "NORP", "ORG", "LOC"})


# Coarse part of speech from the tagger's Penn tags (the attribute ruler that
# would set ``Token.pos_`` is not run: it costs a third of the parse pass).
_TAG_POS = {
    "NN": "NOUN", "NNS": "NOUN", "NNP": "PROPN", "NNPS": "PROPN", "MD": "AUX", "JJ": "ADJ",
    "JJR": "ADJ", "JJS": "ADJ", "AFX": "ADJ", "IN": "ADP", "RP": "ADP", "DT": "DET",
    "PDT": "DET", "WDT": "DET", "CD": "NUM", "RB": "ADV", "RBR": "ADV", "RBS": "ADV",
    "WRB": "ADV", "PRP": "PRON", "PRP$": "PRON", "WP": "PRON", "WP$": "PRON", "EX": "PRON",
    "TO": "PART", "POS": "PART", "CC": "CCONJ", "$": "SYM", "#": "SYM", "SYM": "SYM",
}  # fmt: skip


def _pos(t: Any) -> str:
    tag = t.tag_
    if tag.startswith("VB"):
        return "VERB"
    return _TAG_POS.get(tag, "PUNCT" if not any(c.isalnum() for c in t.text) else "X")


@dataclass(slots=True)
class SentDoc:
    """A sentence of the article and, for English, its spaCy parse."""

    start: int
    end: int
    doc: Any = None  # spacy.tokens.Doc of text[start:end], or None


class _Ents:
    """Entity lookup by character offset."""

    def __init__(self, ents: Sequence[Entity]) -> None:
        self.ents = sorted(ents, key=lambda e: e.start)
        self.starts = [e.start for e in self.ents]

    def at(self, pos: int) -> Entity | None:
        i = bisect.bisect_right(self.starts, pos) - 1
        if i >= 0 and self.ents[i].start <= pos < self.ents[i].end:
            return self.ents[i]
        return None


def _owner_of(tok: Any, off: int, ents: _Ents) -> str | None:
    """Country/organisation named by a token (entity or demonym)."""
    e = ents.at(off + tok.idx)
    if e is not None and e.label in _ENT_OWNER:
        return normalise_subject(e.canonical or e.text)
    if tok.lower_ in DEMONYMS and (tok.text[:1].isupper()):
        return DEMONYMS[tok.lower_]
    return None


def _phrase(h: Any, lo: int, off: int, ents: _Ents) -> tuple[list[str], list[str]]:
    """Words of the noun phrase ending at ``h`` (from token ``lo``) and owners."""
    words: list[str] = []
    owners: list[str] = []
    dropped_ent = False
    doc = h.doc
    multi: dict[int, str] = {}  # "United States", "North Korean": several tokens, one owner
    for i in range(lo, h.i):
        for n in (3, 2):
            key = " ".join(t.lower_ for t in doc[i : min(i + n, h.i)])
            if key.count(" ") == n - 1 and key in DEMONYMS and doc[i].text[:1].isupper():
                multi.update({j: DEMONYMS[key] for j in range(i, i + n)})
    for t in doc[lo : h.i + 1]:
        own = multi.get(t.i) or (_owner_of(t, off, ents) if t.i != h.i else None)
        if own:
            owners.append(own)
            dropped_ent = True
            continue
        if t.text in ("-", "–") or (dropped_ent and t.i > lo and doc[t.i - 1].text in ("-", "–")):
            continue
        dropped_ent = False
        if t.i != h.i and (
            _pos(t)
            in ("DET", "NUM", "ADV", "PRON", "PART", "ADP", "CCONJ", "SCONJ", "PUNCT", "SYM")
            or t.lower_ in DROP_WORDS
            or t.tag_ == "POS"
        ):
            continue
        words.append(t.text.lower())
    for c in h.children:
        if c.dep_ == "poss":
            own = _owner_of(c, off, ents)
            if own:
                owners.append(own)
    return words, owners


def _gpe_of(p: Any, off: int, ents: _Ents) -> str | None:
    own = _owner_of(p, off, ents)
    if own:
        return own
    for c in p.children:
        if c.dep_ in ("poss", "amod", "compound"):
            own = _owner_of(c, off, ents)
            if own:
                return own
    return None


def _place(cands: list[Any], off: int, ents: _Ents, after: int) -> str | None:
    for t in cands:
        for c in t.children:
            if c.dep_ == "prep" and c.lower_ in _LOC_PREPS and c.i > after:
                for p in c.children:
                    if p.dep_ == "pobj":
                        name = _gpe_of(p, off, ents)
                        if name:
                            return name
    return None


def _verb_subject_owner(v: Any, off: int, ents: _Ents) -> str | None:
    for _ in range(3):
        for c in v.children:
            if c.dep_ in ("nsubj", "nsubjpass"):
                own = _owner_of(c, off, ents)
                if own:
                    return own
                for t in c.doc[c.left_edge.i : c.i]:
                    own = _owner_of(t, off, ents)
                    if own:
                        return own
                return None
        if v.dep_ in ("xcomp", "conj", "advcl") and v.head.i != v.i:
            v = v.head
        else:
            break
    return None


@dataclass(slots=True)
class _Reading:
    thing: str = ""
    subject: str | None = None
    place: str | None = None
    end: int = -1  # absolute end of the counted noun, when it follows the number
    elided: bool = False


def _read_parse(m: NumberMention, sd: SentDoc, ents: _Ents) -> _Reading:
    doc, off = sd.doc, sd.start
    span = [t for t in doc if off + t.idx < m.end and off + t.idx + len(t) > m.start]
    if not span:
        return _Reading(elided=True)
    ids = {t.i for t in span}
    core = [t for t in span if off + t.idx < m.num_end and off + t.idx + len(t) > m.num_start]
    root = core[-1] if core else span[-1]
    while root.head.i in ids and root.head.i != root.i:
        root = root.head
    h = root.head
    r = _Reading()
    if (
        root.dep_ in ("nummod", "amod", "compound", "quantmod", "nmod", "npadvmod", "appos", "dep")
        and h.i > root.i
        and _pos(h) in ("NOUN", "PROPN")
        and h.i not in ids
    ):
        head, lo = h, max(ids) + 1
    else:
        head, lo = None, 0
        for c in root.children:
            if c.dep_ == "prep" and c.lower_ == "of":
                for p in c.children:
                    if p.dep_ == "pobj" and _pos(p) in ("NOUN", "PROPN"):
                        head, lo = p, p.left_edge.i
        if head is None:
            nxt = doc[max(ids) + 1] if max(ids) + 1 < len(doc) else None
            while (
                nxt is not None
                and nxt.lower_ in ("more", "additional", "other", "extra", "new")
                and nxt.i + 1 < len(doc)
            ):
                nxt = doc[nxt.i + 1]
            if (
                nxt is not None
                and _pos(nxt) == "NOUN"
                and _pos(nxt.head) != "NOUN"
                and nxt.tag_ in ("NNS", "NN")
            ):
                head, lo = nxt, max(ids) + 1
    if head is not None:
        words, owners = _phrase(head, lo, off, ents)
        parts = [" ".join(words)]
        end_tok = head
        for c in head.conjuncts:
            if c.i < head.i or _pos(c) != "NOUN" or c.tag_ != "NNS":
                continue
            if any(ch.dep_ == "nummod" or ch.like_num for ch in c.children):
                break
            left = [x for x in c.children if x.i < c.i and x.dep_ in ("compound", "amod")]
            w2, _ = _phrase(c, left[0].i if left else c.i, off, ents)
            parts.append(" ".join(w2))
            end_tok = max(end_tok, c, key=lambda x: x.i)
        r.thing = " and ".join(p for p in parts if p)
        r.subject = owners[0] if owners else None
        if head.i > root.i:
            r.end = off + end_tok.idx + len(end_tok)
        cands = [head, *[c for c in head.children if c.dep_ in ("acl", "relcl")]]
        if head.dep_ in ("nsubj", "nsubjpass", "dobj") and _pos(head.head) in ("VERB", "AUX"):
            cands.append(head.head)
        if head.dep_ == "pobj" and root.dep_ != "nummod":
            cands.append(root)
        r.place = _place(cands, off, ents, root.i)
        if (r.subject is None and head.dep_ in ("dobj", "nsubjpass")) or (
            r.subject is None
            and head.dep_ == "pobj"
            and root.head.dep_ in ("dobj", "nsubjpass", "conj")
        ):
            r.subject = _verb_subject_owner(
                head.head if head.dep_ != "pobj" else root.head.head, off, ents
            )
        return r
    # "troop numbers ... are likely to climb to 30,000", "the number of troops is 30,000"
    t, chain = root, []
    for _ in range(5):
        if t.head.i == t.i:
            break
        t = t.head
        chain.append(t)
        subj = [c for c in t.children if c.dep_ in ("nsubj", "nsubjpass")]
        if subj:
            s = subj[0]
            verbs_ok = any(_CHANGE.match(x.lower_) for x in chain if _pos(x) in ("VERB", "AUX"))
            if _pos(s) == "PRON" or not (verbs_ok or s.lower_ in _MEASURE):
                break
            target, lo2 = s, s.left_edge.i
            if s.lower_ in _MEASURE:
                ofs = [
                    p
                    for c in s.children
                    if c.dep_ == "prep" and c.lower_ == "of"
                    for p in c.children
                    if p.dep_ == "pobj"
                ]
                comp = [c for c in s.children if c.dep_ == "compound" and _pos(c) == "NOUN"]
                if ofs:
                    target, lo2 = ofs[0], ofs[0].left_edge.i
                elif comp:
                    r.thing = plural(comp[-1].text.lower())
                    _, owners = _phrase(s, s.left_edge.i, off, ents)
                    r.subject = owners[0] if owners else None
                    r.place = _place([s], off, ents, -1)
                    return r
            words, owners = _phrase(target, lo2, off, ents)
            r.thing = " ".join(words)
            if not owners and target.i != s.i:
                owners = _phrase(s, s.left_edge.i, off, ents)[1]
            r.subject = owners[0] if owners else None
            r.place = _place([target, s] if target.i != s.i else [s], off, ents, -1)
            return r
        if _pos(t) not in ("VERB", "AUX", "ADJ", "ADP"):
            break
    r.elided = True
    r.place = _place([root.head] if _pos(root.head) in ("VERB", "AUX") else [], off, ents, root.i)
    return r


def _read_window(m: NumberMention, text: str, sent_end: int, english: bool) -> _Reading:
    after = text[m.end : min(sent_end, m.end + 200)]
    words: list[tuple[str, int]] = []
    for w in re.finditer(r"[^\W\d_][\w'’-]*(?:\.[^\W\d_]+)*|[^\w\s]", after):
        tok = w.group()
        low = tok.lower()
        if not tok[0].isalpha():
            break
        if not words and low in DROP_WORDS:
            continue
        if low in _NEXT_STOP or (english and len(words) >= 4):
            break
        words.append((low, m.end + w.end()))
        if not english:
            break
    if not words:
        return _Reading(elided=True)
    return _Reading(thing=" ".join(w for w, _ in words), end=words[-1][1])


def _modality(
    text: str, m: NumberMention, sent_start: int, clause_start: int, thing_end: int
) -> tuple[str, str | None, int, bool]:
    """(modality, bound, surface start, negated)."""
    prefix = text[max(clause_start, m.start - 300) : m.start]
    start = m.start
    mod, bound = "fact", None
    cm = _CUE.search(prefix[-40:])
    if cm:
        cue = " ".join(cm.group("cue").lower().split())
        start = m.start - (len(prefix[-40:]) - cm.start("cue"))
        if cue in _UPPER_SET:
            mod, bound = "bound", "upper"
        elif cue in _LOWER_SET:
            mod, bound = "bound", "lower"
        else:
            mod = "approximate"
    after = text[m.end : m.end + 30]
    after_thing = text[max(m.end, thing_end) : max(m.end, thing_end) + 30]
    if mod == "fact" and (_POST_LOWER.match(after) or _POST_LOWER.match(after_thing)):
        mod, bound = "bound", "lower"
    elif mod == "fact" and (_POST_APPROX.match(after) or _POST_APPROX.match(after_thing)):
        mod = "approximate"
    if m.vague and mod == "fact":
        mod, bound = "bound", "lower"
    words = prefix[: len(prefix) - (m.start - start)].split()
    window = " ".join(words[-12:])
    if mod == "fact":
        tail = text[max(thing_end, m.end) : max(thing_end, m.end) + 60]
        if _FORECAST.search(window) or _FORECAST_AFTER.match(tail):
            mod = "forecast"
    neg_window = re.split(r"[,;:]|\bbut\b", " ".join(words[-6:]))[-1]
    negated = bool(_NEG.search(neg_window))
    return mod, bound, start, negated


def build_quantities(
    text: str,
    mentions: Sequence[NumberMention],
    sentences: Sequence[SentDoc],
    entities: Sequence[Entity] = (),
    english: bool = True,
) -> list[Quantity]:
    """Quantities for ``mentions`` (sorted by position) in ``text``."""
    ents = _Ents(entities)
    cache: dict[int, str] = {}

    def sentence_text(sd: SentDoc) -> str:
        if sd.start not in cache:
            cache[sd.start] = text[sd.start : sd.end]
        return cache[sd.start]

    starts = [s.start for s in sentences]
    out: list[Quantity] = []
    last_by_sent: dict[int, Quantity] = {}
    prev_end_by_sent: dict[int, int] = {}
    for m in mentions:
        si = bisect.bisect_right(starts, m.start) - 1
        if si < 0 or m.start >= sentences[si].end:
            continue
        sd = sentences[si]
        if m.percent:
            r = _Reading(thing="percent")
        elif m.currency:
            r = _Reading(thing=m.currency)
        elif sd.doc is not None:
            r = _read_parse(m, sd, ents)
            if not r.thing and not r.elided:
                r.elided = True
        else:
            r = _read_window(m, text, sd.end, english)
        prev = last_by_sent.get(si)
        prev_owner = prev.subject if prev is not None and prev.subject != prev.place else None
        if (
            not r.thing
            and r.elided
            and prev is not None
            and prev.thing
            and not m.weak
            and sd.doc is not None
        ):
            r.thing, r.subject = prev.thing, r.subject or prev_owner
        elif r.thing and r.subject is None and prev is not None and prev.thing == r.thing:
            r.subject = prev_owner
        if m.weak and not r.thing:
            continue
        clause_start = max(
            sd.start, prev_end_by_sent.get(si, sd.start), text.rfind(";", sd.start, m.start) + 1
        )
        if (
            r.thing
            and is_time_unit(r.thing)
            and _DURATION_PREFIX.search(text[max(clause_start, m.start - 60) : m.start])
        ):
            continue
        mod, bound, s_start, negated = _modality(text, m, sd.start, clause_start, r.end)
        end = r.end if r.end > m.end else m.end
        place = normalise_subject(r.place)
        q = Quantity(
            start=s_start,
            end=end,
            surface=text[s_start:end],
            value=float(m.value),
            value_max=None if m.value_max is None else float(m.value_max),
            thing=r.thing,
            subject=normalise_subject(r.subject) or place,
            modality=mod,
            bound=bound,
            negated=negated,
            sentence=sentence_text(sd),
            place=place,
        )
        out.append(q)
        last_by_sent[si] = q
        prev_end_by_sent[si] = m.end
    return out
