"""What the grouping stages compare: words, names, numbers, dates and a vector.

Kept apart from the clusterers so that events and storylines read the same
evidence, and so that a trained pair model sees exactly what the live
pipeline computes.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from newsfold.dating import DATELINE_CHARS, MONTHS, in_dateline, weekday_mentions

WEEKDAY_NUMBERS = {
    name: n
    for n, name in enumerate(
        ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
    )
}

WORD = re.compile(r"[^\W\d_][\w'’-]*", re.UNICODE)
NUMBER = re.compile(
    r"(?<![\w.,])\d{1,3}(?:[,.\u202f\u00a0 ]\d{3})+(?![\d])|(?<![\w.,])\d+(?:[.,]\d+)?"
)
# A particle ("de", "von der", "al"...) is part of a name only as a whole word before a
# capitalised one ("Charles de Gaulle", "Bashar al-Assad"), not the start of "destroyed".
NAME_PARTICLE = r"(?:de|von|van|der|den|del|du|la|le|al|bin|ibn|da|di|dos)"
NAME = re.compile(rf"\b[A-Z][\w'’-]+(?:[ -](?:{NAME_PARTICLE}[ -])*[A-Z][\w'’-]+)*")
PARTICLE = re.compile(NAME_PARTICLE)
POSSESSIVE = re.compile(r"['’]s\b")  # "Gupta's" is the name "gupta"
SENTENCE_START = re.compile(r"(?:^|[.!?]\s+|\n)\s*[\"“'‘(]?$")

# Short function words in the languages the embedder knows best; enough to keep
# them out of TF-IDF (which otherwise learns their IDF from the stream).
STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing down during each few
    for from further had has have having he her here hers herself him himself his how i if
    in into is it its itself just me more most my myself no nor not now of off on once only
    or other our ours ourselves out over own same she should so some such than that the
    their theirs them themselves then there these they this those through to too under until
    up very was we were what when where which while who whom why will with would you your
    yours yourself yourselves said says say told according also new one two three its it's
    year years last week month first mr mrs ms per le la les un une des du de et en est que
    qui dans pour pas sur au aux par plus ne se ce il elle ils sont été avec son sa ses leur
    leurs mais ou été cette ces der die das und ist im in den dem des ein eine einer nicht
    mit sich auf für von zu es sie er wir auch als bei nach wie aus hat wurde werden sind
    war noch el los las y es en por con para una su sus al lo como más pero se del que fue
    han il lo gli di da e è per con non una sono""".split()  # noqa: SIM905 (a word list reads better as text)
)


def words(text: str) -> list[str]:
    return [w.casefold() for w in WORD.findall(text)]


def terms(text: str) -> Counter[str]:
    """Content words (casefolded, stop words and 1-letter words out)."""
    return Counter(w for w in words(text) if len(w) > 1 and w not in STOPWORDS)


# A written date ("4 March 2025", "March 4, 2025", "4. März", "4 de marzo de 2025") in a
# dateline or masthead line at the top is the report's own date. When that date is sure
# (from metadata, or a dateline trusted as such), the time prior weighs it, and its day
# and year are left out of the numbers: counted again there, a dateline's "4" and "2025"
# matched every report of the month (a synthetic stream, every report with a dateline
# and dated by its feed: events P 0.953 -> 0.861; benchmarks/mixed_dates.py). Otherwise
# they stay numbers: with dates read from the text, a dateline's year is what tells two
# earthquakes years apart (ECB+ test F1 0.903 -> 0.895 without them; dev, train the
# same). A date the report tells of ("the quake on 3 September") is always numbers.
# Month names in either case, "May" and "Mar" only capitalised ("the 12 may go").
_MONTH_NAME = "|".join(
    f"[{w[0].upper()}{'' if w in ('may', 'mar') else w[0]}]{re.escape(w[1:])}"
    for w in sorted(MONTHS, key=len, reverse=True)
    if len(w) > 2
)
WRITTEN_DATE = re.compile(
    rf"(?<![\w.,])\d{{1,2}}\.?\s+(?:de\s+)?(?:{_MONTH_NAME})\b\.?(?:,?\s+(?:de\s+)?\d{{4}}\b)?"
    rf"|\b(?:{_MONTH_NAME})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?\b(?:,?\s+\d{{4}}\b)?"
)


