"""Quotations: direct quotes between quote marks and reported speech.

Quote marks are paired into spans (:mod:`.marks`); a span is a quotation unless it is
under three words or a name or title in quote marks. Its speaker is read from the
attribution right after or before it (:mod:`.attribution`, resolved to a person, body or
place by :mod:`.speakers` with the names of :mod:`.names`), else carried over from the
quote, sentence or paragraph before (:mod:`.context`). Other languages (no NER) read
names next to speech verbs (:mod:`.intl`). Reported speech: :mod:`.reported`. The order
in which the rules are tried: :mod:`.extract`.

The rules in full, with the round-by-round tuning log: docs/quotes-rules.md.
"""

from newsfold.facts.quotes.extract import extract_quotes
from newsfold.facts.quotes.intl import INTL_VERBS
from newsfold.facts.quotes.marks import pair_quotes
from newsfold.facts.quotes.speakers import UNNAMED
from newsfold.facts.quotes.verbs import VERBS

__all__ = ["INTL_VERBS", "UNNAMED", "VERBS", "extract_quotes", "pair_quotes"]
