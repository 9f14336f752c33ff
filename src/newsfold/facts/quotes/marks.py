"""Quote marks: pairing them into quote spans (:func:`pair_quotes`), and telling a
quotation from a name or title in quote marks ("Ring of Fire", 'known as the "party of
the year"', '"It is our right to dream" exhibition').

Straight or curly double quotes (mixed pairs accepted), « », „ “, curly and straight
single quotes (an apostrophe between letters never closes one); paired inside a
paragraph, or over a paragraph break to a closing mark opening a later one; tokenised
copy with marks spaced on both sides ('" On sighting ... "') is read too.
"""

from __future__ import annotations

import re
from typing import Any

from newsfold.facts.text import words


def _spaced_open(para: str, i: int) -> bool:
    """Whether a straight quote mark with spaces on both sides (tokenised copy such as
    ECB+: '" On sighting ... escape. "') opens a quote: at the start of a paragraph (a
    quote that may run on), or after a word when the paragraph closes it later; never
    after a comma or a full stop, where it closes one."""
    before = para[:i].rstrip()
    if not para[i + 1 :].strip() or (i and not para[i - 1].isspace()):
        return False  # 'the "heartbeat" bill': a closing mark glued to its word
    if not before:
        return True
    # after a comma or a full stop it closes a quote, unless another mark closes it in
    # the paragraph (' screamed, " No, no, no! " and tried')
    return para.count('"', i + 1) % 2 == 1 and (
        before[-1] not in ",.;!?" or para.count('"', i + 1) == 1
    )


_CURLY_SINGLE = re.compile(r"(?:(?<=^)|(?<=[\s(—–]))‘(?=\w)(?P<c>[^‘’]*?(?:\w’\w[^‘’]*?)*)’(?!\w)")
# 'the brilliant script': opened after a space before a letter, closed after a letter or
# punctuation before a space or punctuation; an apostrophe between letters ("isn't")
# does not close, and three words at least ("the '90s", "the players' union" are not)
_STRAIGHT_SINGLE = re.compile(
    r"(?:(?<=^)|(?<=[\s(—–]))'(?=[A-Za-z])"
    r"(?P<c>(?:[^'\n]|(?<=\w)'(?=\w))+?[\w.,!?])'(?=[\s.,;:!?)—–]|$)"
)