def numbers(text: str, dateline_date: bool = True) -> frozenset[str]:
    """Numbers as digit strings ("30,000" and "30 000" both give "30000"); years kept.
    ``dateline_date=False``: the day and year of the date in a dateline at the top are
    left out (see :data:`WRITTEN_DATE`)."""
    if not dateline_date:
        cut = DATELINE_CHARS + 200  # the top of the text (the title comes first)
        head = text[:cut]
        head = WRITTEN_DATE.sub(lambda m: " " if in_dateline(head, m.start()) else m[0], head)
        text = head + text[cut:]
    out = set()
    for match in NUMBER.finditer(text):
        raw = match.group(0)
        digits = re.sub(r"[,.\u202f\u00a0 ](?=\d{3}(?!\d))", "", raw)
        digits = digits.replace(",", ".")
        if digits in {"0", "1", "2", "3"}:
            continue  # too common to be evidence
        out.add(digits)
    return frozenset(out)


# Articles and determiners by language: a capitalised run starting with one ("El Gobierno",
# "Die Regierung" at a sentence start) is named by the words after it.
DETERMINERS: dict[str, frozenset[str]] = {
    lang: frozenset(text.split())
    for lang, text in {
        "de": "der die das den dem des ein eine einen einem einer eines kein keine keinen "
        "keinem keiner dieser diese dieses diesem diesen jeder jede jedes jedem jeden im am "
        "zum zur vom beim ins ans aufs seine seiner seinen seinem ihre ihrer ihren ihrem "
        "unsere mehrere viele einige alle beide",
        "fr": "le la les l' l’ un une des du au aux ce cet cette ces son sa ses leur leurs",
        "es": "el la los las un una unos unas este esta estos estas su sus",
        "it": "il lo la i gli le l' l’ un uno una dello della degli delle questo questa",
    }.items()
}
# Languages that capitalise every noun: there a capitalised word after a determiner or a
# number ("die Hauptstadt", "40 Kilometer", "12 Tote") is a common noun, not a name.
NOUN_CAPITALISING = frozenset({"de", "lb"})
# the word just before a capitalised run, within its sentence ("auf 12. Olaf Scholz": none)
PREVIOUS_WORD = re.compile(r"([\w'’]+)[^\w\n.!?]{0,3}$")
DIGITS = re.compile(r"\d[\d.,]*")


def names(text: str, language: str = "") -> frozenset[str]:
    """Capitalised word runs not at a sentence start, casefolded; a cheap NER that knows
    each language's determiners (and, in German, that a noun follows one)."""
    return frozenset(name_counts(text, language))


def _name_words(name: str, before: str, language: str) -> list[str]:
    """The words of a capitalised run that name something: determiners in front dropped
    and, in a noun-capitalising language, the noun a determiner or number introduces."""
    determiners = DETERMINERS.get(language, frozenset())  # English names read as before
    tokens = name.split(" ")
    found = PREVIOUS_WORD.search(before)
    prev = found.group(1).casefold() if found else ""
    nouns = language in NOUN_CAPITALISING
    while tokens:
        first = tokens[0].casefold()
        particle = tokens[0].islower() and PARTICLE.fullmatch(first)
        function = first in determiners or (bool(determiners) and first in STOPWORDS)
        if function or (particle and len(tokens) > 1):
            prev = tokens.pop(0).casefold()  # "Die Regierung", "In Kiew", "von der Hauptstadt"
        elif nouns and not _acronym(tokens[0]) and (prev in determiners or DIGITS.fullmatch(prev)):
            # "die Region North Teliskwick": a noun first ("der SPD": an acronym stays)
            prev = tokens.pop(0).casefold()
        else:
            break
    return tokens


