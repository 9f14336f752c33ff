"""Quantities: a number (see ``numbers``) plus what it counts, whose it is,
where, and how sure the text is about it.

With a spaCy parse of the sentence (English) the counted noun is the noun the
number modifies ("30,000 troops"), its compounds and classifying adjectives
("armored combat vehicles") and conjoined plural nouns without their own
number ("artillery pieces and mortars"); "thousands of troops" reads the
"of" object; "troop numbers are likely to climb to 30,000" and "the number of
troops is expected to rise to 30,000" read the clause subject. A number with
no noun ("shift 1,000 more from Germany") inherits the counted noun of the
previous number in the same sentence; a bare measure word ("the number was
expected to rise to 25,000", "this figure") takes the thing counted in the last
two sentences. Without a parse (other languages) the counted noun is the first
word after the number, past pre-nominal adjectives, that is not a closed-class
word, a proper noun (French, Spanish, Italian) or a lower-case word (German), and
that looks like a plural when the number is 2 or more; "800 milioni di euro"
counts euros, "die Zahl der Todesopfer ... auf 61" counts Todesopfer. Spelled-out
numbers of those languages are kept only when they count something.

Cue words give the modality in English, French, Spanish, Italian and German
("some 170" approximate, "up to 200" bound, "likely to climb to" forecast); a
forecast cue beats the others ("forecasters predict up to 150 mm" is a
forecast). Not claims, dropped: "the last 30 years" (durations after
last/past/next/coming), "the two countries" (a small spelled number after a
definite article), "two officials said" (sources). "20 others" counts the thing
counted just before; "23 of them", "12 of which" the plural noun referred to; a model
name between number and noun is skipped ("7 AK-47 rifles"); a quake's "magnitude 6.1"
counts magnitude. An uncertain modal right before the number ("may contribute $2
billion") makes a forecast; "estimated at" is approximate.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from newsfold.facts.model import Entity, NumberMention, Quantity
from newsfold.facts.text import words
from newsfold.facts.things import (
    DEMONYMS,
    DROP_WORDS,
    FOREIGN_NOUNS,
    is_time_unit,
    normalise_subject,
    plural,
    thing_key,
)

_APPROX = (
    r"some|about|around|nearly|almost|roughly|approximately|approx\.|an estimated|estimated"
    r"|circa|ca\.|close to|more or less|an approximate|approximate|an average of|on average"
    r"|estimated at|put at|thought to be|believed to be"
    # fr, es, it, de
    r"|environ|pr[eè]s de|quelques?|autour de|approximativement|unos|unas|alrededor de"
    r"|cerca de|aproximadamente|en torno a|intorno a|attorno a|all'incirca|rund|etwa"
    r"|ungef[aä]hr|zirka|ann[aä]hernd"
)
_UPPER = (
    r"up to|at most|fewer than|less than|as many as|as much as|no more than|not more than"
    r"|under|below|a maximum of|maximum of|just under|no higher than|a maximum|within"
    r"|jusqu['’][aà]|pas plus de|moins de|au plus|au maximum|no m[aá]s de|hasta|menos de"
    r"|como m[aá]ximo|a lo sumo|bis zu|weniger als|h[oö]chstens|maximal|nicht mehr als"
    r"|non pi[uù] di|fino a|meno di|al massimo"
)
_LOWER = (
    r"more than|over|at least|no fewer than|no less than|not less than|above|exceeding"
    r"|in excess of|upwards of|a minimum of|minimum of|just over|well over|well above"
    r"|plus de|plus d['’]|au moins|au minimum|m[aá]s de|al menos|por lo menos|como m[ií]nimo"
    r"|mehr als|mindestens|wenigstens|[uü]ber|pi[uù] di|oltre|almeno|come minimo"
)
_CUE = re.compile(rf"(?:^|(?<=\W))(?P<cue>{_UPPER}|{_LOWER}|{_APPROX})\s*(?:of\s+)?$", re.I)


def _cue_set(alternatives: str) -> list[re.Pattern[str]]:
    return [re.compile(a, re.I) for a in alternatives.split("|")]


_UPPER_SET = _cue_set(_UPPER)
_LOWER_SET = _cue_set(_LOWER)
_POST_LOWER = re.compile(
    r"^(?:-?plus\b|\+|\s+or\s+(?:more|above|higher)\b|\s+and\s+(?:above|up)\b)", re.I
)
_POST_APPROX = re.compile(r"^\s+or\s+so\b", re.I)
# A forecast is a predicted value: a prediction word ("expected", "forecasters
# predicting"), or a modal verb with a verb of amount ("could reach", "will rise to").
# A modal with an action verb states a plan or an agreement, not a predicted number:
# "Rasovia will withdraw 4,000 troops", "Russia will send 170 tanks".
_AMOUNT_VERBS = (
    r"rise|reach|climb|hit|top|exceed|increase|grow|fall|drop|decline|double|triple|total"
    r"|swell|surge|soar|cost|amount|number|jump|balloon|approach|surpass|go\s+up"
)
_FORECAST = re.compile(
    r"\b(?i:likely|unlikely|expected|projected|forecast|predicted|anticipated|poised|set"
    r"|on track)\s+to\b|\b(?i:predict\w*|forecast\w*|projected|projections?|expects?"
    r"|expecting|anticipat\w+)\b"
    rf"|\b(?i:will|would|could|may|might|shall|can)\s+(?:\w+\s+){{0,2}}?(?i:{_AMOUNT_VERBS})\b"
    rf"|'ll\s+(?i:{_AMOUNT_VERBS})\b"
    # an uncertain modal right before the number: "may contribute 2 billion", "could
    # displace 10,000" (not "will send", a plan; not "may have killed", a past estimate)
    r"|\b(?i:may|might|could)\s+(?:\w+ly\s+)?(?!(?i:have|be|not)\b)[a-z]+\s*$"
    # fr, es, it, de: conditional and future of "can/must", "expected", "forecast"
    r"|\b(?i:devrai[te]n?t?|devai[te]n?t?|pourrai[te]n?t?|pourra|pourront|pr[eé]voi[te]n?t?"
    r"|pr[eé]vue?s?|attendue?s?|s['’]attend\w*|prev[eé]n?|previst[oa]s?|podr[ií]an?|podr[aá]n?"
    r"|deber[ií]an?|se espera|esperan? que|pronostican?|d[uü]rften?|k[oö]nnten?|sollen|soll"
    r"|sollten?|erwartet|erwarten|voraussichtlich|prognostiziert|potrebber[oe]|potranno|potr[aà]"
    r"|dovrebber[oe]|previst[ie]|prevedono|prevede|si attende|si prevede)\b"
)
_FORECAST_AFTER = re.compile(
    r"^[^,;.]{0,40}?\b(?:(?i:are|is|were|was)\s+(?i:expected|likely|set|projected|forecast"
    rf"|predicted|poised|anticipated)\s+to|(?:will|would|could|may|might)\s+(?:\w+\s+)?"
    rf"(?:{_AMOUNT_VERBS}))\b"
)
# a contrasting clause starts afresh: "had no plans to call up reservists but had moved two"
_CONTRAST = re.compile(
    r"(?:^|,|\s)(?i:but|although|though|whereas|while|aunque|pero|sino|mais|alors que|tandis que"
    r"|ma|però|mentre|aber|doch|jedoch|während)\s"
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
    idx: list[int] | None = None  # character offset of each token of ``doc``


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
    noun_end: int = -1  # absolute end of the counted noun, wherever it is


_OTHERS = frozenset({"others", "other", "more"})
_MAGNITUDE_BEFORE = re.compile(r"\b(?i:magnitude|richter)(?:\s+of)?\s*[-:]?\s*$")
_MAGNITUDE_AFTER = re.compile(r"^\s*-?\s*(?i:magnitude\b|on\s+the\s+richter\b|richter\b)")
_CODE = re.compile(r"[A-Z]{1,4}-?\d{1,4}[A-Za-z]?s?")


def _antecedent(root: Any, relative: bool = False) -> Any:
    """The plural noun "them" in "23 of them" (at ``root``'s "of") stands for: the last
    plural subject or object before it in the sentence, else None. ``relative`` ("12 of
    which"): the plural noun right before, whatever its role."""
    for t in reversed(root.doc[: root.i]):
        if t.tag_ == "NNS" and (
            relative or t.dep_ in ("nsubj", "nsubjpass", "dobj", "conj", "appos")
        ):
            return t
    return None


def _read_parse(m: NumberMention, sd: SentDoc, ents: _Ents) -> _Reading:
    doc, off = sd.doc, sd.start
    if sd.idx is None:
        sd.idx = doc.to_array("IDX").tolist()
    lo = max(0, bisect.bisect_right(sd.idx, m.start - off) - 1)
    hi = bisect.bisect_left(sd.idx, m.end - off)
    span = [t for t in doc[lo:hi] if off + t.idx < m.end and off + t.idx + len(t) > m.start]
    if not span:
        return _Reading(elided=True)
    ids = {t.i for t in span}
    core = [t for t in span if off + t.idx < m.num_end and off + t.idx + len(t) > m.num_start]
    root = core[-1] if core else span[-1]
    while root.head.i in ids and root.head.i != root.i:
        root = root.head
    h = root.head
    # "7 AK-47 rifles", "two F-16 jets": a model name between the number and its noun
    code_end = None
    while (
        _CODE.fullmatch(h.text)
        and h.head.i > h.i
        and h.dep_ in ("nummod", "compound", "amod", "nmod")
        and root.dep_ in ("nummod", "compound")
    ):
        code_end, h = h.i + 1, h.head
    r = _Reading()
    if (
        root.dep_ in ("nummod", "amod", "compound", "quantmod", "nmod", "npadvmod", "appos", "dep")
        and h.i > root.i
        and _pos(h) in ("NOUN", "PROPN")
        and h.i not in ids
    ):
        head, lo = h, max(max(ids) + 1, code_end or 0)
    else:
        head, lo = None, 0
        for c in root.children:
            if c.dep_ == "prep" and c.lower_ == "of":
                for p in c.children:
                    if p.dep_ == "pobj" and _pos(p) in ("NOUN", "PROPN"):
                        head, lo = p, p.left_edge.i
                    elif p.dep_ == "pobj" and p.lower_ in (
                        "them",
                        "those",
                        "these",
                        "which",
                        "whom",
                    ):
                        # "caught pirates and took 23 of them", "40 victims, 12 of which":
                        # the plural noun referred to
                        ante = _antecedent(root, p.lower_ in ("which", "whom"))
                        if ante is not None:
                            head, lo = ante, ante.i
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
        r.noun_end = off + end_tok.idx + len(end_tok)
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
            # the verb that governs the number must be one of amount ("rose to 45"): in
            # "killing 42 and forcing 10,000 from their homes" the subject is not counted
            verbs = [x for x in chain if _pos(x) in ("VERB", "AUX")]
            verbs_ok = bool(verbs) and bool(_CHANGE.match(verbs[0].lower_))
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
                    # "troop numbers": troops; "flood toll", "quake toll": a toll counts deaths
                    r.thing = "deaths" if s.lower_ == "toll" else plural(comp[-1].text.lower())
                    _, owners = _phrase(s, s.left_edge.i, off, ents)
                    r.subject = owners[0] if owners else None
                    r.place = _place([s], off, ents, -1)
                    return r
            words, owners = _phrase(target, lo2, off, ents)
            r.noun_end = off + target.idx + len(target)
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


# Closed-class words of French, Spanish, Italian and German (articles,
# prepositions, pronouns, auxiliaries): never the counted noun.
_STOP_INTL = words(
    "le la les l' un une des du de d' au aux et ou en a à dans sur sous par pour avec sans "
    "entre vers chez qui que qu' dont où ce cet cette ces son sa ses leur leurs il elle ils "
    "elles on se s' y ne pas plus moins est sont était étaient été être ont avait avaient eu "
    "fait font selon depuis pendant avant après contre comme mais donc car si tous tout toute "
    "toutes même ici là déjà encore aussi très d'ici jusqu'à "
    "el lo los las unos unas del al y o u quien cuyo con por para sin sobre hacia desde hasta "
    "según como más muy ya su sus le les es son era eran fue fueron ha han había habían ser "
    "estar está están este esta estos estas ese esa esos esas cada no ni "
    "il lo gli uno una un' di dello della dei degli delle da dal dallo dalla dai dagli dalle "
    "allo alla ai agli alle nel nello nella nei negli nelle sul sulla sui sugli sulle tra fra "
    "ed e o ma se che chi cui non più meno è era erano stato stata stati state essere hanno aveva "
    "avevano questo questa questi queste quello quella quei quelle suo sua suoi sue loro ogni "
    "tutto tutti già ancora anche molto ci ne in per con su sta stanno fa fanno "
    "der die das den dem des ein eine einer eines einem einen und oder aber im ins an am auf "
    "aus bei mit nach von vom zu zum zur für über unter vor hinter neben zwischen durch gegen "
    "ohne um bis seit als wie ist sind war waren wird werden wurde wurden hat haben hatte "
    "hatten sein noch schon auch nur sehr mehr weniger nicht kein keine es er sie wir ihr "
    "sich dieser diese dieses jeder alle"
)
# Adjectives that come before the noun in French, Spanish and Italian.
_PRE_ADJ_INTL = words(
    "nouveaux nouvelles nouveau nouvelle autres premiers premières derniers dernières petits "
    "grands jeunes anciens nuevos nuevas otros otras primeros primeras últimos últimas nuovi "
    "nuove altri altre primi prime ultimi ultime weitere"
)
# "saranno circa 1.200 le famiglie", "son ya 13 los muertos": plural article, then the noun
_PLURAL_ARTICLE = {"it": words("i gli le"), "es": words("los las")}
_OF_AFTER_SCALE = words("de di of d' d’ des del degli")
_GLUED_UNITS = words("km kg mm cm m g t h bp mg ml l ha")
_GERMAN_ADJ = re.compile(r"[a-zäöüß-]+(?:e|en|er|es|em)")


def _read_window(
    m: NumberMention, text: str, sent_end: int, english: bool, lang: str | None = None
) -> _Reading:
    after = text[m.end : min(sent_end, m.end + 200)]
    if not english:
        return _read_window_intl(m, text, after, lang)
    words: list[tuple[str, int]] = []
    for w in re.finditer(r"[^\W\d_][\w'’-]*(?:\.[^\W\d_]+)*|[^\w\s]", after):
        tok = w.group()
        low = tok.lower()
        if not tok[0].isalpha():
            break
        if not words and low in DROP_WORDS:
            continue
        if low in _NEXT_STOP or len(words) >= 4:
            break
        words.append((low, m.end + w.end()))
    if not words:
        return _Reading(elided=True)
    return _Reading(thing=" ".join(w for w, _ in words), end=words[-1][1])


def _read_window_intl(m: NumberMention, text: str, after: str, lang: str | None) -> _Reading:
    """The counted noun in other languages: the first word after the number, past
    pre-nominal adjectives (German: lower-case adjectives before a capitalised noun),
    "de"/"di" after a scale word ("800 milioni di euro"), and an Italian or Spanish
    plural article ("circa 1.200 le famiglie"). Articles, prepositions, verbs and other
    closed-class words end the search: then nothing is counted. Proper nouns are not
    counted nouns (French, Spanish and Italian write common nouns in lower case)."""
    scaled = bool(re.search(r"[^\W\d_]", text[m.num_end : m.end]))
    skipped = 0
    for k, w in enumerate(re.finditer(r"[^\W\d_][\w'’-]*|[^\w\s]", after)):
        tok = w.group()
        if not tok[0].isalpha() or skipped > 2:
            break
        low = tok.lower()
        end = m.end + w.end()
        if k == 0 and w.start() == 0 and low not in _GLUED_UNITS:
            break  # "49ers", "21enne": a name or a word, not a number and its noun
        if scaled and k == 0 and re.match(r"d['’]\w", low):
            tok, low = tok[2:], low[2:]
        elif re.match(r"(?:[ldsnmtcj]|qu)['’]", low):
            break  # "sept s'y", "d'ici"
        elif scaled and k == 0 and low in _OF_AFTER_SCALE:
            skipped += 1
            continue
        if k == 0 and low in _PLURAL_ARTICLE.get(lang or "", ()):
            skipped += 1
            continue
        if low in _PRE_ADJ_INTL or (low not in _STOP_INTL and low in DROP_WORDS):
            skipped += 1
            continue
        if lang == "de":
            if tok[0].isupper() and low not in _STOP_INTL:
                return _Reading(thing=low, end=end)
            if _GERMAN_ADJ.fullmatch(tok) and low not in _STOP_INTL:
                skipped += 1
                continue
            break
        if low in _STOP_INTL or (lang and tok[0].isupper() and not tok.isupper()):
            break
        if m.value >= 2 and not _plural_like(low, lang):
            break  # "otras 12 siguen desaparecidas": a verb, not what is counted
        return _Reading(thing=low, end=end)
    return _Reading(elided=True)


def _plural_like(word: str, lang: str | None) -> bool:
    """Whether ``word`` can be a plural noun (or a unit) in ``lang``: French, Spanish
    and Portuguese plurals end in s, x or z; Italian ones in i, e or an accented
    vowel. Verbs after a number ("12 siguen", "30 sono") fail this."""
    if word in _GLUED_UNITS or word in FOREIGN_NOUNS or word in ("euro", "dollar"):
        return True
    if lang in ("fr", "es", "pt", "ca"):
        return word[-1] in "sxz"
    if lang == "it":
        return word[-1] in "ieàèéìòù"
    return True


# "die Zahl der Todesopfer ist auf 61 gestiegen", "le nombre de morts atteint 42"
_MEASURE_OF = {
    "de": re.compile(r"\b(?i:zahl|anzahl)\s+(?:der|von|an)\s+(?P<n>[^\W\d_][\w-]*)"),
    "fr": re.compile(r"\b(?i:nombre|chiffre|bilan)\s+(?:de\s+|d['’]|des\s+)(?P<n>[^\W\d_][\w-]*)"),
    "es": re.compile(r"\b(?i:n[uú]mero|cifra)\s+de\s+(?:los\s+|las\s+)?(?P<n>[^\W\d_][\w-]*)"),
    "it": re.compile(r"\b(?i:numero|bilancio)\s+(?:di|dei|degli|delle)\s+(?P<n>[^\W\d_][\w-]*)"),
}
# "ce chiffre devrait atteindre 25 000", "the number was expected to rise to 25,000":
# the figure stated just before
_MEASURE_THIS = re.compile(
    r"\b(?i:ce|cet|cette|este|esta|ese|esa|questo|questa|tale|diese|dieser|this|that|the)\s+"
    r"(?i:chiffre|nombre|total|bilan|n[uú]mero|cifra|numero|totale|zahl|anzahl|number|figure"
    r"|total|tally|count)\b(?!\s+(?:of|de|d['’]|di|der|von)\b)"
)
MEASURE_KEYS = frozenset({"number", "figure", "total", "tally"})
# What happened to the people counted ("killing 42 people", "17 people are missing",
# "causó la muerte de 11 personas", "Neun Menschen werden noch vermisst").
_STATES = [
    (
        "killed",
        r"kill\w*|dead|died|dying|death|lost\s+their\s+lives|muert\w*|fallec\w*"
        r"|mur(?:i[óo]|ieron)|perecieron|perdieron\s+la\s+vida|tu[ée]e?s?|mort\w*"
        r"|p[ée]ri(?:e?s|rent)?|d[ée]c[ée]d[ée]\w*|get[öo]tet\w*|gestorben|starben"
        r"|(?:kamen\s+)?ums\s+leben|tot|tote|uccis\w*|decedut\w*|hanno\s+perso\s+la\s+vita",
    ),
    ("missing", r"missing|disparu\w*|desaparecid\w*|vermisst\w*|dispers[eio]"),
    (
        "injured",
        r"injur\w*|wounded|hurt|bless[ée]\w*|herid\w*|verletzt\w*|verwundet\w*"
        r"|ferit[eio]",
    ),
    ("evacuated", r"evacuat\w*|[ée]vacu[ée]\w*|evacuad\w*|evakuiert\w*|sfollat\w*"),
    ("rescued", r"rescued|rescuing|secouru\w*|rescatad\w*|gerettet|salvat[eio]"),
    ("displaced", r"displaced|d[ée]plac[ée]\w*|desplazad\w*|vertrieben"),
    ("stranded", r"stranded|bloqu[ée]\w*|atrapad\w*|eingeschlossen"),
]
_STATE_WORDS = "|".join(f"(?P<{k}>{v})" for k, v in _STATES)
_STATE_AFTER = re.compile(
    r"^\s*,?\s+(?:(?i:had|have|has|were|was|are|is|been|being|now|already|still|reportedly"
    r"|confirmed|reported|officially|sont|ont|été|étaient|portée?s?|fueron|han|sido|estaban"
    r"|están|werden|wurden|sind|noch|immer|sono|stati|state|risultano|ancora|feared|believed"
    r"|thought|remain(?:ed|s)?|rimast[eio]|restent|rest[ée]e?s|quedaron|siguen|bleiben|blieben"
    r"|listed|as|declared|considered|presumed|officially"
    r"|kamen)\s+){0,4}"
    rf"(?:{_STATE_WORDS})\b",
    re.I,
)
# "forcing more than 10,000 from their homes", "10 000 personnes ont dû quitter leur domicile"
_LEFT_HOME = re.compile(
    r"^\s*,?\s+(?:[\w'’]+\s+){0,4}?(?:(?i:from|out\s+of|leave|left|to\s+leave|quitter|abandonar"
    r"|lasciare|verlassen)\s+(?i:their|his|her|leur|leurs|sus?|le\s+loro|la\s+loro|ihre?)\s+"
    r"(?i:homes?|houses?|domiciles?|maisons?|logements?|casas|hogares|viviendas|case|abitazioni"
    r"|h[aä]user|wohnungen))\b"
)
_STATE_BEFORE = re.compile(
    r"(?:\b(?i:killing|killed|kills|rescued|rescuing|evacuated|evacuating|injuring|injured"
    r"|wounding|wounded|displacing|displaced|stranding|stranded)"
    r"|(?i:la\s+muerte|la\s+mort|la\s+morte|den\s+tod)\s+(?i:de|di|von))\s+(?:\S+\s+){0,2}$"
)
_STATE_BEFORE_MAP = {"kill": "killed", "muerte": "killed", "mort": "killed", "morte": "killed",
                     "tod": "killed", "rescu": "rescued", "evacu": "evacuated",
                     "injur": "injured", "wound": "injured", "displac": "displaced",
                     "strand": "stranded"}  # fmt: skip
PEOPLE_KEYS = frozenset(
    [
        "person",
        "resident",
        "civilian",
        "villager",
        "inhabitant",
        "local",
        "passenger",
        "tourist",
        "child",
        "man",
        "woman",
        "worker",
        "migrant",
        "refugee",
    ]
)


def _state(text: str, m: NumberMention, noun_end: int, clause_start: int) -> str | None:
    """What happened to the people counted, read after the counted noun ("17 people are
    missing", "the number of people killed has risen to 61") or before the number
    ("killing 42 people")."""
    at = noun_end if noun_end >= 0 else m.end
    sm = _STATE_AFTER.match(text[at : at + 80])
    if sm:
        return next(k for k, _ in _STATES if sm.group(k))
    if _LEFT_HOME.match(text[at : at + 80]):
        return "evacuated"
    bm = _STATE_BEFORE.search(text[max(clause_start, m.start - 80) : m.start])
    if bm:
        head = bm.group().lower().split()
        word = head[1] if head[0] == "la" or head[0] == "den" else head[0]
        return next((v for k, v in _STATE_BEFORE_MAP.items() if word.startswith(k)), None)
    return None


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
        if any(p.fullmatch(cue) for p in _UPPER_SET):
            mod, bound = "bound", "upper"
        elif any(p.fullmatch(cue) for p in _LOWER_SET):
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
    if m.value_max is not None and mod == "fact":
        mod, bound = "bound", "range"
    words = prefix[: len(prefix) - (m.start - start)].split()
    window = _CONTRAST.split(" ".join(words[-12:]))[-1]
    tail = text[max(thing_end, m.end) : max(thing_end, m.end) + 60]
    if _FORECAST.search(window) or _FORECAST_AFTER.match(tail):
        mod, bound = "forecast", None
    neg_window = re.split(r"[,;:]|\bbut\b", " ".join(words[-6:]))[-1]
    negated = bool(_NEG.search(neg_window))
    return mod, bound, start, negated


# "the two countries", "les deux pays": a small number after a definite article
# refers to things named before; it is not a count
_DEFINITE = re.compile(
    r"\b(?i:the|these|those|both|les|ces|los|las|estos|estas|esos|esas|gli|questi|queste"
    r"|diese)\s+$|(?<![\w'’])(?:i|le|die)\s+$"
)
# "two Western officials told the paper": how many sources, not a claim
SOURCE_KEYS = frozenset({"official", "source", "diplomat", "analyst", "expert", "witness"})
_SOURCE_VERB = re.compile(
    r"^\s*,?\s*(?:who\s+)?(?i:said|say|says|told|tell|speaking|familiar|with\s+knowledge"
    r"|briefed|spoke|asked|quoted|cited)\b"
)


def build_quantities(
    text: str,
    mentions: Sequence[NumberMention],
    sentences: Sequence[SentDoc],
    entities: Sequence[Entity] = (),
    english: bool = True,
    lang: str | None = None,
) -> list[Quantity]:
    """Quantities for ``mentions`` (sorted by position) in ``text``. ``lang``: the
    ISO 639-1 code when not English (sharpens the counted-noun rules)."""
    ents = _Ents(entities)
    cache: dict[int, str] = {}
    lang2 = "en" if english else ((lang or "")[:2].lower() or None)

    def sentence_text(sd: SentDoc) -> str:
        if sd.start not in cache:
            cache[sd.start] = text[sd.start : sd.end]
        return cache[sd.start]

    starts = [s.start for s in sentences]
    out: list[Quantity] = []
    last_by_sent: dict[int, Quantity] = {}
    prev_end_by_sent: dict[int, int] = {}
    last_counted: tuple[int, Quantity] | None = None  # sentence index, last quantity with a thing
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
            r = _read_window(m, text, sd.end, english, lang2)
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
        if (
            not m.percent
            and not m.currency
            and (
                _MAGNITUDE_BEFORE.search(text[max(sd.start, m.start - 25) : m.start])
                or _MAGNITUDE_AFTER.match(text[m.end : m.end + 30])
            )
        ):
            # "a magnitude 6.1 earthquake", "a 6.1-magnitude quake", "5.4 on the Richter
            # scale": the number is the quake's magnitude, not a count of quakes
            r.thing = "magnitude"
        if r.thing and r.thing.lower() in _OTHERS:
            # "five people died and 20 others were hurt": others of the thing counted last
            before = (
                prev
                if prev is not None
                else (
                    last_counted[1]
                    if last_counted is not None and last_counted[0] >= si - 1
                    else None
                )
            )
            if before is not None and before.thing and before.thing.lower() not in _OTHERS:
                r.thing = before.thing
        clause_start = max(
            sd.start, prev_end_by_sent.get(si, sd.start), text.rfind(";", sd.start, m.start) + 1
        )
        if not r.thing or thing_key(r.thing) in MEASURE_KEYS:
            _measure_thing(
                r, text, m, max(sd.start, m.start - 150), english, si, last_counted, lang2
            )
        if (m.weak or (m.words and not english)) and not r.thing:
            continue  # "one", and spelled-out numbers of other languages, only count things
        if m.words and m.value <= 3 and _DEFINITE.search(text[max(0, m.start - 12) : m.start]):
            continue
        key = thing_key(r.thing)
        if key in SOURCE_KEYS and _SOURCE_VERB.match(text[max(r.end, m.end) :][:40]):
            continue
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
            vague=m.vague,
            state=(
                _state(text, m, r.noun_end if r.noun_end >= 0 else r.end, clause_start)
                if key in PEOPLE_KEYS
                else None
            ),
        )
        out.append(q)
        last_by_sent[si] = q
        prev_end_by_sent[si] = m.end
        if r.thing:
            last_counted = (si, q)
    return out


def _measure_thing(
    r: _Reading,
    text: str,
    m: NumberMention,
    lo: int,
    english: bool,
    si: int,
    last: tuple[int, Quantity] | None,
    lang: str | None = None,
) -> None:
    """No counted noun, or a bare measure word ("number", "figure"): read "the number
    of X" (other languages: English has the parse), else take the thing counted in
    the last two sentences when the text points back at it ("this figure", "the
    number was expected to rise to 25,000")."""
    before = text[lo : m.start]
    pat = None if english else _MEASURE_OF.get(lang or "")
    found = (
        [g for g in pat.finditer(before) if g.group("n").lower() not in _STOP_INTL] if pat else []
    )
    if found:
        r.thing = found[-1].group("n").lower()
        return
    bare = bool(r.thing)
    if (bare or _MEASURE_THIS.search(before)) and last is not None and si - last[0] <= 2:
        q = last[1]
        r.thing = q.thing
        r.subject = r.subject or (q.subject if q.subject != q.place else None)
    elif bare:
        r.thing = ""
