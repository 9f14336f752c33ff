"""Find numbers in text: digits with separators, scientific notation,
fractions, multipliers ("1.5 million", "$2bn"), spelled-out numbers (via
text2num), vague plurals ("thousands of"), and ranges ("between 40 and 50",
"10-20", "3 to 4 L").

This module knows nothing about what is counted (see ``quantities``). It drops
what is not a quantity: dates and years, times of day, ages ("33-year-old"),
ordinals, phone numbers, URLs and handles (also written with spaces, as tokenised
copy has them), codes or model names ("S-400", "F-16", "L2", "06F6", "AK 47"),
calibres ("7.62mm rifles"), ages after names ("Smith, 52,"), police addresses ("the
100 block of"), 24-hour clock times ("1100 hrs"), scores and records (a falling pair
"26-7", "17-21-3"), dotted dates ("12.04.20") and stats written as fractions whose
numerator is not smaller ("39/10", "24/7").

Choices (documented, not tuned per sentence):
- A range keeps both ends (``value``, ``value_max``); "from 44 to 50" after a
  change verb ("rose from 42 to 45") is two numbers, not a range.
- An amount in parentheses is not negative: in news "(US$2 billion)" is a
  conversion, not accounting notation.
- "one" alone is ``weak``: it is kept only when it counts something.
- Vague plurals ("thousands", "several hundred") are lower bounds: thousands
  = 2,000 or more.
- In languages that write decimal commas, a comma followed by exactly three
  digits is a thousands separator ("2,000 productos"): news copy from English and
  Latin American Spanish write them so, and three-decimal figures are rare.
- Other languages: a plain four-digit number from 1900 to 2100 is a year, and
  times ("14 h", "19 Uhr"), ages ("21enne") and month numbers ("4/2020") are masked.
"""

from __future__ import annotations

import math
import re
import unicodedata

from newsfold.facts.model import NumberMention
from newsfold.facts.spelled import T2N_LANGS, vague_mentions, word_mentions
from newsfold.facts.text import SpanSet, words

# Languages that write 1.234,5 (or 1 234,5); the rest write 1,234.5.
COMMA_DECIMAL = words(
    "de fr es it pt nl tr pl ru uk cs sk sl hr sr bs bg ro hu el sv da no nb fi et lv lt "
    "id vi az ka kk be ca gl eu is sq mk"
)

CURRENCY_NAMES = {
    "$": "dollars", "us$": "dollars", "usd": "dollars", "a$": "dollars", "au$": "dollars",
    "c$": "dollars", "ca$": "dollars", "hk$": "dollars", "nz$": "dollars", "s$": "dollars",
    "£": "pounds", "gbp": "pounds", "€": "euros", "eur": "euros", "¥": "yen", "jpy": "yen",
    "₹": "rupees", "rs": "rupees", "rs.": "rupees", "₽": "rubles", "₴": "hryvnias",
    "₺": "lira", "₩": "won", "₪": "shekels", "chf": "francs", "r$": "reais",
}  # fmt: skip
_CUR = (
    r"US\$|USD\s?|A\$|AU\$|C\$|CA\$|HK\$|NZ\$|S\$|R\$|\$|£|€|¥|₹|₽|₴|₺|₩|₪"
    r"|EUR\s?|GBP\s?|JPY\s?|CHF\s?|Rs\.?\s?"
)
_VF = "¼½¾⅐⅑⅒⅓⅔⅕⅖⅗⅘⅙⅚⅛⅜⅝⅞"
_NUM = {
    # 1,234.5 | 10 000 (space groups) | 1234.5 | .5
    "en": r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d{1,3}(?:[ \u00a0\u202f\u2009]\d{3})+(?![\d,.]?\d)"
    r"|\d+(?:\.\d+)?|\.\d+",
    # 1.234,5 | 10 000,5 | 1234,5
    "eu": r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d{1,3}(?:,\d{3})+(?![\d.,]?\d)"
    r"|\d{1,3}(?:[ \u00a0\u202f\u2009]\d{3})+(?:,\d+)?(?![\d.]?\d)|\d+(?:,\d+)?",
}
_MULT_WORDS = {
    "hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12,
    "mn": 1e6, "mln": 1e6, "bn": 1e9, "bln": 1e9, "tn": 1e12,
    "k": 1e3, "m": 1e6, "b": 1e9, "t": 1e12,
    "tausend": 1e3, "mil": 1e3, "mille": 1e3, "mio": 1e6, "mrd": 1e9, "mld": 1e9,
}  # fmt: skip
_MULT_ALIASES = {
    "millionen": "million", "millones": "million", "millón": "million", "milioni": "million",
    "milhões": "million", "milliard": "billion", "milliarde": "billion",
    "milliarden": "billion", "miliardi": "billion", "milione": "million", "miliardo": "billion",
    "milhão": "million", "bilhão": "billion", "bilhões": "billion", "milliards": "billion",
}  # fmt: skip
_MULT = (
    r"[\s-]?(?:hundred|thousand|million|billion|trillion)s?\b|\s?(?:mn|bn|mln|bln|tn)\b"
    r"|[kKMBT](?![A-Za-z\d])"
    r"|\s?(?:[Mm]ill(?:ion|ions|ionen|ones|ón|oni|ões)|[Mm]illiard(?:s|e|en|i)?|[Mm]rd\.?|[Mm]ld\.?"
    r"|[Mm]ilion[ei]|[Mm]iliard[oi]|[Mm]ilh(?:ão|ões)|[Bb]ilh(?:ão|ões)"
    r"|[Mm]io\.?|[Tt]ausend|mil|mille)(?![^\W\d_])"
)