def _acronym(token: str) -> bool:
    """ "SPD", "AfD", "CDU/CSU": two capitals or more."""
    return sum(1 for c in token if c.isupper()) >= 2


def name_counts(text: str, language: str = "") -> Counter[str]:
    """:func:`names` with how often each occurs."""
    out: Counter[str] = Counter()
    for match in NAME.finditer(text):
        name = match.group(0)
        before = text[max(0, match.start() - 40) : match.start()]
        tokens = _name_words(name, before, language)
        if not tokens:
            continue
        # sentence-initial: keep only multi-word names ("Jens Stoltenberg said"); after a
        # determiner or preposition ("El Gobierno", "In Kiew") the word is capitalised for
        # itself, except in German, where every noun is (but acronyms are names)
        stripped = len(tokens) < name.count(" ") + 1
        german = language in NOUN_CAPITALISING and not tokens[0].isupper()  # "der SPD"
        start = (not stripped or german) and len(tokens) == 1
        if start and SENTENCE_START.search(before[-3:]):
            continue
        key = POSSESSIVE.sub("", " ".join(tokens)).casefold()
        if key in STOPWORDS or len(key) < 3:
            continue
        out[key] += 1
        parts = key.split()
        if len(parts) > 1:
            for part in parts:  # surnames alone match full names
                if len(part) > 3 and part not in STOPWORDS:
                    out[part] += 1
    return out


LEAD_CHARS = 400  # names this early (title, first sentences) say who the article is about


def salient_names(title: str, text: str, language: str = "") -> frozenset[str]:
    """Names in the title or the lead, or said at least twice."""
    counts = name_counts(f"{title}\n{text}" if title else text, language)
    early = names(f"{title}\n{text[:LEAD_CHARS]}" if title else text[:LEAD_CHARS], language)
    return frozenset(n for n, c in counts.items() if c >= 2 or n in early)


NAME_KEY = "@"  # names share the document-frequency table with words, under this prefix
NUMBER_KEY = "#"  # and numbers under this one


@dataclass(slots=True)
class DocFeatures:
    id: str
    vector: np.ndarray  # unit-length embedding
    terms: Counter[str]
    names: frozenset[str]
    numbers: frozenset[str]
    date: dt.date | None
    language: str
    title: str = ""
    source: str | None = None
    title_terms: frozenset[str] = frozenset()
    salient: frozenset[str] = frozenset()  # names in the title or lead, or repeated
    weekdays: frozenset[int] = frozenset()  # days an undated article says things happened on
    # the date comes from metadata (a feed, a header, the page, the URL), not from reading
    # the text, which can be years off (a birth date, a past event): merge checks trust
    # only such dates with a window (see newsfold.events.ClusterConfig.merge_window_days)
    date_sure: bool = False
    # an event read as one article (merge checks): some of the dates behind ``date`` were
    # read from a text, so its dates are not all sure (the time prior's cap_sure)
    date_mixed: bool = False

    def keys(self) -> set[str]:
        """Everything counted in the document frequencies: words, names, numbers."""
        out = set(self.terms)
        out.update(NAME_KEY + n for n in self.names)
        out.update(NUMBER_KEY + n for n in self.numbers)
        return out


def doc_features(
    doc_id: str,
    title: str,
    text: str,
    vector: np.ndarray,
    date: dt.date | None,
    language: str,
    source: str | None = None,
    date_sure: bool = False,
) -> DocFeatures:
    """An article's features. ``date_sure``: ``date`` comes from metadata (or a dateline
    trusted as such), not the text; the dateline's date is then no numbers."""
    if source:  # the outlet naming itself ("told the Telerian Voice") says nothing of the happening
        title, text = without_outlet(title, source), without_outlet(text, source)
    full = f"{title}\n{text}" if title else text
    title_terms = terms(title)
    body_terms = terms(full)
    body_terms.update(title_terms)  # the headline says what happened: count it twice
    return DocFeatures(
        id=doc_id,
        vector=vector,
        terms=body_terms,
        names=names(full, language),
        numbers=numbers(full, dateline_date=not (date is not None and date_sure)),
        date=date,
        language=language,
        title=title,
        source=source,
        title_terms=frozenset(title_terms),
        salient=salient_names(title, text, language),
        # "said on Friday": a partial date, read only when the article has no date
        weekdays=frozenset(WEEKDAY_NUMBERS[d] for d in weekday_mentions(full))
        if date is None
        else frozenset(),
        date_sure=date is not None and date_sure,
    )


