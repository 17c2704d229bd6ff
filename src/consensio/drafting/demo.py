"""The drafting demo: a draft convention shaped like the one the Ad Hoc Committee negotiated
(research/domain.md §5.4: nine chapters with their real headings, 68 articles), with short
original demo wording — never the convention's text — and proposals from delegations, their
co-sponsors, some provisions agreed, and two named versions, "Draft" and "Rev.1".

Everything is written through the do_* actions, as the system (user None), so the journal holds
the demo's history like any other. `load_drafting_demo()` is idempotent.
"""

from __future__ import annotations

import random

from django.db import transaction

DEMO_TITLE = "Draft convention on countering the use of information and communications technologies for criminal purposes (demo)"

# (chapter heading, [article headings]) — chapter headings as in the final convention
# (domain.md §5.4); article headings are demo wording.
CHAPTERS: list[tuple[str, list[str]]] = [
    (
        "General provisions",
        [
            "Purposes",
            "Terms used",
            "Scope",
            "Safeguarding sovereignty",
            "Respect for human rights",
            "Relation with other agreements",
        ],
    ),
    (
        "Criminalization",
        [
            "Entry into a system without right",
            "Interception without right",
            "Interference with stored data",
            "Interference with the working of a system",
            "Misuse of tools",
            "Forgery by means of a system",
            "Fraud by means of a system",
            "Offences against children involving abusive material",
            "Grooming of children",
            "Sharing intimate images without consent",
            "Laundering of proceeds",
            "Liability of legal persons",
            "Participation and attempt",
            "Prosecution, adjudication and sanctions",
            "Statute of limitations",
        ],
    ),
    ("Jurisdiction", ["Jurisdiction"]),
    (
        "Procedural measures and law enforcement",
        [
            "Reach of procedural measures",
            "Conditions and safeguards",
            "Swift preservation of stored data",
            "Preservation and partial disclosure of traffic data",
            "Orders to produce data",
            "Search and seizure of stored data",
            "Collection of traffic data as it flows",
            "Interception of content",
            "Freezing and seizure",
            "Confiscation",
            "Earlier convictions",
            "Protection of persons who report",
        ],
    ),
    (
        "International cooperation",
        [
            "General rules of cooperation",
            "Protection of personal data",
            "Extradition",
            "Transfer of sentenced persons",
            "Transfer of criminal proceedings",
            "Mutual legal assistance",
            "Information given without request",
            "Preservation on request",
            "Access to preserved data",
            "Traffic data collected on request",
            "Interception on request",
            "Cooperation on proceeds",
            "Return of assets",
            "Contact points open at all hours",
            "Cooperation between police services",
            "Joint investigations",
            "Special investigative techniques",
            "Assistance in emergencies",
        ],
    ),
    ("Preventive measures", ["Prevention"]),
    (
        "Technical assistance and information exchange",
        [
            "Technical assistance and training",
            "Exchange of information",
            "Development and assistance",
        ],
    ),
    ("Mechanism of implementation", ["Conference of the States Parties", "Secretariat"]),
    (
        "Final provisions",
        [
            "Implementation",
            "Settlement of disputes",
            "Signature, ratification and accession",
            "Entry into force",
            "Amendment",
            "Denunciation",
            "Protocols",
            "Depositary",
            "Languages",
            "Authentic texts",
        ],
    ),
]

PREAMBLE = [
    "The States Parties to this Convention,",
    "Noting that information and communications technologies bring great benefits and also new risks,",
    "Convinced that cooperation among States is needed to meet those risks,",
    "Have agreed as follows:",
]

# Demo sentences: {subject} is the article heading, lower-cased.
PARAGRAPHS = [
    "Each State Party shall adopt such measures as may be necessary to address {subject} under its domestic law.",
    "Each State Party may provide that measures on {subject} are subject to appropriate conditions and safeguards.",
    "States Parties shall cooperate with one another on {subject} to the widest extent possible.",
]

SPONSORS = [
    "AUT",
    "BRA",
    "JPN",
    "NGA",
    "EU",
    "USA",
    "RUS",
    "CHN",
    "IND",
    "EGY",
    "MEX",
    "CAN",
    "GBR",
    "AUS",
    "IRN",
    "ZAF",
    "CHE",
    "NOR",
    "ARG",
    "COL",
    "SAU",
    "KEN",
    "SGP",
    "NZL",
    "TUR",
    "CUB",
    "PAK",
    "IDN",
]