def _digit_re(style: str) -> re.Pattern[str]:
    return re.compile(
        r"(?<![\w.,^/\\])"
        r"(?:(?P<sign>[-−])(?=[\d.$£€¥]))?"
        rf"(?P<cur>{_CUR})?(?P<sign2>[-−])?"
        rf"(?:(?P<num>{_NUM[style]})(?P<vf>[{_VF}])?|(?P<vfonly>[{_VF}]))"
        r"(?P<exp>[eE][-+−]?\d+(?![\w.])|\s?[×x*]\s?10(?:\^|\*\*)[-−]?\d+|\s?[×x]\s?10[-−]\d+"
        r"|[×x](?P<base>\d+)\^(?P<bexp>\d+))?"
        r"(?P<frac>\s\d+/\d+(?![\d/])|/\d+(?![\d/]))?"
        r"(?P<pm>\s?(?:\+/-|±)\s?\d+(?:\.\d+)?(?:[eE][-+−]?\d+)?)?"
        rf"(?P<mult>{_MULT})?"
        r"(?P<pct>\s?%|\s?per\s?cent\b|\s?percent\b)?"
        r"(?P<curpost>\s?[€£$¥₽₴])?"
    )


_DIGITS = {"en": _digit_re("en"), "eu": _digit_re("eu")}

