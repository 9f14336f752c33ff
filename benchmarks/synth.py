"""A synthetic multi-outlet news corpus of any size, deterministic by seed, with labels.

It looks like a crawl of the world's news over several months:

- **storylines** (one place, its people and organisations) hold 1-4 **events** (up to
  ``max_events``) of one kind (floods, earthquakes, plant fires, train crashes, takeover
  bids, strikes, troop build-ups, elections) spread over weeks, so follow-ups share names
  and vocabulary with the event before them (the hard case for event clustering);
- each event is reported by many outlets: a **wire** story, its near-verbatim **copies**
  (new headline, the outlet's boilerplate, sometimes one changed sentence), **rewrites**
  that paraphrase the wire and cite it (some translated), and **independent** reports
  with their own reporter, quote and sometimes a **conflicting number**;
- five languages (about 70% English, the rest French, German, Spanish and Italian);
- three input formats: JSON Lines feeds (most), plain text files with or without a
  ``date`` line, and full HTML pages with metadata, navigation and a cookie banner;
- site **boilerplate** on every page; dates spread over ``--days`` days.

Layout written under ``OUT``::

    OUT/articles/<YYYY-MM-DD>/feed-<group>.jsonl   JSONL records (id, title, text, ...)
    OUT/articles/<YYYY-MM-DD>/<outlet>-<n>.txt     plain text files
    OUT/articles/<YYYY-MM-DD>/<outlet>-<n>.html    web pages
    OUT/labels.json                                the truth, see :func:`generate`

Folders are by publication day, so newsfold's sorted walk reads the crawl in
date order. Usage::

    python -m benchmarks.synth --articles 10000 --seed 1 --out /tmp/synth10k
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import json
import random
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

LANGS = ("en", "fr", "de", "es", "it")
LANG_WEIGHTS = (0.70, 0.075, 0.075, 0.075, 0.075)
START = dt.date(2025, 1, 6)

# ---------------------------------------------------------------- kinds of event
# thing: what the main number counts; lo/hi: its range; m_*: the second number.
# m_mod: how the second number is stated (fact | approximate | bound | forecast).
KINDS: dict[str, dict[str, Any]] = {
    "flood": {
        "thing": "deaths",
        "lo": 3,
        "hi": 90,
        "m_thing": "displaced",
        "m_lo": 500,
        "m_hi": 20000,
        "m_mod": "bound",
        "authority": "police",
    },
    "quake": {
        "thing": "deaths",
        "lo": 2,
        "hi": 300,
        "m_thing": "injured",
        "m_lo": 10,
        "m_hi": 2000,
        "m_mod": "fact",
        "authority": "officials",
    },
    "fire": {
        "thing": "deaths",
        "lo": 1,
        "hi": 40,
        "m_thing": "evacuated",
        "m_lo": 50,
        "m_hi": 3000,
        "m_mod": "approximate",
        "authority": "the fire service",
    },
    "crash": {
        "thing": "deaths",
        "lo": 1,
        "hi": 60,
        "m_thing": "hospitalised",
        "m_lo": 5,
        "m_hi": 400,
        "m_mod": "bound",
        "authority": "the rail operator",
    },
    "takeover": {
        "thing": "offer_usd_million",
        "lo": 200,
        "hi": 9000,
        "m_thing": "share_price_usd",
        "m_lo": 5,
        "m_hi": 80,
        "m_mod": "fact",
        "authority": "the company",
    },
    "strike": {
        "thing": "strikers",
        "lo": 200,
        "hi": 40000,
        "m_thing": "wage_demand_pct",
        "m_lo": 3,
        "m_hi": 15,
        "m_mod": "fact",
        "authority": "the union",
    },
    "troops": {
        "thing": "troops",
        "lo": 1000,
        "hi": 50000,
        "m_thing": "tanks",
        "m_lo": 20,
        "m_hi": 600,
        "m_mod": "bound",
        "authority": "the defence ministry",
    },
    "election": {
        "thing": "seats",
        "lo": 10,
        "hi": 120,
        "m_thing": "turnout_pct",
        "m_lo": 40,
        "m_hi": 80,
        "m_mod": "forecast",
        "authority": "election officials",
    },
}
# The main number's modality per language phrase: "some 3,000 troops" is approximate.
MAIN_MOD = {"troops": "approximate"}

# ---------------------------------------------------------------- phrasebook
# Per language and kind: subject, predicate with {n}, headline with {n}, second sentence
# with {m}. Slots: {place} {region} {country} {country2} {org} {org2} {person} {party} {mag}.
PHRASES: dict[str, dict[str, tuple[str, str, str, str]]] = {
    "en": {
        "flood": (
            "Floods in {place}",
            "killed {n} people",
            "{n} dead as floods hit {place}",
            "More than {m} residents were forced from their homes.",
        ),
        "quake": (
            "An earthquake of magnitude {mag} near {place}",
            "killed {n} people",
            "Earthquake near {place} kills {n}",
            "{m} people were injured, the health ministry said.",
        ),
        "fire": (
            "A fire at the {org} plant in {place}",
            "killed {n} workers",
            "Fire at {org} plant in {place} kills {n}",
            "About {m} employees were evacuated from the site.",
        ),
        "crash": (
            "A passenger train derailment near {place}",
            "killed {n} people",
            "Train derails near {place}, {n} killed",
            "At least {m} passengers were taken to hospital.",
        ),
        "takeover": (
            "{org}",
            "offered {n} million dollars for its rival {org2}",
            "{org} bids {n} million dollars for {org2}",
            "The offer values each {org2} share at {m} dollars.",
        ),
        "strike": (
            "Workers at {org} in {place}",
            "walked out on strike, with {n} staff joining the stoppage",
            "{n} {org} workers strike in {place}",
            "The union is demanding a pay rise of {m} percent.",
        ),
        "troops": (
            "{country}",
            "has massed some {n} troops near its border with {country2}",
            "{country} masses {n} troops on {country2} border",
            "Satellite images show up to {m} tanks in the area.",
        ),
        "election": (
            "{person}'s {party} party",
            "won {n} seats in the {place} regional election",
            "{party} party wins {n} seats in {place} vote",
            "Turnout was expected to reach {m} percent.",
        ),
    },
    "fr": {
        "flood": (
            "Des inondations à {place}",
            "ont fait {n} morts",
            "Inondations à {place} : {n} morts",
            "Plus de {m} habitants ont dû quitter leur domicile.",
        ),
        "quake": (
            "Un séisme de magnitude {mag} près de {place}",
            "a fait {n} morts",
            "Séisme près de {place} : {n} morts",
            "{m} personnes ont été blessées, selon le ministère de la Santé.",
        ),
        "fire": (
            "Un incendie dans l'usine {org} de {place}",
            "a tué {n} ouvriers",
            "Incendie mortel chez {org} à {place}",
            "Environ {m} employés ont été évacués.",
        ),
        "crash": (
            "Le déraillement d'un train de voyageurs près de {place}",
            "a fait {n} morts",
            "Déraillement près de {place} : {n} morts",
            "Au moins {m} passagers ont été hospitalisés.",
        ),
        "takeover": (
            "{org}",
            "a proposé {n} millions de dollars pour racheter son concurrent {org2}",
            "{org} offre {n} millions de dollars pour {org2}",
            "L'offre valorise chaque action {org2} à {m} dollars.",
        ),
        "strike": (
            "Les salariés de {org} à {place}",
            "sont en grève, {n} employés ayant rejoint le mouvement",
            "Grève chez {org} : {n} salariés mobilisés",
            "Le syndicat réclame une hausse de salaire de {m} pour cent.",
        ),
        "troops": (
            "{country}",
            "a massé quelque {n} soldats près de sa frontière avec {country2}",
            "{country} masse {n} soldats à la frontière de {country2}",
            "Des images satellites montrent jusqu'à {m} chars dans la zone.",
        ),
        "election": (
            "Le parti {party} de {person}",
            "a remporté {n} sièges aux élections régionales de {place}",
            "Le parti {party} remporte {n} sièges à {place}",
            "La participation devrait atteindre {m} pour cent.",
        ),
    },
    "de": {
        "flood": (
            "Das Hochwasser in {place}",
            "hat {n} Menschen getötet",
            "{n} Tote bei Hochwasser in {place}",
            "Mehr als {m} Bewohner mussten ihre Häuser verlassen.",
        ),
        "quake": (
            "Ein Erdbeben der Stärke {mag} nahe {place}",
            "hat {n} Menschen getötet",
            "Erdbeben bei {place}: {n} Tote",
            "{m} Menschen wurden verletzt, teilte das Gesundheitsministerium mit.",
        ),
        "fire": (
            "Ein Brand im {org}-Werk in {place}",
            "hat {n} Arbeiter getötet",
            "Brand bei {org} in {place}: {n} Tote",
            "Rund {m} Beschäftigte wurden in Sicherheit gebracht.",
        ),
        "crash": (
            "Die Entgleisung eines Personenzugs bei {place}",
            "hat {n} Menschen das Leben gekostet",
            "Zugunglück bei {place}: {n} Tote",
            "Mindestens {m} Fahrgäste kamen ins Krankenhaus.",
        ),
        "takeover": (
            "{org}",
            "hat {n} Millionen Dollar für den Konkurrenten {org2} geboten",
            "{org} bietet {n} Millionen Dollar für {org2}",
            "Das Angebot bewertet jede {org2}-Aktie mit {m} Dollar.",
        ),
        "strike": (
            "Die Beschäftigten von {org} in {place}",
            "sind in den Streik getreten, {n} Mitarbeiter beteiligen sich",
            "Streik bei {org}: {n} Beschäftigte legen Arbeit nieder",
            "Die Gewerkschaft fordert {m} Prozent mehr Lohn.",
        ),
        "troops": (
            "{country}",
            "hat rund {n} Soldaten an der Grenze zu {country2} zusammengezogen",
            "{country} zieht {n} Soldaten an Grenze zu {country2} zusammen",
            "Satellitenbilder zeigen bis zu {m} Panzer in der Region.",
        ),
        "election": (
            "Die Partei {party} von {person}",
            "hat bei der Regionalwahl in {place} {n} Sitze gewonnen",
            "{party} gewinnt {n} Sitze in {place}",
            "Die Wahlbeteiligung dürfte {m} Prozent erreichen.",
        ),
    },
    "es": {
        "flood": (
            "Las inundaciones en {place}",
            "han causado {n} muertos",
            "Las inundaciones en {place} dejan {n} muertos",
            "Más de {m} vecinos tuvieron que abandonar sus casas.",
        ),
        "quake": (
            "Un terremoto de magnitud {mag} cerca de {place}",
            "ha causado {n} muertos",
            "Un terremoto cerca de {place} deja {n} muertos",
            "{m} personas resultaron heridas, según el Ministerio de Sanidad.",
        ),
        "fire": (
            "Un incendio en la planta de {org} en {place}",
            "ha matado a {n} trabajadores",
            "Incendio en la planta de {org} en {place}: {n} muertos",
            "Unos {m} empleados fueron evacuados.",
        ),
        "crash": (
            "El descarrilamiento de un tren de pasajeros cerca de {place}",
            "ha causado {n} muertos",
            "Descarrila un tren cerca de {place}: {n} muertos",
            "Al menos {m} pasajeros fueron hospitalizados.",
        ),
        "takeover": (
            "{org}",
            "ha ofrecido {n} millones de dólares por su rival {org2}",
            "{org} ofrece {n} millones de dólares por {org2}",
            "La oferta valora cada acción de {org2} en {m} dólares.",
        ),
        "strike": (
            "Los trabajadores de {org} en {place}",
            "se han declarado en huelga, con {n} empleados en paro",
            "Huelga en {org}: {n} trabajadores en paro",
            "El sindicato exige una subida salarial del {m} por ciento.",
        ),
        "troops": (
            "{country}",
            "ha concentrado unos {n} soldados cerca de su frontera con {country2}",
            "{country} concentra {n} soldados en la frontera con {country2}",
            "Las imágenes de satélite muestran hasta {m} tanques en la zona.",
        ),
        "election": (
            "El partido {party} de {person}",
            "ha ganado {n} escaños en las elecciones regionales de {place}",
            "El partido {party} gana {n} escaños en {place}",
            "Se espera que la participación alcance el {m} por ciento.",
        ),
    },
    "it": {
        "flood": (
            "L'alluvione a {place}",
            "ha causato {n} morti",
            "Alluvione a {place}, {n} morti",
            "Più di {m} residenti hanno dovuto lasciare le loro case.",
        ),
        "quake": (
            "Un terremoto di magnitudo {mag} vicino a {place}",
            "ha causato {n} morti",
            "Terremoto vicino a {place}: {n} morti",
            "{m} persone sono rimaste ferite, secondo il ministero della Salute.",
        ),
        "fire": (
            "Un incendio nello stabilimento {org} di {place}",
            "ha ucciso {n} operai",
            "Incendio alla {org} di {place}: {n} morti",
            "Circa {m} dipendenti sono stati evacuati.",
        ),
        "crash": (
            "Il deragliamento di un treno passeggeri vicino a {place}",
            "ha causato {n} morti",
            "Treno deragliato vicino a {place}: {n} morti",
            "Almeno {m} passeggeri sono stati ricoverati.",
        ),
        "takeover": (
            "{org}",
            "ha offerto {n} milioni di dollari per il concorrente {org2}",
            "{org} offre {n} milioni di dollari per {org2}",
            "L'offerta valuta ogni azione {org2} {m} dollari.",
        ),
        "strike": (
            "I lavoratori di {org} a {place}",
            "sono in sciopero, con {n} dipendenti che hanno aderito",
            "Sciopero alla {org}: {n} lavoratori fermi",
            "Il sindacato chiede un aumento salariale del {m} per cento.",
        ),
        "troops": (
            "{country}",
            "ha ammassato circa {n} soldati vicino al confine con {country2}",
            "{country} ammassa {n} soldati al confine con {country2}",
            "Le immagini satellitari mostrano fino a {m} carri armati nella zona.",
        ),
        "election": (
            "Il partito {party} di {person}",
            "ha conquistato {n} seggi alle elezioni regionali di {place}",
            "Il partito {party} conquista {n} seggi a {place}",
            "L'affluenza dovrebbe raggiungere il {m} per cento.",
        ),
    },
}

# Generic frames: {S} subject, {V} predicate, {A} authority, {W} weekday, {wire} agency.
FRAMES: dict[str, dict[str, list[str]]] = {
    "en": {
        "lead": [
            "{S} {V} on {W}, {A} said.",
            "{S} {V} on {W}, according to {A}.",
            "{A_cap} said on {W} that {s} {V}.",
            "{S} {V} on {W} in {region}, {A} told reporters.",
        ],
        "follow": [
            "{S} {V} on {W}, {k} weeks after a similar blow to {place}, {A} said.",
            "Only {k} weeks after the last time, {s} {V} on {W}, {A} said.",
        ],
        "cite": ["{S} {V}, {wire} reported on {W}.", "According to {wire}, {s} {V} on {W}."],
        "quote": [
            "\u201c{q}\u201d, said {person}, {role}.",
            "{person}, {role}, said: \u201c{q}.\u201d",
        ],
        "roles": [
            "the regional governor",
            "a spokesperson for the ministry",
            "the mayor",
            "a local official",
            "the company's chief executive",
            "a union leader",
        ],
        "quotes": [
            "We are doing everything we can to help the people affected",
            "This is a very difficult day for our community",
            "We will not accept this situation",
            "Our teams have been working through the night",
            "We expect more information in the coming hours",
            "It is too early to say what caused it",
        ],
        "background": [
            "The {region} region has seen several such incidents in recent years.",
            "{place} lies about {d} kilometres from the capital of {country}.",
            "Opposition politicians called for an inquiry into the response.",
            "The government said it would publish a full report within {d} days.",
            "Analysts said the news could weigh on the economy of {country}.",
            "Residents of {place} described scenes of confusion on social media.",
            "{person} is due to visit {place} later this week.",
            "Markets in {country} reacted calmly to the news.",
            "Emergency services from neighbouring towns were sent to help.",
            "Officials in {region} held a news conference late in the evening.",
            "The last comparable case in {country} was more than a decade ago.",
            "Insurers said it was too early to estimate the cost of the damage.",
            "Local radio stations interrupted their programmes to broadcast updates.",
            "Roads into {place} were closed for most of the day.",
            "Aid groups said they were ready to send volunteers to {region}.",
            "The head of government of {country} cut short a trip abroad.",
            "Schools in {place} will stay closed until further notice.",
            "{person} promised a detailed statement once the facts were clear.",
            "Neighbouring {country2} offered assistance within hours.",
            "Critics said warnings had been ignored for years.",
        ],
    },
    "fr": {
        "lead": ["{S} {V} {W}, a indiqué {A}.", "{S} {V} {W}, selon {A}."],
        "follow": ["{S} {V} {W}, {k} semaines après un précédent drame à {place}, selon {A}."],
        "cite": ["{S} {V}, rapporte {wire} {W}.", "Selon {wire}, {s} {V} {W}."],
        "quote": ["\u00ab {q} \u00bb, a déclaré {person}, {role}."],
        "roles": ["le gouverneur régional", "une porte-parole du ministère", "le maire"],
        "quotes": [
            "Nous faisons tout notre possible pour aider les sinistrés",
            "C'est une journée très difficile pour notre communauté",
            "Il est trop tôt pour en connaître la cause",
        ],
        "background": [
            "La région de {region} a connu plusieurs événements de ce type ces dernières années.",
            "{place} se trouve à environ {d} kilomètres de la capitale.",
            "L'opposition a réclamé une enquête sur la gestion de la crise.",
            "Le gouvernement a promis un rapport complet d'ici {d} jours.",
        ],
    },
    "de": {
        "lead": ["{S} {V}, teilte {A} am {W} mit.", "{S} {V}, wie {A} am {W} mitteilte."],
        "follow": ["{S} {V}, {k} Wochen nach einem ähnlichen Unglück in {place}, so {A}."],
        "cite": ["{S} {V}, berichtete {wire} am {W}.", "{S} {V}, so {wire} am {W}."],
        "quote": ["\u201e{q}\u201c, sagte {person}, {role}."],
        "roles": [
            "der Regionalgouverneur",
            "eine Sprecherin des Ministeriums",
            "der Bürgermeister",
        ],
        "quotes": [
            "Wir tun alles, um den Betroffenen zu helfen",
            "Das ist ein sehr schwerer Tag für unsere Gemeinde",
            "Für eine Ursache ist es noch zu früh",
        ],
        "background": [
            "Die Region {region} war in den vergangenen Jahren mehrfach betroffen.",
            "{place} liegt rund {d} Kilometer von der Hauptstadt entfernt.",
            "Die Opposition forderte eine Untersuchung.",
            "Die Regierung kündigte einen Bericht binnen {d} Tagen an.",
        ],
    },
    "es": {
        "lead": ["{S} {V} el {W}, informó {A}.", "{S} {V} el {W}, según {A}."],
        "follow": [
            "{S} {V} el {W}, {k} semanas después de un suceso similar en {place}, según {A}."
        ],
        "cite": ["{S} {V}, informó {wire} el {W}.", "Según {wire}, {s} {V} el {W}."],
        "quote": ["\u00ab{q}\u00bb, dijo {person}, {role}."],
        "roles": ["el gobernador regional", "una portavoz del ministerio", "el alcalde"],
        "quotes": [
            "Estamos haciendo todo lo posible para ayudar a los afectados",
            "Es un día muy difícil para nuestra comunidad",
            "Es demasiado pronto para conocer la causa",
        ],
        "background": [
            "La región de {region} ha sufrido varios sucesos parecidos en los últimos años.",
            "{place} está a unos {d} kilómetros de la capital.",
            "La oposición pidió una investigación sobre la respuesta.",
            "El Gobierno prometió un informe completo en {d} días.",
        ],
    },
    "it": {
        "lead": ["{S} {V} {W}, ha reso noto {A}.", "{S} {V} {W}, secondo {A}."],
        "follow": ["{S} {V} {W}, {k} settimane dopo un evento simile a {place}, secondo {A}."],
        "cite": ["{S} {V}, riferisce {wire} {W}.", "Secondo {wire}, {s} {V} {W}."],
        "quote": ["\u00ab{q}\u00bb, ha detto {person}, {role}."],
        "roles": ["il governatore regionale", "una portavoce del ministero", "il sindaco"],
        "quotes": [
            "Stiamo facendo il possibile per aiutare le persone colpite",
            "È una giornata molto difficile per la nostra comunità",
            "È troppo presto per conoscerne la causa",
        ],
        "background": [
            "La regione di {region} ha vissuto diversi episodi simili negli ultimi anni.",
            "{place} si trova a circa {d} chilometri dalla capitale.",
            "L'opposizione ha chiesto un'inchiesta sulla gestione dell'emergenza.",
            "Il governo ha promesso un rapporto completo entro {d} giorni.",
        ],
    },
}
AUTHORITY = {
    "fr": {
        "police": "la police",
        "officials": "les autorités",
        "the fire service": "les pompiers",
        "the rail operator": "la compagnie ferroviaire",
        "the company": "l'entreprise",
        "the union": "le syndicat",
        "the defence ministry": "le ministère de la Défense",
        "election officials": "la commission électorale",
    },
    "de": {
        "police": "die Polizei",
        "officials": "die Behörden",
        "the fire service": "die Feuerwehr",
        "the rail operator": "die Bahngesellschaft",
        "the company": "das Unternehmen",
        "the union": "die Gewerkschaft",
        "the defence ministry": "das Verteidigungsministerium",
        "election officials": "die Wahlkommission",
    },
    "es": {
        "police": "la policía",
        "officials": "las autoridades",
        "the fire service": "los bomberos",
        "the rail operator": "la compañía ferroviaria",
        "the company": "la empresa",
        "the union": "el sindicato",
        "the defence ministry": "el Ministerio de Defensa",
        "election officials": "la comisión electoral",
    },
    "it": {
        "police": "la polizia",
        "officials": "le autorità",
        "the fire service": "i vigili del fuoco",
        "the rail operator": "la società ferroviaria",
        "the company": "l'azienda",
        "the union": "il sindacato",
        "the defence ministry": "il ministero della Difesa",
        "election officials": "la commissione elettorale",
    },
}
WEEKDAYS = {
    "en": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
    "fr": ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"],
    "de": ["Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"],
    "es": ["lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"],
    "it": ["lunedì", "martedì", "mercoledì", "giovedì", "venerdì", "sabato", "domenica"],
}
BOILER_HEAD = {
    "en": [
        "Skip to content",
        "Home | World | Business | Sport | Opinion",
        "We use cookies to improve your experience. Accept all",
        "Menu",
        "Search",
        "Subscribe to our newsletter",
        "Live: latest updates",
    ],
    "fr": [
        "Aller au contenu",
        "Accueil | Monde | Économie | Sport",
        "Nous utilisons des cookies. Tout accepter",
        "S'abonner",
    ],
    "de": [
        "Zum Inhalt springen",
        "Startseite | Welt | Wirtschaft | Sport",
        "Wir verwenden Cookies. Alle akzeptieren",
        "Abonnieren",
    ],
    "es": [
        "Ir al contenido",
        "Portada | Mundo | Economía | Deportes",
        "Usamos cookies. Aceptar todas",
        "Suscríbete",
    ],
    "it": [
        "Vai al contenuto",
        "Home | Mondo | Economia | Sport",
        "Utilizziamo i cookie. Accetta tutti",
        "Abbonati",
    ],
}
BOILER_TAIL = {
    "en": [
        "Follow {outlet} on Google News",
        "CLICK HERE TO READ MORE FROM {OUTLET}",
        "Categorized in: World",
        "Share this article",
        "\u00a9 2025 {outlet}. All rights reserved.",
        "Related: more stories from {region}",
    ],
    "fr": ["Suivez {outlet} sur Google News", "Mots-clés : monde", "\u00a9 2025 {outlet}"],
    "de": ["Folgen Sie {outlet} auf Google News", "Schlagworte: Welt", "\u00a9 2025 {outlet}"],
    "es": ["Sigue a {outlet} en Google News", "Etiquetas: mundo", "\u00a9 2025 {outlet}"],
    "it": ["Segui {outlet} su Google News", "Argomenti: mondo", "\u00a9 2025 {outlet}"],
}
PARTIES = [
    "Green Alliance",
    "Civic Union",
    "Progress",
    "People's Front",
    "New Centre",
    "Liberal League",
    "Unity",
    "Labour Forum",
    "Heritage",
    "Reform Movement",
]
FIRST = [
    "Lena",
    "Piet",
    "Amara",
    "Tomas",
    "Ines",
    "Karl",
    "Sofia",
    "Marek",
    "Yara",
    "Jonas",
    "Elif",
    "Dario",
    "Mira",
    "Anton",
    "Nadia",
    "Oskar",
    "Lucia",
    "Viktor",
    "Hana",
    "Ruben",
]
ONSET = [
    "B",
    "D",
    "K",
    "M",
    "N",
    "R",
    "S",
    "T",
    "V",
    "Br",
    "Gr",
    "Kr",
    "St",
    "Tr",
    "H",
    "L",
    "F",
    "G",
    "P",
    "Z",
    "Dr",
    "Sk",
    "Vel",
    "Ost",
    "Hal",
    "Cor",
    "Sar",
    "Ras",
    "Tel",
    "Nor",
]
VOWEL = ["a", "e", "i", "o", "u", "ai", "ei", "ou", "ia", "ar", "en", "or"]
CODA = ["n", "m", "r", "l", "s", "v", "k", "d", "nd", "rk", "st", "lm", "rn", "sk", ""]
SUFFIX = [
    "vik",
    "mere",
    "ford",
    "ava",
    "ino",
    "heim",
    "burg",
    "dal",
    "ovo",
    "esti",
    "ham",
    "wick",
    "stad",
    "polis",
    "ona",
    "ria",
]
ORG_SUFFIX = [
    "Logistics",
    "Energy",
    "Steel",
    "Chemicals",
    "Motors",
    "Foods",
    "Telecom",
    "Shipping",
    "Mining",
    "Pharma",
    "Textiles",
    "Rail",
]


def _word(rng: random.Random, suffix: bool = True) -> str:
    w = rng.choice(ONSET) + rng.choice(VOWEL) + rng.choice(CODA)
    if suffix:
        w += rng.choice(SUFFIX)
    return w[0].upper() + w[1:].lower()


@dataclass(slots=True)
class Outlet:
    name: str
    slug: str
    language: str
    wire: bool
    formats: tuple[str, ...]  # what it publishes as: jsonl, txt, html
    head: list[str]
    tail: list[str]
    domain: str


@dataclass(slots=True)
class Storyline:
    id: str
    kind: str
    slots: dict[str, str]
    events: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Doc:
    id: str
    outlet: Outlet
    language: str
    date: dt.date
    title: str
    paragraphs: list[str]
    label: dict[str, Any]
    fmt: str
    undated: bool = False


class Generator:
    """Builds the corpus article by article; everything drawn from one seeded RNG."""

    def __init__(
        self,
        seed: int = 1,
        days: int = 240,
        formats: str = "mixed",
        max_events: int = 4,
        events_rate: float = 1.1,
    ) -> None:
        self.rng = random.Random(seed)
        self.days = days
        self.formats = formats
        # events per storyline: 1 + an exponential draw of rate ``events_rate`` (1.1: 0.9
        # more on average), capped at ``max_events``; the defaults give the streams the
        # gates were measured on, (10, 0.25) long storylines (benchmarks/storyline_long.py)
        self.max_events = max_events
        self.events_rate = events_rate
        self._names: set[str] = set()
        self.outlets = self._make_outlets()
        self.wires = [o for o in self.outlets if o.wire]
        self.counter = 0

    # ---------------------------------------------------------- names
    def _unique(self, make: Any) -> str:
        for _ in range(1000):
            name = make()
            if name not in self._names:
                self._names.add(name)
                return str(name)
        raise RuntimeError("ran out of names")  # pragma: no cover

    def _person(self) -> str:
        return self._unique(
            lambda: (
                f"{self.rng.choice(FIRST)} {_word(self.rng, suffix=False)}"
                f"{self.rng.choice(['son', 'ova', 'er', 'ic', 'ard', 'ini', ''])}"
            )
        )

    def _make_outlets(self) -> list[Outlet]:
        rng = self.rng
        outlets = []
        for name in ("Meridian Wire", "Northstar Press Agency", "Continental News Service"):
            outlets.append(self._outlet(name, "en", wire=True))
        words = [
            "Courier",
            "Ledger",
            "Times",
            "Standard",
            "Dispatch",
            "Herald",
            "Post",
            "Chronicle",
            "Voice",
            "Gazette",
            "Observer",
            "Tribune",
        ]
        for _ in range(56):
            outlets.append(self._outlet(f"{_word(rng)} {rng.choice(words)}", "en"))
        foreign = {
            "fr": ["Le Veilleur de {}", "La Tribune de {}", "L'Écho de {}"],
            "de": ["{} Tagblatt", "{}er Rundschau", "{} Anzeiger"],
            "es": ["Diario de {}", "El Heraldo de {}", "La Voz de {}"],
            "it": ["Gazzetta di {}", "Il Corriere di {}", "La Voce di {}"],
        }
        for lang, patterns in foreign.items():
            for _ in range(6):
                outlets.append(self._outlet(rng.choice(patterns).format(_word(rng)), lang))
        return outlets

    def _outlet(self, name: str, language: str, wire: bool = False) -> Outlet:
        rng = self.rng
        slug = "".join(c if c.isalnum() else "-" for c in name.lower()).strip("-")
        if self.formats == "jsonl" or wire:
            formats: tuple[str, ...] = ("jsonl",)
        else:
            formats = rng.choices(
                [("jsonl",), ("txt",), ("html",), ("jsonl", "html")],
                weights=[0.55, 0.2, 0.12, 0.13],
            )[0]
        head = rng.sample(BOILER_HEAD[language], k=min(3, len(BOILER_HEAD[language])))
        tail = [
            t.format(outlet=name, OUTLET=name.upper(), region="{region}")
            for t in rng.sample(BOILER_TAIL[language], k=2)
        ]
        return Outlet(name, slug, language, wire, formats, head, tail, f"www.{slug}.example")

    # ---------------------------------------------------------- storylines and events
    def stories(self) -> Iterator[tuple[Storyline, dict[str, Any]]]:
        """Endless storylines; each yields its events' descriptions in date order."""
        n = 0
        rng = self.rng
        while True:
            n += 1
            kind = rng.choice(list(KINDS))
            place, country = self._unique(lambda: _word(rng)), self._unique(lambda: _word(rng))
            slots = {
                "place": place,
                "region": self._unique(lambda: _word(rng) + " Valley")
                if rng.random() < 0.5
                else self._unique(lambda: "North " + _word(rng)),
                "country": country,
                "country2": self._unique(lambda: _word(rng)),
                "org": self._unique(lambda: f"{_word(rng, False)} {rng.choice(ORG_SUFFIX)}"),
                "org2": self._unique(lambda: f"{_word(rng, False)} {rng.choice(ORG_SUFFIX)}"),
                "person": self._person(),
                "party": rng.choice(PARTIES),
            }
            line = Storyline(f"S{n}", kind, slots)
            day = rng.randrange(self.days)
            draw = int(rng.expovariate(self.events_rate))
            for k in range(1 + min(self.max_events - 1, draw)):
                if k:
                    day += rng.randint(7, 60)
                spec = KINDS[kind]
                event = {
                    "id": f"E{n}.{k + 1}",
                    "storyline": line.id,
                    "kind": kind,
                    "date": START + dt.timedelta(days=day),
                    "n": _spread(rng, spec["lo"], spec["hi"]),
                    "m": _spread(rng, spec["m_lo"], spec["m_hi"]),
                    "mag": f"{rng.uniform(4.5, 7.9):.1f}",
                    "follow": k > 0,
                    "weeks": max(1, day // 7 % 9),
                    "person": self._person(),
                }
                line.events.append(str(event["id"]))
                yield line, event

    def first(self, n: int) -> list[Doc]:
        """The first ``n`` reports the stories give, in date order (then id): the
        streams the quality gates and clustering benchmarks read."""
        docs: list[Doc] = []
        for line, event in self.stories():
            if len(docs) >= n:
                break
            docs += self.reports(line, event)[: n - len(docs)]
        docs.sort(key=lambda d: (d.date, d.id))
        return docs

    def reports(self, line: Storyline, event: dict[str, Any]) -> list[Doc]:
        """The articles that report one event: wire, copies, rewrites and independent ones."""
        rng = self.rng
        size = 1 + min(59, int(rng.paretovariate(1.3)) - 1 + rng.randrange(5))
        docs: list[Doc] = []
        origin = 0
        wire_doc = None
        if rng.random() < 0.65:
            origin += 1
            wire = rng.choice(self.wires)
            wire_doc = self._article(line, event, wire, "wire", f"O{origin}", 0, variant=0)
            docs.append(wire_doc)
        while len(docs) < size:
            lag = min(4, int(rng.expovariate(0.9)))
            roll = rng.random()
            if wire_doc is not None and roll < 0.35:
                docs.append(self._copy(wire_doc, self._pick_outlet("en"), lag))
            elif wire_doc is not None and roll < 0.6:
                lang = _lang(rng)
                docs.append(
                    self._article(
                        line,
                        event,
                        self._pick_outlet(lang),
                        "rewrite",
                        wire_doc.label["origin"],
                        lag,
                        cite=wire_doc,
                    )
                )
            else:
                origin += 1
                docs.append(
                    self._article(
                        line, event, self._pick_outlet(_lang(rng)), "independent", f"O{origin}", lag
                    )
                )
        return docs

    def _pick_outlet(self, lang: str) -> Outlet:
        return self.rng.choice([o for o in self.outlets if o.language == lang and not o.wire])

    def _slots(self, line: Storyline, event: dict[str, Any], lang: str) -> dict[str, str]:
        return {**line.slots, "mag": event["mag"], "d": str(self.rng.randint(20, 400))}

    def _article(
        self,
        line: Storyline,
        event: dict[str, Any],
        outlet: Outlet,
        role: str,
        origin: str,
        lag: int,
        variant: int | None = None,
        cite: Doc | None = None,
    ) -> Doc:
        rng = self.rng
        lang = outlet.language
        kind = line.kind
        spec = KINDS[kind]
        frames = FRAMES[lang]
        date = event["date"] + dt.timedelta(days=lag)
        slots = self._slots(line, event, lang)
        n, m = event["n"], event["m"]
        conflict = role == "independent" and rng.random() < 0.3
        if conflict:  # an independent source counts differently
            n = max(1, n + rng.choice([-1, 1]) * max(1, n // rng.randint(5, 12)))
        subj, pred, head, second = PHRASES[lang][kind]
        fmt = {**slots, "n": _num(n, lang), "m": _num(m, lang)}
        s_text = subj.format(**fmt)
        v_text = pred.format(**fmt)
        authority = spec["authority"] if lang == "en" else AUTHORITY[lang][spec["authority"]]
        weekday = WEEKDAYS[lang][event["date"].weekday()]
        lower = s_text if subj.startswith("{") else s_text[0].lower() + s_text[1:]
        base = {
            "S": s_text[0].upper() + s_text[1:],
            "s": lower,
            "V": v_text,
            "A": authority,
            "A_cap": authority[0].upper() + authority[1:],
            "W": weekday,
            "k": str(event["weeks"]),
            "place": slots["place"],
            "region": slots["region"],
            "wire": cite.outlet.name if cite else "",
        }
        if cite is not None:
            lead_frame = rng.choice(frames["cite"])
        elif event["follow"]:
            lead_frame = rng.choice(frames["follow"])
        else:
            pool = frames["lead"]
            lead_frame = pool[variant % len(pool)] if variant is not None else rng.choice(pool)
        paragraphs = [lead_frame.format(**base)]
        if cite is not None and cite.language == lang:  # rewrites keep the wire's quote
            person, role_name, quote = cite.label["quote"]
        else:
            person = event["person"] if role != "independent" else self._person()
            role_name = rng.choice(frames["roles"])
            quote = rng.choice(frames["quotes"])
        paragraphs.append(
            rng.choice(frames["quote"]).format(q=quote, person=person, role=role_name)
        )
        paragraphs.append(second.format(**fmt))
        background = rng.sample(
            frames["background"], k=min(len(frames["background"]), rng.randint(3, 9))
        )
        paragraphs += [b.format(**{**slots, "person": person}) for b in background]
        if role == "rewrite":
            rest = paragraphs[1:]
            rng.shuffle(rest)
            paragraphs = paragraphs[:1] + rest
        title = head.format(**fmt)
        main_mod = MAIN_MOD.get(kind, "fact") if lang == "en" else "fact"
        claims = [[spec["thing"], n, main_mod], [spec["m_thing"], m, spec["m_mod"]]]
        label = {
            "event": event["id"],
            "storyline": line.id,
            "origin": origin,
            "role": role,
            "duplicate_of": None,
            "published": date.isoformat(),
            "language": lang,
            "outlet": outlet.name,
            "conflicting_number": conflict,
            "claims": claims,
            "quote": [person, role_name, quote],
            "_slots": line.slots,
        }
        return self._doc(outlet, lang, date, title, paragraphs, label)

    def _copy(self, wire: Doc, outlet: Outlet, lag: int) -> Doc:
        """A near-verbatim copy of a wire story: new headline, own boilerplate."""
        rng = self.rng
        paragraphs = list(wire.paragraphs)
        if rng.random() < 0.4 and len(paragraphs) > 3:  # one changed sentence
            paragraphs[-1] = rng.choice(FRAMES["en"]["background"]).format(
                **{**wire.label["_slots"], "person": wire.label["quote"][0], "d": "30"}
            )
        title = rng.choice([f"{wire.title}", f"UPDATE 1-{wire.title}", f"{wire.title} - report"])
        label = {
            **wire.label,
            "role": "copy",
            "duplicate_of": wire.id,
            "outlet": outlet.name,
            "published": (wire.date + dt.timedelta(days=lag)).isoformat(),
        }
        return self._doc(outlet, "en", wire.date + dt.timedelta(days=lag), title, paragraphs, label)

    def _doc(
        self,
        outlet: Outlet,
        lang: str,
        date: dt.date,
        title: str,
        paragraphs: list[str],
        label: dict[str, Any],
    ) -> Doc:
        self.counter += 1
        fmt = self.rng.choice(outlet.formats)
        n = self.counter
        if fmt == "jsonl":
            doc_id = f"{outlet.slug}-{n:07d}"
        else:
            doc_id = f"{date.isoformat()}/{outlet.slug}-{n:07d}.{fmt}"
        undated = self.rng.random() < 0.03
        label = dict(label)
        if undated:
            label["published"] = None
        return Doc(doc_id, outlet, lang, date, title, paragraphs, label, fmt, undated)


def _spread(rng: random.Random, lo: int, hi: int) -> int:
    """A number between lo and hi, log-uniform (most counts are small)."""
    import math

    return round(math.exp(rng.uniform(math.log(lo), math.log(hi))))


def _lang(rng: random.Random) -> str:
    return rng.choices(LANGS, weights=LANG_WEIGHTS)[0]


def _num(value: int, lang: str) -> str:
    if value < 1000:
        return str(value)
    sep = {"en": ",", "fr": "\u202f"}.get(lang, ".")
    return f"{value:,}".replace(",", sep)


# ---------------------------------------------------------------- writers
def _body(doc: Doc, region: str) -> list[str]:
    head = list(doc.outlet.head)
    tail = [t.replace("{region}", region) for t in doc.outlet.tail]
    return [*head, "", *doc.paragraphs, "", *tail]


def render_text(doc: Doc, region: str) -> str:
    lines = [] if doc.undated else [f"date {doc.date.isoformat()}"]
    lines += [doc.title, ""]
    lines += _body(doc, region)
    return "\n".join(lines) + "\n"


def render_html(doc: Doc, region: str) -> str:
    e = html.escape
    meta = ""
    if not doc.undated:
        meta = (
            f'<meta property="article:published_time" content="{doc.date.isoformat()}T08:00:00Z">'
        )
    nav = "".join(f"<li>{e(h)}</li>" for h in doc.outlet.head)
    paras = "".join(f"<p>{e(p)}</p>" for p in doc.paragraphs)
    tail = "".join(f"<p>{e(t.replace('{region}', region))}</p>" for t in doc.outlet.tail)
    return (
        f'<!DOCTYPE html><html lang="{doc.language}"><head><meta charset="utf-8">'
        f"<title>{e(doc.title)} | {e(doc.outlet.name)}</title>{meta}"
        f'<meta property="og:site_name" content="{e(doc.outlet.name)}"></head><body>'
        f'<div class="cookie">We use cookies. <button>Accept</button></div>'
        f"<nav><ul>{nav}</ul></nav><main><article><h1>{e(doc.title)}</h1>{paras}</article>"
        f'</main><aside><h3>Most read</h3><ul><li><a href="/x">Other story</a></li></ul></aside>'
        f"<footer>{tail}</footer></body></html>\n"
    )


def render_json(doc: Doc, region: str) -> str:
    text = "\n\n".join(_body(doc, region)).replace("\n\n\n\n", "\n\n")
    row = {
        "id": doc.id,
        "title": doc.title,
        "text": text,
        "url": f"https://{doc.outlet.domain}/{doc.date:%Y/%m/%d}/{doc.id}",
        "published": None if doc.undated else doc.date.isoformat(),
        "language": doc.language,
        "source": doc.outlet.name,
    }
    if doc.undated:
        row["url"] = f"https://{doc.outlet.domain}/news/{doc.id}"
    return json.dumps(row, ensure_ascii=False)


def generate(
    articles: int, out: Path, seed: int = 1, days: int = 240, formats: str = "mixed"
) -> dict[str, Any]:
    """Write ``articles`` articles under ``out/articles`` and ``out/labels.json``.

    Labels: ``articles`` maps each input id to its ``event``, ``storyline``,
    ``origin`` (independent source), ``role`` (wire, copy, rewrite, independent),
    ``duplicate_of`` (the wire story a copy repeats), ``published``, ``language``,
    ``outlet``, ``format``, ``conflicting_number`` and ``claims`` ([thing, value,
    modality]); ``events`` and ``storylines`` describe the truth they belong to.
    Returns a summary (counts by role, language and format).
    """
    gen = Generator(seed, days, formats)
    root = out / "articles"
    root.mkdir(parents=True, exist_ok=True)
    docs: list[Doc] = []
    events: dict[str, Any] = {}
    storylines: dict[str, Any] = {}
    for line, event in gen.stories():
        if len(docs) >= articles:
            break
        reports = gen.reports(line, event)
        docs += reports[: articles - len(docs)]
        events[event["id"]] = {
            "storyline": line.id,
            "kind": line.kind,
            "date": event["date"].isoformat(),
            "place": line.slots["place"],
        }
        storylines[line.id] = {
            "kind": line.kind,
            "place": line.slots["place"],
            "events": list(line.events),
        }
    used_events = {d.label["event"] for d in docs}
    events = {k: v for k, v in events.items() if k in used_events}
    storylines = {
        k: {**v, "events": [e for e in v["events"] if e in used_events]}
        for k, v in storylines.items()
        if any(e in used_events for e in v["events"])
    }
    # write: files by day; JSONL feeds by day and outlet group (wires, english, foreign)
    feeds: dict[Path, list[str]] = {}
    labels: dict[str, Any] = {}
    summary: dict[str, dict[str, int]] = {"role": {}, "language": {}, "format": {}}
    for doc in docs:
        region = doc.label["_slots"]["region"]
        day_dir = root / doc.date.isoformat()
        if doc.fmt == "jsonl":
            group = "wire" if doc.outlet.wire else ("en" if doc.language == "en" else "intl")
            feeds.setdefault(day_dir / f"feed-{group}.jsonl", []).append(render_json(doc, region))
        else:
            path = root / doc.id
            path.parent.mkdir(parents=True, exist_ok=True)
            text = render_html(doc, region) if doc.fmt == "html" else render_text(doc, region)
            path.write_text(text, encoding="utf-8")
        label = {k: v for k, v in doc.label.items() if not k.startswith("_") and k != "quote"}
        label["format"] = doc.fmt
        labels[doc.id] = label
        for key, value in (
            ("role", label["role"]),
            ("language", doc.language),
            ("format", doc.fmt),
        ):
            summary[key][value] = summary[key].get(value, 0) + 1
    for path, rows in feeds.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    truth = {"seed": seed, "articles": labels, "events": events, "storylines": storylines}
    (out / "labels.json").write_text(
        json.dumps(truth, ensure_ascii=False, indent=0), encoding="utf-8"
    )
    return {"articles": len(docs), "events": len(events), "storylines": len(storylines), **summary}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", "-n", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--days", type=int, default=240, help="days the crawl spans")
    parser.add_argument("--formats", choices=["mixed", "jsonl"], default="mixed")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    summary = generate(args.articles, args.out, args.seed, args.days, args.formats)
    summary["seconds"] = round(time.perf_counter() - started, 1)
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