# (kind, span, text) patterns that fit the demo sentences above.
EDITS = [
    ("replace", "shall", "should"),
    ("replace", "shall", "shall, as appropriate,"),
    ("insert", "domestic law", ", consistent with its obligations under international human rights law"),
    ("delete", " to the widest extent possible", ""),
    (
        "replace",
        "appropriate conditions and safeguards",
        "conditions and safeguards provided for in its domestic law",
    ),
    ("insert", "Each State Party", ", in accordance with the fundamental principles of its legal system,"),
    ("replace", "may provide", "shall ensure"),
    ("delete", " and safeguards", ""),
]


def notation() -> str:
    lines = [f"Title: {DEMO_TITLE}", "", "Preamble", *PREAMBLE, ""]
    article = 0
    for c, (heading, articles) in enumerate(CHAPTERS, 1):
        lines.append(f"Chapter {c} — {heading}")
        for name in articles:
            article += 1
            lines.append(f"Article {article} — {name}")
            count = 1 + article % 3
            for n in range(count):
                sentence = PARAGRAPHS[(article + n) % len(PARAGRAPHS)].format(subject=name.lower())
                lines.append(f"{n + 1}. {sentence}" if count > 1 else sentence)
        lines.append("")
    return "\n".join(lines) + "\n"


def _table(instrument, rng: random.Random, paragraphs: list, count: int) -> list:  # type: ignore[no-untyped-def]
    from consensio.drafting.actions import do_cosponsor, do_table_proposal
    from consensio.engine.text.errors import TextError

    tabled = []
    attempts = 0
    while len(tabled) < count and attempts < count * 20:
        attempts += 1
        provision = rng.choice(paragraphs)
        provision.refresh_from_db(fields=["text", "status"])
        kind, span, words = rng.choice(EDITS)
        if span not in provision.text:
            continue
        sponsor = rng.choice(SPONSORS)
        try:
            row = do_table_proposal(
                None,
                instrument,
                kind=kind,
                eid=provision.eid,
                sponsor=sponsor,
                span=span,
                occurrence=1,
                text=words,
                justification="Demo proposal." if rng.random() < 0.5 else "",
            )
        except TextError:
            continue  # e.g. the provision was agreed meanwhile: pick another
        for code in rng.sample([s for s in SPONSORS if s != sponsor], rng.randint(0, 3)):
            do_cosponsor(None, row, delegation=code)
        tabled.append(row)
    return tabled


@transaction.atomic
def load_drafting_demo() -> bool:
    """Create the demo draft convention unless it exists; True when anything was created."""
    from consensio.drafting.actions import (
        do_import_text,
        do_set_provision_status,
        do_table_proposal,
        do_take_version,
        do_withdraw_proposal,
    )
    from consensio.drafting.models import Instrument, Provision
    from consensio.forum.models import Body

    if Instrument.objects.filter(title=DEMO_TITLE).exists():
        return False
    rng = random.Random(2024)
    instrument = do_import_text(
        None, data=notation().encode(), filename="draft.txt", body=Body.objects.filter(key="ahc").first()
    )
    do_take_version(None, instrument, name="Draft")

    paragraphs = list(
        Provision.objects.filter(instrument=instrument, kind__in=["paragraph"]).order_by("position")
    )
    first_round = _table(instrument, rng, paragraphs, 32)
    # A new article proposed by two delegations, and a proposal to delete a paragraph.
    prevention = Provision.objects.get(instrument=instrument, kind="article", heading="Prevention")
    do_table_proposal(
        None,
        instrument,
        kind="add_provision",
        eid=prevention.eid,
        sponsor="NGA",
        new_kind="article",
        heading="Awareness of the public",
        text="",
        justification="Prevention needs public awareness.",
    )
    deletable = paragraphs[40]
    do_table_proposal(None, instrument, kind="delete_provision", eid=deletable.eid, sponsor="CAN")

    # Chapter I agreed ad referendum, some of chapter IX informally, one article adopted.
    chapter_one = [p for p in paragraphs if p.eid.startswith("chp_1__")]
    for p in chapter_one[:5]:
        do_set_provision_status(None, p, trigger="agree_ad_ref")
    for p in [p for p in paragraphs if p.eid.startswith("chp_9__")][:3]:
        do_set_provision_status(None, p, trigger="agree_informally")
    languages = Provision.objects.get(instrument=instrument, kind="article", heading="Languages")
    do_set_provision_status(
        None, languages, trigger="adopt", decision_ref="Demo decision of the Committee, 8th meeting"
    )
    if first_round:
        do_withdraw_proposal(None, first_round[-1])
    do_take_version(None, instrument, name="Rev.1")

    # Work after Rev.1: more proposals, so that the current text differs from Rev.1.
    open_paragraphs = [p for p in paragraphs if not p.eid.startswith("chp_1__")]
    _table(instrument, rng, open_paragraphs, 14)
    return True