@lru_cache(maxsize=4096)
def _outlet_pattern(source: str) -> re.Pattern[str] | None:
    """The outlet's name as it writes it (or in capitals), with a leading "the"; None for a
    domain or a name without a word of its own ("The", "AP" is kept: two capitals)."""
    words = source.split()
    if not words or "." in source or "/" in source:
        return None
    if not any(len(w) >= 2 and w[0].isupper() and w.lower() not in STOPWORDS for w in words):
        return None
    exact = r"\s+".join(re.escape(w) for w in words)
    upper = r"\s+".join(re.escape(w.upper()) for w in words)
    return re.compile(rf"(?:\b(?:[Tt]he|THE)\s+)?(?<!\w)(?:{exact}|{upper})(?!\w)")


_BEFORE_CAPITAL = re.compile(r"[A-Z][\w'’-]*\s+$")


def without_outlet(text: str, source: str) -> str:
    """``text`` with the article's own outlet's name blanked out: as the outlet writes it
    (or in capitals), not as a common word ("the economist Paul Krugman", "tout le monde")
    nor as the end of a longer name ("Michael Bloomberg")."""
    pattern = _outlet_pattern(source.strip())
    if pattern is None or not text:
        return text

    def blank(match: re.Match[str]) -> str:
        if _BEFORE_CAPITAL.search(text, max(0, match.start() - 40), match.start()):
            return match.group(0)
        return " "

    return pattern.sub(blank, text)


@dataclass(slots=True)
class DocumentFrequencies:
    """Streaming document frequencies for TF-IDF; updated one document at a time.

    Words, names (under :data:`NAME_KEY`) and numbers (under :data:`NUMBER_KEY`)
    share one table.
    """

    df: Counter[str] = field(default_factory=Counter)
    n_docs: int = 0

    def add(self, doc_terms: Iterable[str]) -> None:
        self.df.update(set(doc_terms))
        self.n_docs += 1

    def idf(self, term: str) -> float:
        return math.log((1 + self.n_docs) / (1 + self.df.get(term, 0))) + 1.0

    def weigh(self, counts: Mapping[str, float]) -> dict[str, float]:
        """Sublinear tf * idf, L2-normalised."""
        vec = self.raw_weights(counts)
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        return {t: v / norm for t, v in vec.items()}

    def raw_weights(self, counts: Mapping[str, float]) -> dict[str, float]:
        """Sublinear tf * idf, not normalised."""
        return {t: (1.0 + math.log(c)) * self.idf(t) for t, c in counts.items() if c > 0}

    def norm(self, counts: Mapping[str, float]) -> float:
        """L2 norm of :meth:`raw_weights` (what an event caches)."""
        n, df = self.n_docs, self.df
        total = 0.0
        for t, c in counts.items():
            if c > 0:
                w = (1.0 + math.log(c)) * (math.log((1 + n) / (1 + df.get(t, 0))) + 1.0)
                total += w * w
        return math.sqrt(total)


def sparse_cosine(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    dot = sum(v * b.get(t, 0.0) for t, v in a.items())
    na = math.sqrt(sum(v * v for v in a.values()))
    nb = math.sqrt(sum(v * v for v in b.values()))
    return dot / (na * nb) if na and nb else 0.0


def overlap(a: Iterable[str], b: Mapping[str, int] | frozenset[str]) -> float:
    """Share of ``a``'s items also in ``b`` (0 when ``a`` is empty)."""
    items = set(a)
    if not items:
        return 0.0
    return sum(1 for x in items if x in b) / len(items)