_MASKS = [
    # links, e-mail addresses, handles (only run when _HAS_LINK finds one of their marks)
    re.compile(r"https?://\S+|www\.\S+|(?<![\w.+-])[\w.+-]+@[\w-]+\.[\w.]+|[@#]\w+"),
    # codes and model names: letters then digits ("S-400", "F-16", "L2", "km2", "COVID-19")
    re.compile(r"[A-Za-z](?<![\w$€£¥][A-Za-z])[A-Za-z.]*[-−/^]?\d[\w.+−-]*"),
    re.compile(
        r"0(?<![\w.,]0)(?<!\d[ \u00a0\u202f\u2009]0)\d+\w*"
    ),  # leading zero: codes, not amounts
    re.compile(r"\d(?<![\w.,]\d)\d*(?:st|nd|rd|th)\b"),  # ordinals
    re.compile(r"\d(?<!\w\d)\d*[-\s](?:year|yr|month|week|day)s?[-\s]olds?\b", re.I),  # ages
    re.compile(r"[Aa](?<!\w[Aa])ged?\s+\d+\b"),
    re.compile(r"\d(?<![\d.,]\d)\d?(?:[:.]\d{2}(?!\d))?\s?(?i:a\.m\.|p\.m\.|am\b|pm\b|o'clock)"),
    re.compile(r"\d(?<![\d.,:]\d)\d?:\d{2}(?::\d{2})?(?![\d:])"),  # 14:30
    # "four in the morning", "10 at night"
    re.compile(
        r"(?=\d|(?i:[otfsen]))\b(?:\d{1,2}(?:[:.]\d{2})?|(?i:one|two|three|four|five|six|seven"
        r"|eight|nine|ten|eleven"
        r"|twelve))\s+(?i:in\s+the\s+(?:morning|afternoon|evening)|at\s+night)\b"
    ),
    re.compile(r"\+\d{1,3}[\s.-]?\(?\d{1,4}\)?(?:[\s.-]?\d{2,4}){2,}"),  # phone numbers
    re.compile(
        r"(?=[\d(])(?:(?<![\d,])\(?\d{3}\)?[.-]\d{3}[.-]\d{4}(?!\d)|\(\d{3}\)\s?\d{3}[.-]\d{4})"
    ),
    # street addresses: "24 Independent Street"
    re.compile(
        r"\d(?<!\w\d)\d*[A-Za-z]?\s+(?:[A-Z][\w.'-]*\s+){1,3}(?:Street|St\.|Road|Rd\.|Avenue|Ave\."
        r"|Boulevard"
        r"|Blvd\.|Lane|Drive|Place|Square|Highway)\b"
    ),
    # ids: long digit runs without separators
    re.compile(r"\d(?<![\w.,]\d)\d{7,}(?![\d.,]\d)"),
    # URLs written with spaces, as tokenised copy has them: "http: / / www. x. com / 874560"
    re.compile(r"h(?<!\wh)ttps?\s?:\s?/\s?/[^\n]*"),
    # win-loss records and standings: "17-21-3", "(24-11-4"
    re.compile(r"\d(?<![\w.,-]\d)\d{0,2}-\d{1,3}(?:-\d{1,3})+(?![\w.,-]?\d)"),
    # dotted dates and shot lists: "12.04.20", "9.10.BERLIN"
    re.compile(r"\d(?<![\w.,]\d)\d*\.\d+\.(?:\d+\.?)*(?=[\w.])"),
    # ages of a span of years: "13-17 year olds", "45 to 54-year-olds"
    re.compile(r"\d(?<!\w\d)\d*\s?(?:[-–]|to|and)\s?\d+[-\s](?:year|yr)s?[-\s]olds?\b", re.I),
    # ages after names: "Isabel Arreola, 38, said", "Smith, 52, was arrested"
    re.compile(r"[A-Z](?<!\w[A-Z])[a-z’'-]+,\s\d{1,2},(?!\d)"),
    # police addresses: "the 100 block of Aupuni Street"
    re.compile(r"\d(?<!\w\d)\d*\s+block\s+of\b", re.I),
    # clock times on a 24-hour clock: "1100 hrs", "01: 19 hrs"
    re.compile(r"\d(?<![\d.,]\d)(?:\d?:\s?\d{2}|\d{3})\s?(?:hrs|hours)\b(?!\s+(?:of|a|per))"),
    # calibres: "7.62mm rifles", "5.56mm and a 7.62mm rifles", "155mm artillery shells"
    re.compile(
        r"\d(?<![\d.,]\d)\d{0,2}(?:\.\d{1,2})?\s?mm\b(?=(?:\s+(?:and|or)\s+(?:an?\s+)?\d{1,3}"
        r"(?:\.\d{1,2})?\s?mm)?\s+(?:[a-z-]+\s+)?(?:rifles?|guns?|pistols?|rounds?|ammunition"
        r"|cartridges?|calibre|caliber|cannons?|mortars?|artillery|howitzers?|shells?|bullets?))"
    ),
    # model names written with a space: "AK 47 rifles" (not "US 30", "UK 5")
    re.compile(
        r"(?=[A-Z])\b(?!(?:US|UK|EU|UN|UAE|USA)\b)[A-Z]{2,3}\s\d{1,3}(?=\s+[a-z]+s\b)"
        r"(?!\s+(?:percent|per))"
    ),
]
# The first mask matches only where one of these is written: most texts skip it.
_HAS_LINK = re.compile(r"[@#]|http|www\.")
_MASKS_NO_LINK = _MASKS[1:]
# (Masks that start with a look-behind or \b start instead with the character class
# that must come first and look behind from there: re then skips ahead to that
# character instead of trying every position, about 3 times faster.)
_MONTHS_INTL = (
    "januar|jänner|februar|märz|april|mai|juni|juli|august|september|oktober|november|dezember"
    "|janvier|février|mars|avril|juin|juillet|août|septembre|octobre|novembre|décembre"
    "|enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre"
    "|diciembre|gennaio|febbraio|aprile|maggio|giugno|luglio|settembre|ottobre|dicembre"
    "|janeiro|fevereiro|março|maio|junho|julho|setembro|outubro|novembro|dezembro"
    "|januari|februari|maart|mei|augustus"
    # abbreviations: "30 dic", "3 févr.", "12 Okt."
    "|gen|feb|mar|apr|mag|giu|lug|ago|set|ott|nov|dic|ene|abr|jun|jul|sep|sept|oct|janv|févr"
    "|avr|juil|déc|jän|mär|okt|dez"
)
_DATE_INTL = re.compile(
    rf"\d(?<![\d.,]\d)\d?\.?[º°]?\s+(?:de\s+)?(?:{_MONTHS_INTL})\b\.?(?:\s+(?:de\s+)?\d{{4}})?",
    re.I,
)
# other languages: times of day ("14 h", "14h30", "19 Uhr"), ages ("21enne",
# "33-jährige"), issue and month numbers ("4/2020")
_MASKS_INTL = [
    re.compile(r"\d(?<![\d.,]\d)(?:\d?(?:[.:h]\d{2})?\s?(?:h\b|Uhr\b)|\d?h\d{2}\b)"),
    re.compile(r"\d(?<!\w\d)\d{0,2}[- ]?(?:enn[ei]|j[äa]hrig\w*)\b", re.I),
    re.compile(r"\d(?<![\d/]\d)\d?/(?:19|20)\d{2}(?![\d/])"),
]
_CHANGE_VERBS = re.compile(
    r"\b(?:rose|risen|rise|rises|rising|fell|fallen|fall|falls|increas\w*|decreas\w*|reduc\w*"
    r"|dropp?\w*|climb\w*|jump\w*|gr[eo]w\w*|cut|rais\w*|lower\w*|declin\w*|surg\w*|soar\w*"
    r"|plung\w*|slipp?\w*|went|gone|chang\w*|mov\w*|up|down|revised|swell\w*|doubl\w*)\b"
    r"[^.;]{0,40}$",
    re.I,
)
DATE_PREPS = words(
    "in since by until till from of during before after early late mid between through to "
    "and circa around the a an its their his her our this that year"
)
_FUNCTION_AFTER = words(
    "in on at to and or but when while as after before alone onwards until the a an was "
    "were is are had has have with by for from that which who saw "
    # a year as a subject: "2020 will be", "2019 won't be"
    "will would won't wouldn't can can't could may might must should did didn't wasn't "
    "isn't"
)


