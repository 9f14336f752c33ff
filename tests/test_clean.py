"""Unit tests for newsfold.clean, on small inline texts."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsfold.clean import (
    Cleaned,
    clean,
    detect_language,
    first_sentence_title,
    looks_like_headline,
    normalise_outlet,
)
from newsfold.models import RawDocument

BODY_1 = (
    "The finance ministry said on Tuesday that the new budget would raise spending on "
    "schools and hospitals by four percent next year."
)
BODY_2 = (
    "Opposition parties criticised the plan, saying it relied on optimistic forecasts for "
    "growth and did too little to reduce the deficit."
)


def doc(text: str, **fields: object) -> RawDocument:
    return RawDocument(id="t", path="t.txt", format="txt", raw=text, text=text, **fields)  # type: ignore[arg-type]  # test helper passes optional fields through


def run(text: str, **fields: object) -> Cleaned:
    return clean(doc(text, **fields))


# --------------------------------------------------------------------------- repair


def test_mojibake_is_repaired() -> None:
    out = run("Headline here\n\nBu gÃ¼nlÃ¼k bir rapor ve herkes bunu okumalÄ±.")
    assert "günlük" in out.text
    assert "okumalı" in out.text


def test_white_space_and_invisible_characters_are_normalised() -> None:
    out = run("Budget\u00a0plan  passes\r\n\r\nThe\u200b vote  was\tclose, officials said today.\r")
    assert out.title == "Budget plan passes"
    assert out.text == "The vote was close, officials said today."


def test_hard_wrapped_lines_are_joined_and_paragraphs_kept() -> None:
    text = (
        "The finance ministry said on Tuesday that the new budget would\n"
        "raise spending on schools and hospitals by four percent next\n"
        "year.\n\n" + BODY_2
    )
    out = run(text)
    assert out.text.split("\n\n")[1] == BODY_2
    assert "would raise spending on schools and hospitals by four percent next year." in out.text


def test_a_single_lower_case_line_is_not_joined_to_the_title() -> None:
    out = run(f"Alluvione a Sarrella, il bilancio sale a 13 morti\ndi Chiara Valli ·\n\n{BODY_1}")
    assert out.title == "Alluvione a Sarrella, il bilancio sale a 13 morti"
    assert out.removed == ["di Chiara Valli ·"]


def test_kicker_above_a_repeated_given_title_is_removed() -> None:
    out = run(f"Politics\nBudget plan passes\n\n{BODY_1}", title="Budget plan passes")
    assert out.text == BODY_1
    assert out.removed == ["Politics"]


def test_headline_cut_by_ingest_is_mended() -> None:
    out = run(f"; analysts eye counter-offer\n\n{BODY_1}", title="Shares jump 27% on bid")
    assert out.title == "Shares jump 27% on bid; analysts eye counter-offer"
    assert out.text == BODY_1


# --------------------------------------------------------------------------- boilerplate

BOILERPLATE = [
    "Skip to content",
    "Follow Army Recognition on Google News at this link",
    "CLICK HERE TO READ MORE FROM THE WASHINGTON EXAMINER",
    "Categorized in:",
    "Categorized in: World, Weather",
    "Tags: budget, schools",
    "Subscribe to our newsletter for daily world news in your inbox.",
    "Suscríbase a nuestro boletín para recibir las noticias más importantes.",
    "Share this article | Follow us | Subscribe to our newsletter",
    "We use cookies to improve your experience on our site.",
    "Read more: Budget talks stall again",
    "Related:",
    "Advertisement",
    "Not all news on the site expresses the point of view of the site, but we transmit this "
    "news automatically and translate it through programmatic technology on the site and not "
    "from a human editor.",
    "[Automatic translation] This text was translated from Telerian by machine translation. "
    "In case of doubt, the Telerian original prevails.",
    "(Machine translation) The original article is in German.",
    "This article was translated from Spanish by machine translation.",
    "[Traduction automatique] Ce texte a été traduit de l'allemand.",
    "Maschinelle Übersetzung: Dieser Text wurde automatisch aus dem Englischen übersetzt.",
    "S-400 air defense system (Picture source: Russian MoD)",
    "(Fuente de la imagen: Orbis Lens)",
    "Photo: Reuters",
    "© 2025 Nordvik Courier",
    "Hinweis: Dieser Artikel erscheint auch in unserer gedruckten Ausgabe.",
    "Published Tuesday (3/4/2025) by the Eastgate Times world desk",
    "By Elin Haug",
    "Von unserer Korrespondentin Greta Vollmer, Ostrel",
]


@pytest.mark.parametrize("line", BOILERPLATE)
def test_boilerplate_line_is_removed(line: str) -> None:
    out = run(f"Budget plan passes\n\n{BODY_1}\n\n{line}\n\n{BODY_2}")
    assert line not in out.text
    assert line in out.removed
    assert BODY_1 in out.text and BODY_2 in out.text


REAL_SENTENCES = [
    "The minister said the treaty was translated into six languages by the weekend.",
    "Machine translation firms have won contracts from three ministries this year.",
    "Maschinelle Übersetzung ist in den letzten Jahren deutlich besser geworden, sagt sie.",
    "Traduction automatique : l'Union européenne investit 10 millions d'euros dans la recherche.",
    "Traduzione automatica e intelligenza artificiale al centro del vertice di Roma.",
    "This story was translated from the Ukrainian original by our correspondent, who spoke to "
    "soldiers with automatic rifles at the front.",
    "Russian officials deny that an invasion is planned.",
    "By the end of the week, the ministry had published three revised forecasts.",
    "Related to the budget, the minister also announced a review of pension rules.",
    "Photographers gathered outside the ministry as the minister arrived.",
    "Readers who subscribe to the paper's print edition will receive a special supplement.",
    "The agency said it would share the data with regional governments on Friday.",
]


@pytest.mark.parametrize("sentence", REAL_SENTENCES)
def test_real_sentences_survive(sentence: str) -> None:
    out = run(f"Budget plan passes\n\n{BODY_1}\n\n{sentence}\n\n{BODY_2}")
    assert sentence in out.text
    assert out.removed == []


def test_subheading_followed_by_body_stays() -> None:
    out = run(f"Budget plan passes\n\n{BODY_1}\n\nAlleged accounting errors\n\n{BODY_2}")
    assert "Alleged accounting errors" in out.text.split("\n\n")


def test_caption_line_above_picture_credit_is_removed() -> None:
    text = (
        f"Budget plan passes\n\n{BODY_1}\n\nEastgate Global Politics news\n"
        f"The minister at the podium (Picture source: Finance Ministry)\n\n{BODY_2}"
    )
    out = run(text)
    assert out.removed == [
        "Eastgate Global Politics news",
        "The minister at the podium (Picture source: Finance Ministry)",
    ]


def test_repeated_short_lines_and_duplicate_paragraphs() -> None:
    desk = "Daily politics desk"
    text = f"Budget plan passes\n\n{desk}\n\n{BODY_1}\n\n{desk}\n\n{BODY_1}"
    out = run(text)
    assert out.text == BODY_1
    assert out.removed == ["Daily politics desk", "Daily politics desk", BODY_1]


def test_tweet_embed_repeating_a_quote_is_removed_but_a_new_one_stays() -> None:
    quote = "We call on Minsk to refrain from playing along with destabilising activities."
    body = f'"{quote}" the spokesman wrote on Twitter, in a post seen by many.'
    tweet = f"{quote} — Oleg Nikolenko (@OlegNikolenko_) February 3, 2022"
    out = run(f"Budget plan passes\n\n{body}\n\n{tweet}\n\n{BODY_2}")
    assert tweet in out.removed
    other = "A big day for our schools and hospitals. — Jo Bloggs (@jobloggs) May 3, 2024"
    out = run(f"Budget plan passes\n\n{BODY_1}\n\n{other}\n\n{BODY_2}")
    assert other in out.text


def test_trailing_credits_outlet_and_disclaimer_are_removed() -> None:
    tail = [
        "Fraser reported from Ankara. Dasha Litvinova in Moscow contributed to this report.",
        "ABC News",
        "(Reporting by Sanna Holt; Editing by Mark Ostby)",
    ]
    out = run("Budget plan passes\n\n" + "\n\n".join([BODY_1, BODY_2, *tail]))
    assert out.removed == tail
    assert out.outlet == "ABC News"


def test_credit_sentence_inside_the_body_stays() -> None:
    middle = "Fraser reported from Ankara that the talks had stalled."
    out = run(f"Budget plan passes\n\n{BODY_1}\n\n{middle}\n\n{BODY_2}")
    assert middle in out.text


def test_all_caps_promo_link_is_removed_but_caps_subheading_stays() -> None:
    promo = "ZELENSKY ‘DIDN’T SHY AWAY FROM ASKING FOR MORE’ FROM US, SENATOR SAYS"
    out = run(f"Budget plan passes\n\n{BODY_1}\n\n{promo}\n\n{BODY_2}")
    assert out.removed == [promo]
    heading = "WHAT THE BUDGET MEANS FOR SCHOOLS"
    out = run(f"Budget plan passes\n\n{BODY_1}\n\n{heading}\n\n{BODY_2}")
    assert heading in out.text


def test_masthead_and_navigation_in_the_header() -> None:
    text = (
        "Skip to content\nEASTGATE TIMES\nWorld | Europe | Security\n\n"
        f"Budget plan passes\nPublished Wednesday (4/2/2025) | By Ann Lee\n\n{BODY_1}\n\n{BODY_2}"
    )
    out = run(text)
    assert out.title == "Budget plan passes"
    assert out.outlet == "Eastgate Times"
    assert out.text == f"{BODY_1}\n\n{BODY_2}"
    assert len(out.removed) == 4


def test_justext_drops_orphan_short_line_at_the_end() -> None:
    out = run(f"Budget plan passes\n\n{BODY_1}\n\n{BODY_2}\n\nKalvaria Weather Sport")
    assert out.removed == ["Kalvaria Weather Sport"]


# --------------------------------------------------------------------------- title


def test_headline_first_line_is_the_title_and_leaves_the_body() -> None:
    out = run(f"Skip to content\nBudget plan passes narrowly\n\n{BODY_1}")
    assert out.title == "Budget plan passes narrowly"
    assert out.text == BODY_1


def test_given_title_wins_and_its_repeat_is_dropped() -> None:
    out = run(f"Budget plan passes\n\n{BODY_1}", title="Budget plan passes")
    assert out.title == "Budget plan passes"
    assert out.text == BODY_1
    assert out.removed == []


def test_no_headline_falls_back_to_the_first_sentence() -> None:
    out = run("The U.S. budget passed. It raises spending.\n\n" + BODY_2)
    assert out.title == "The U.S. budget passed"
    assert out.text.startswith("The U.S. budget passed.")


def test_long_first_sentence_is_cut_near_120_characters() -> None:
    long = BODY_1[:-1] + ", according to a statement published by the ministry's press office."
    title = first_sentence_title(long + " " + BODY_2)
    assert title.endswith("…")
    assert len(title) <= 121
    assert long.startswith(title[:-1])
    assert first_sentence_title(BODY_1 + " " + BODY_2) == BODY_1[:-1]  # 127 chars: kept whole


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Russia moves 30,000 troops and military equipment to Belarus", True),
        ("Will the budget pass?", True),
        ("The budget passed on Tuesday.", False),
        ("Budget", False),
        (BODY_1, False),
    ],
)
def test_looks_like_headline(line: str, expected: bool) -> None:
    assert looks_like_headline(line) is expected


# --------------------------------------------------------------------------- outlet


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("THE WASHINGTON EXAMINER", "Washington Examiner"),
        ("ABC NEWS", "ABC News"),
        ("ABC News", "ABC News"),
        ("the Harbor Ledger", "Harbor Ledger"),
        ("NORDVIK COURIER", "Nordvik Courier"),
        ("CNN", "CNN"),
    ],
)
def test_normalise_outlet(name: str, expected: str) -> None:
    assert normalise_outlet(name) == expected


@pytest.mark.parametrize(
    ("line", "outlet"),
    [
        ("Follow Army Recognition on Google News at this link", "Army Recognition"),
        ("CLICK HERE TO READ MORE FROM THE WASHINGTON EXAMINER", "Washington Examiner"),
        ("Follow us on Twitter", None),
    ],
)
def test_outlet_from_boilerplate(line: str, outlet: str | None) -> None:
    assert run(f"Budget plan passes\n\n{BODY_1}\n\n{line}\n\n{BODY_2}").outlet == outlet


# --------------------------------------------------------------------------- language


def test_language_french_and_german() -> None:
    fr = run(
        "Le gouvernement a annoncé mardi une nouvelle réforme des retraites, qui sera "
        "présentée au parlement la semaine prochaine après de longues négociations."
    )
    de = run(
        "Die Regierung hat am Dienstag eine neue Rentenreform angekündigt, die nach langen "
        "Verhandlungen in der kommenden Woche dem Parlament vorgelegt werden soll."
    )
    assert (fr.language, de.language) == ("fr", "de")
    assert 0.5 < fr.language_confidence <= 1.0
    assert 0.5 < de.language_confidence <= 1.0


def test_language_of_short_text_is_undetermined() -> None:
    assert detect_language("Hi there") == ("und", 0.0)
    assert run("Hi").language == "und"


# --------------------------------------------------------------------------- robustness


@pytest.mark.parametrize(
    "text",
    ["", "   \n\n  ", "Skip to content\nCategorized in:", "\x00\x01\x02", "a" * 100_000, "|||\n·"],
)
def test_odd_input_never_raises(text: str) -> None:
    out = run(text)
    assert isinstance(out.text, str) and isinstance(out.title, str)


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=400), st.one_of(st.none(), st.text(max_size=40)))
def test_any_text_is_cleaned_without_error(text: str, title: str | None) -> None:
    out = run(text, title=title)
    assert "\n\n\n" not in out.text
    assert 0.0 <= out.language_confidence <= 1.0


@pytest.mark.parametrize(
    "sentence",
    [
        "More than two million people subscribe to the newsletter, the company said.",
        "Copyright law changes stalled again in parliament",
        "Dieser Artikel des Gesetzes wurde im Jahr 2019 geändert, sagte der Minister.",
        "Photos by satellite firms show tanks near the border.",
    ],
)
def test_lookalikes_of_boilerplate_survive(sentence: str) -> None:
    out = run(f"Budget plan passes\n\n{BODY_1}\n\n{sentence}\n\n{BODY_2}")
    assert sentence in out.text.split("\n\n")


def test_copyright_line_names_the_outlet() -> None:
    line = "Copyright 2022 The Associated Press. All rights reserved."
    out = run(f"Budget plan passes\n\n{BODY_1}\n\n{BODY_2}\n\n{line}")
    assert out.removed == [line]
    assert out.outlet == "Associated Press"