def pair_quotes(text: str) -> list[tuple[int, int]]:
    """(content start, content end) of every quotation."""
    spans: list[tuple[int, int]] = []
    pos = 0
    # a quote left open at the end of a paragraph: [start, end, tentative, paragraphs
    # without quote marks it ran over]; it runs on to a closing mark that opens a later
    # paragraph (over at most two paragraphs without marks: ECB+ copy has a line a
    # sentence). A tentative one (a spaced mark in mid-line, '" had a firearm') is a
    # quote only when closed so.
    carry: list[Any] | None = None
    for para in text.split("\n"):
        base = pos
        pos += len(para) + 1
        open_at: int | None = None
        tentative = False
        first = True
        for m in re.finditer(r"[\"“”„«»]", para):
            i, ch = m.start(), m.group()
            prev = para[i - 1] if i else " "
            nxt = para[i + 1] if i + 1 < len(para) else " "
            is_open = ch in "“„«" or (
                ch == '"' and (prev.isspace() or prev in "([—–-:") and not nxt.isspace()
            )
            if ch == "“" and open_at is not None and text[base + open_at - 1] == "„":
                is_open = False  # German „...“
            if first and carry is not None:
                first = False
                if not is_open and ch in '"”»' and not _spaced_open(para, i):
                    # the quote of the paragraph before runs on to this closing mark
                    spans.append((carry[0], base + i))
                    carry = None
                    continue
            first = False
            if open_at is None:
                tentative = False
                if is_open or (ch == '"' and not nxt.isspace()):
                    open_at = i + 1
                elif ch == '"' and _spaced_open(para, i):
                    open_at = i + 1  # tokenised copy: '" On sighting the helicopter ... "'
                elif (
                    ch == '"'
                    and prev.isspace()
                    and para[i + 1 :].strip()
                    and para[:i].rstrip()[-1:] not in ".;!?"
                    and '"' not in para[i + 1 :]
                ):
                    open_at, tentative = i + 1, True  # 'The man " had a firearm with him.'
            elif ch == '"' and is_open and re.search(r"[.!?]\s+$", para[open_at:i]):
                # 'Newspaper,. Adams' family has subscribed since 1970. "It has': a quote
                # opening after a sentence while one is open -- the first one never closed
                spans.append((base + open_at, base + len(para[:i].rstrip())))
                open_at = i + 1
            elif not is_open or ch == '"':
                spans.append((base + open_at, base + i))
                open_at = None
            else:
                open_at = i + 1
        for rx in (_CURLY_SINGLE, _STRAIGHT_SINGLE):
            for m in rx.finditer(para):
                a, b = base + m.start("c"), base + m.end("c")
                inside_open = open_at is not None and base + open_at <= a
                if not inside_open and not any(x <= a < y or a <= x < b for x, y in spans):
                    spans.append((a, b))
        if carry is not None:
            if not para.strip():
                continue  # a blank line: the open quote may still close after it
            if first and carry[3] < 2:
                carry[1], carry[3] = base + len(para.rstrip()), carry[3] + 1
                continue  # a line without quote marks: the quote may run on
            if not carry[2] and len(text[carry[0] : carry[1]].split()) >= 8:
                spans.append((carry[0], carry[1]))
        carry = None
        if open_at is not None:
            carry = [base + open_at, base + len(para.rstrip()), tentative, 0]
    if carry is not None and not carry[2] and len(text[carry[0] : carry[1]].split()) >= 8:
        spans.append((carry[0], carry[1]))
    return sorted(spans)


_TITLE_SMALL = words("a an the of and or in on at to for from by with as de la le du des")


def _title_like(content: str) -> bool:
    """Whether a quote's words look like a title or a name (every word capitalised but
    small words, up to eight words, no sentence punctuation): "Ring of Fire"."""
    ws = content.split()
    if not 2 <= len(ws) <= 12 or re.search(r"[!?,;:]\W*$|[.!?;]\s", content):
        return False
    caps = [w for w in ws if w[:1].isupper()]
    return len(caps) >= 2 and all(w[:1].isupper() or w.lower() in _TITLE_SMALL for w in ws)


_TITLE_NOUNS = words(
    "exhibition exhibit campaign bill song album film movie show series book novel play "
    "event festival slogan initiative programme program project operation tour award "
    "motto hashtag brand label law act policy doctrine plan strategy movement concert "
    "reaction"
)
_NAMED_BEFORE = re.compile(
    r"(?:\btheme(?:\s+is)?|\btitled|\bentitled|\bdubbed|\bnicknamed|\bso-called|\bknown\s+as"
    r"|\bslogans?(?:\s+like)?|\bmotto|\bhashtag|\bbanner|\bsigns?\s+reading|\bthe\s+phrase"
    r"|\btranslates?\s+(?:as|to)|\bmeaning|\bchants?(?:\s+(?:of|like|included))?)(?:\s+(?:the|a|of))?\s*[,:]?\s*[\"“«]?$",
    re.I,
)


def _named_thing(text: str, a: int, b: int, content: str) -> bool:
    """Whether a short quote names something rather than quoting someone: a name before
    a noun ('"It is our right to dream" exhibition'), or after a label ('the theme:
    "Who is L.A. 2020?"', 'known as the "party of the year"')."""
    if len(content.split()) > 8:
        return False
    after = re.match(r"[\"”»’]?\s+([a-z]+)", text[b : b + 30])
    if after and after.group(1) in _TITLE_NOUNS and not re.search(r"[.!?,;:]$", content):
        return True
    return bool(_NAMED_BEFORE.search(text[max(0, a - 40) : a]))