# "a 26-7 record", "won 5-2": a range never runs downwards, so a falling pair of whole
# numbers joined by a hyphen is a score or a tally
_PAIR = re.compile(r"(\d(?<![\w.,-]\d)\d{0,2})[-–](\d{1,3})(?![\w.,%-]?\d|%|\s?per\s?cent)")


def mask_spans(text: str) -> list[tuple[int, int]]:
    """Spans that are never quantities (codes, times, phones, ages, scores...)."""
    out = [
        (m.start(), m.end())
        for pat in (_MASKS if _HAS_LINK.search(text) else _MASKS_NO_LINK)
        for m in pat.finditer(text)
    ]
    if "-" in text or "–" in text:
        out += [
            (m.start(), m.end()) for m in _PAIR.finditer(text) if int(m.group(2)) < int(m.group(1))
        ]
    return out


def _parse_num(s: str, style: str) -> float:
    s = re.sub(r"[ \u00a0\u202f\u2009]", "", s)
    if style == "eu" and re.fullmatch(r"\d{1,3}(?:,\d{3})+", s):
        # "2,000 productos", "$111,000": exactly three digits after the comma read as
        # thousands (Latin American Spanish and copy from English write them so); a
        # decimal with three places ("2,500 km" = 2.5) is rare in news
        return float(s.replace(",", ""))
    s = s.replace(".", "").replace(",", ".") if style == "eu" else s.replace(",", "")
    return float(s)


def _digit_mentions(text: str, style: str) -> list[NumberMention]:
    out: list[NumberMention] = []
    for m in _DIGITS[style].finditer(text):
        g = m.groupdict()
        try:
            if g["vfonly"]:
                value = unicodedata.numeric(g["vfonly"])
            else:
                value = _parse_num(g["num"], style)
                if g["vf"]:
                    value += unicodedata.numeric(g["vf"])
        except ValueError:
            continue
        end = m.end()
        cur = (g["cur"] or g["curpost"] or "").strip().lower() or None
        if g["exp"]:
            e = g["exp"].replace("−", "-").strip()
            try:
                if g["base"]:
                    value *= float(g["base"]) ** float(g["bexp"])
                else:
                    value *= 10.0 ** float(re.split(r"10(?:\^|\*\*)?|[eE]", e, maxsplit=1)[1])
            except OverflowError:
                continue
        if g["frac"]:
            num, den = (
                (float(x) for x in g["frac"].strip().lstrip("/").split("/"))
                if " " in g["frac"]
                else (value, float(g["frac"][1:]))
            )
            if den == 0:
                continue
            if g["frac"].startswith("/"):
                if value >= den and value == int(value) and den == int(den):
                    continue  # "39/10", "24/7", "5/0": a stat or a ratio, not a fraction
                value = value / den
            elif num < den:
                value += num / den
            else:
                end = m.start("frac")
        mult = g["mult"]
        if mult:
            raw = mult.strip(" -\t\u00a0").lower()
            key = raw.rstrip(".s") or raw
            key = _MULT_ALIASES.get(raw) or _MULT_ALIASES.get(key, key)
            if key.startswith("mill") and key not in _MULT_WORDS:
                key = "million"
            factor = _MULT_WORDS.get(key)
            if factor is None or (len(mult.strip()) == 1 and mult.strip() in "MBTmbt" and not cur):
                end = m.start("mult")
            else:
                value *= factor
        if (g["sign"] or g["sign2"]) and not (
            g["sign"] and m.start() > 0 and text[m.start() - 1].isdigit()
        ):
            value = -value
        if not math.isfinite(value):
            continue
        core_s, core_e = (
            (m.start("num"), m.end("num")) if g["num"] else (m.start("vfonly"), m.end("vfonly"))
        )
        out.append(
            NumberMention(
                start=m.start(),
                end=end,
                value=value,
                num_start=core_s,
                num_end=core_e,
                currency=CURRENCY_NAMES.get(cur) if cur else None,
                percent=bool(g["pct"]),
                plain_int=bool(
                    g["num"]
                    and g["num"].isdigit()
                    and not (
                        g["cur"] or g["curpost"] or g["mult"] or g["pct"] or g["exp"] or g["frac"]
                    )
                ),
            )
        )
    return out


def _is_year(text: str, n: NumberMention, english: bool = True) -> bool:
    if not n.plain_int or not 1000 <= n.value <= 2100 or n.end - n.start != 4:
        return False
    if not english:
        return 1900 <= n.value <= 2100  # counts are written 2.000 / 2 000 there
    before = re.findall(r"[\w']+", text[max(0, n.start - 30) : n.start])
    prev = before[-1].lower() if before else ""
    after = text[n.end : n.end + 30]
    nxt = re.match(r"\s*([\w']+)", after)
    if prev in DATE_PREPS or prev.endswith("'s") or not nxt:
        return True
    word = nxt.group(1)
    if not 1900 <= n.value <= 2100:
        return False
    return word[0].isupper() or word.lower() in _FUNCTION_AFTER or word[0].isdigit()


def _merge_ranges(text: str, ms: list[NumberMention]) -> list[NumberMention]:
    out: list[NumberMention] = []
    i = 0
    while i < len(ms):
        a = ms[i]
        if i + 1 < len(ms):
            b = ms[i + 1]
            r = _as_range(text, a, b)
            if r is not None:
                out.append(r)
                i += 2
                continue
        out.append(a)
        i += 1
    return out


def _as_range(text: str, a: NumberMention, b: NumberMention) -> NumberMention | None:
    if a.weak or b.weak or a.vague or b.vague or a.value == b.value:
        return None
    gap = text[a.end : b.start]
    m = re.fullmatch(r"(?P<u>[^\d\n]{0,15}?)\s*(?P<sep>-?\s*to|[-–—]|and)\s*", gap)
    if not m:
        return None
    sep, unit = m.group("sep").replace(" ", ""), m.group("u").strip()
    if (a.currency or b.currency) and a.currency != b.currency and a.currency and b.currency:
        return None
    before = text[max(0, a.start - 60) : a.start]
    start = a.start
    if sep == "and":
        bm = re.search(r"\bbetween\s+(?:about\s+|some\s+|roughly\s+)?$", before, re.I)
        if not bm:
            return None
        start = a.start - (len(before) - bm.start())
    if sep in ("-", "–", "—") and (
        unit
        or " " in gap.strip()
        or b.value < a.value
        or (a.plain_int and b.plain_int and _looks_score(text, a, b))
    ):
        return None
    if unit:
        after = text[b.end : b.end + len(unit) + 2].strip()
        if not after.lower().startswith(unit.lower()) and not (unit in "$€£" and b.currency):
            return None
    fm = re.search(r"\bfrom\s+$", before, re.I)
    if sep.endswith("to") and fm and _CHANGE_VERBS.search(before[: fm.start()]):
        return None  # "rose from 42 to 45": two values, not a range
    av = a.value
    if (
        b.value >= 1000
        and av < b.value / 100
        and not a.words
        and text[a.num_start : a.num_end].replace(".", "").isdigit()
    ):
        # "$10-20 million": the multiplier belongs to both ends
        for f in (1e3, 1e6, 1e9, 1e12):
            if (
                av * f <= b.value
                and b.value / f < 1000
                and (b.value / f) == int(b.value / f)
                and re.search(
                    r"(?i)thousand|million|billion|trillion|bn|bln|mn|mln|[kmbt]\b",
                    text[b.num_end : b.end],
                )
            ):
                av *= f
                break
    lo, hi = min(av, b.value), max(av, b.value)
    return NumberMention(
        start=start,
        end=b.end,
        value=lo,
        value_max=hi,
        num_start=b.num_start,
        num_end=b.num_end,
        currency=a.currency or b.currency,
        percent=a.percent or b.percent,
        words=a.words and b.words,
    )


def _looks_score(text: str, a: NumberMention, b: NumberMention) -> bool:
    return (
        a.value < 20
        and b.value < 20
        and bool(
            re.search(
                r"\b(?:won|lost|beat|score|draw|defeat)", text[max(0, a.start - 40) : a.start], re.I
            )
        )
    )


def find_number_mentions(
    text: str, lang: str = "en", extra_masks: list[tuple[int, int]] | None = None
) -> list[NumberMention]:
    """All numbers in ``text`` that may be quantities, sorted by position."""
    lang2 = (lang or "en")[:2].lower()
    style = "eu" if lang2 in COMMA_DECIMAL else "en"
    masks = mask_spans(text) + list(extra_masks or [])
    if lang2 != "en":
        masks += [(m.start(), m.end()) for m in _DATE_INTL.finditer(text)]
        masks += [(m.start(), m.end()) for pat in _MASKS_INTL for m in pat.finditer(text)]
    masked = SpanSet(masks)
    digits = [
        n for n in _digit_mentions(text, style) if not masked.overlaps(n.num_start, n.num_end)
    ]
    vague = vague_mentions(text) if lang2 == "en" else []
    taken_set = SpanSet([(n.start, n.end) for n in digits + vague])
    words = [
        n
        for n in (word_mentions(text, lang2) if lang2 in T2N_LANGS else [])
        if not taken_set.overlaps(n.start, n.end) and not masked.overlaps(n.start, n.end)
    ]
    all_ = sorted(digits + vague + words, key=lambda n: n.start)
    all_ = _merge_ranges(text, all_)
    return [n for n in all_ if not _is_year(text, n, lang2 == "en")]
