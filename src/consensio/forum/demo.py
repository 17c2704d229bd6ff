"""The forum's demo: the Ad Hoc Committee established by GA resolution 74/247, its bureau,
sessions, dates and venues (research/domain.md §5.1-5.3, §7), three venues with cost
figures, delegations for the reconvened concluding session, and a few documents.

Facts come with their sources. What is not a sourced fact is said to be a demo value:
meeting times follow the standard pattern (10:00-13:00 and 15:00-18:00) rather than each
session's actual record, the venue figures are illustrative, the agenda is an outline,
and the documents' files hold demo text, not the official documents.

`load_forum_demo()` is idempotent: it creates only what is missing.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

from django.db import transaction

D = dt.date
UNODC_AHC = "https://www.unodc.org/unodc/en/cybercrime/cybercrime-adhoc-committee.html"
ILLUSTRATIVE = ("Illustrative demo value, no public source checked; replace with the secretariat's figure. "
                "Where to check: {where}")
ICSC_DSA = "ICSC daily subsistence allowance schedule, https://icsc.un.org/Home/DailySubsistence"

VENUES = [
    # key, name, city, country, figures (conference, interpretation, documentation per page, DSA, travel)
    ("vic", "Vienna International Centre", "Vienna", "Austria",
     (Decimal("9000"), Decimal("18000"), Decimal("420"), Decimal("300"), Decimal("1600"))),
    ("unhq", "United Nations Headquarters", "New York", "United States",
     (Decimal("12500"), Decimal("21000"), Decimal("480"), Decimal("400"), Decimal("1900"))),
    ("palais", "Palais des Nations", "Geneva", "Switzerland",
     (Decimal("11000"), Decimal("20000"), Decimal("470"), Decimal("430"), Decimal("1700"))),
]
FIGURE_WHERE = {
    "conference_per_day": "the host's conference-services rate card",
    "interpretation_per_day": "the programme budget implications statement of the session (e.g. read out with A/AC.291/L.16)",
    "documentation_per_page": "the programme budget implications statement (cost per page, six languages)",
    "subsistence_per_day": ICSC_DSA,
    "travel_per_delegation": "the trust fund's travel records for funded delegations",
}

BODY = {
    "key": "ahc",
    "name": ("Ad Hoc Committee to Elaborate a Comprehensive International Convention on Countering the Use of "
             "Information and Communications Technologies for Criminal Purposes"),
    "short_name": "AHC",
    "mandate": "A/RES/74/247",
    "mandate_adopted_on": D(2019, 12, 27),
    "rulebook": "ahc-74-247",
    "secretariat": "United Nations Office on Drugs and Crime (UNODC), Organized Crime Branch (substantive secretariat)",
    "document_prefix": "A/AC.291",
    "source": f"{UNODC_AHC} ; modalities: A/RES/75/282 (26 May 2021), https://press.un.org/en/2021/ga12328.doc.htm",
}

# (office, regional group, State key, name) as elected on 10 May 2021 (domain.md §5.2).
BUREAU = [
    ("chair", "African Group", "DZA", "H.E. Ms. Faouzia Boumaiza Mebarki"),
    ("vice_chair", "African Group", "EGY", "H.E. Mr. Mohamed Hamdy Elmolla"),
    ("vice_chair", "African Group", "NGA", "Mr. Terlumun George-Maria Tyendezwa"),
    ("vice_chair", "Asia-Pacific Group", "CHN", "Mr. Wu Haiwen"),
    ("vice_chair", "Asia-Pacific Group", "JPN", "Mr. Chitaru Shimizu"),
    ("vice_chair", "Eastern European Group", "EST", "Mr. Markko Künnapu"),
    ("vice_chair", "Eastern European Group", "POL", "H.E. Ms. Dominika Krois"),
    ("vice_chair", "Eastern European Group", "RUS", "Mr. Dmitry Bukin"),
    ("vice_chair", "Latin American and Caribbean Group", "DOM", "Mr. Claudio Peguero Castillo"),
    ("vice_chair", "Latin American and Caribbean Group", "NIC", "Mrs. Sabra Amari Murillo Centeno"),
    ("vice_chair", "Latin American and Caribbean Group", "SUR", "H.E. Ms. Kitty Sweeb"),
    ("vice_chair", "Western European and Others Group", "AUS", "Mr. Emil Stojanovski"),
    ("vice_chair", "Western European and Others Group", "PRT", "H.E. Mr. Antonio de Almeida Ribeiro"),
    ("vice_chair", "Western European and Others Group", "USA", "Mr. James Walsh"),
    ("rapporteur", "Asia-Pacific Group", "IDN", "Mr. Arsi Dwinugra Firdausy"),
]

AHC_ORG_MATTERS = "https://unodc.org/unodc/en/cybercrime/ad_hoc_committee/ahc-session-organizational-matters.html"
PUBLICDIPLOMACY_2 = "https://www.publicdiplomacy.online/post/unodc-second-session-of-the-ad-hoc-committee"
# (number, label, start, end, venue key, room, source) — domain.md §5.1.
SESSIONS = [
    (None, "Organizational session", D(2021, 5, 10), D(2021, 5, 12), "unhq", "", UNODC_AHC),
    (None, "Session on organizational matters", D(2022, 2, 24), D(2022, 2, 24), "unhq", "General Assembly Hall",
     AHC_ORG_MATTERS),
    (1, "First session", D(2022, 2, 28), D(2022, 3, 11), "unhq", "", f"{AHC_ORG_MATTERS} ; {PUBLICDIPLOMACY_2}"),
    (2, "Second session", D(2022, 5, 30), D(2022, 6, 10), "vic", "", PUBLICDIPLOMACY_2),
    (3, "Third session", D(2022, 8, 29), D(2022, 9, 9), "unhq", "Trusteeship Council Chamber",
     "https://unodc.org/unodc/en/cybercrime/ad_hoc_committee/ahc_third_session/main.html"),
    (4, "Fourth session", D(2023, 1, 9), D(2023, 1, 20), "vic", "",
     "https://www.einpresswire.com/article/610343122/"),
    (5, "Fifth session", D(2023, 4, 11), D(2023, 4, 21), "vic", "Board Room C",
     "https://unodc.org/unodc/en/cybercrime/ad_hoc_committee/ahc_fifth_session/main"),
    (6, "Sixth session", D(2023, 8, 21), D(2023, 9, 1), "unhq", "Conference Room 1",
     "UNODC sixth session main page and general information (domain.md §5.1)"),
    (7, "Concluding session", D(2024, 1, 29), D(2024, 2, 9), "unhq", "",
     "https://globalinitiative.net/announcements/cyber-convention-check-in/"),
    (8, "Reconvened concluding session", D(2024, 7, 29), D(2024, 8, 9), "unhq", "",
     "UNODC reconvened concluding session page; A/RES/75/282 and GA decision 78/549 (domain.md §5.1)"),
]
MEETING_PATTERN = "Meetings follow the standard pattern, 10:00-13:00 and 15:00-18:00 on working days (domain.md §5.1), not each day's actual record."

AGENDA = [
    ("1", "Opening of the session"),
    ("2", "Organizational matters: adoption of the agenda and organization of work"),
    ("3", "Consideration of the draft convention"),
    ("4", "Adoption of the report"),
]

PARTICIPANTS = [
    ("interpol", "International Criminal Police Organization (INTERPOL)", "igo",
     "A/RES/75/282, operative paragraph 7 (intergovernmental organizations) — demo entry"),
    ("coe", "Council of Europe", "igo", "A/RES/75/282, operative paragraph 7 (intergovernmental organizations) — demo entry"),
    ("eff", "Electronic Frontier Foundation", "other",
     "A/RES/75/282, operative paragraph 9 (EFF Deeplinks, 7 Feb 2024; domain.md §7.1)"),
]

DEMO_NOTE = ("Demonstration text generated by Consensio. It is not the text of the official document {symbol}; "
             "official documents are issued through the Official Document System (ODS).")
DOCUMENTS = [
    # symbol, title, type, distribution, agenda item, language texts
    ("A/AC.291/22/Rev.3", "Updated draft text of the convention", "draft_text", "general", "3", {
        "en": ["Chapter II. Criminalization.", "Article 7. Illegal access to an information and communications "
               "technology system.", "Chapter IV. Procedural measures and law enforcement: preservation of stored "
               "electronic data and production orders.", "Chapter V. International cooperation and mutual legal "
               "assistance in the collection of evidence in electronic form."],
        "fr": ["Chapitre II. Incrimination.", "Article 7. Accès illicite à un système informatique.",
               "Chapitre V. Coopération internationale et entraide judiciaire pour la collecte de preuves "
               "sous forme électronique."],
    }),
    ("A/AC.291/27", "Interpretative notes on specific articles of the updated draft text", "working_paper",
     "general", "3", {"en": ["Interpretative note on article 2: definitions of electronic data and traffic data.",
                             "Interpretative note on article 24: conditions and safeguards, human rights."]}),
    ("A/AC.291/L.15", "Draft convention as approved by the Ad Hoc Committee", "draft_text", "limited", "3", {
        "en": ["United Nations Convention against Cybercrime; strengthening international cooperation for "
               "combating certain crimes committed by means of information and communications technology systems "
               "and for the sharing of evidence in electronic form of serious crimes."]}),
    ("A/AC.291/CRP.1", "Chair's notes on informal consultations (demo, restricted)", "crp", "restricted", "3", {
        "en": ["Confidential outline of the informal consultations on the scope of the convention and on "
               "safeguards, prepared for delegations only."]}),
]


def _docx(paragraphs: list[str]) -> bytes:
    import docx

    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _working_days(start: dt.date, end: dt.date) -> list[dt.date]:
    days = [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]
    return [d for d in days if d.weekday() < 5]


def _venues() -> bool:
    from consensio.forum.actions import do_save_venue, do_set_venue_figure
    from consensio.forum.models import FigureKind, Venue

    created = False
    for key, name, city, country, amounts in VENUES:
        if Venue.objects.filter(key=key).exists():
            continue
        venue = do_save_venue(None, key=key, name=name, city=city, country=country)
        for kind, amount in zip(FigureKind.values, amounts, strict=True):
            do_set_venue_figure(None, venue, kind=kind, amount=amount, as_of=D(2024, 1, 1), illustrative=True,
                                source=ILLUSTRATIVE.format(where=FIGURE_WHERE[kind]))
        created = True
    return created


def _body() -> bool:
    from consensio.actors.models import Actor
    from consensio.forum import actions as a
    from consensio.forum.models import Body, Venue

    if Body.objects.filter(key=BODY["key"]).exists():
        return False
    body = a.do_create_body(None, **BODY)
    states = {s.key: s for s in Actor.objects.filter(key__in=[b[2] for b in BUREAU])}
    for office, group, key, person in BUREAU:
        a.do_elect_bureau_member(None, body, office=office, person=person, state=states[key], regional_group=group,
                                 since=D(2021, 5, 10), source=UNODC_AHC)
    for actor in Actor.objects.filter(un_member=True):
        a.do_set_membership(None, body, standing="member", actor=actor)
    for actor in Actor.objects.filter(observer=True):
        a.do_set_membership(None, body, standing="observer", actor=actor)
    venues = {v.key: v for v in Venue.objects.all()}
    for number, label, start, end, venue, room, source in SESSIONS:
        session = a.do_create_session(None, body, label=label, number=number, starts_on=start, ends_on=end,
                                      venue=venues[venue], room=room, source=f"{source} — {MEETING_PATTERN}")
        a.do_set_agenda(None, session, AGENDA)
        days = _working_days(start, end)
        specs = []
        for day in days:
            for begin, finish in ((dt.time(10), dt.time(13)), (dt.time(15), dt.time(18))):
                specs.append({"kind": "formal", "date": day, "starts_at": begin, "ends_at": finish})
        for n, spec in enumerate(specs, start=1):
            spec["number"] = n
            spec["agenda"] = ["3"]
        specs[0]["agenda"] = ["1", "2"]
        if len(specs) > 1:
            specs[-1]["agenda"] = ["4"]
        a.do_schedule_meetings(None, session, specs)
    return True


def _delegations() -> bool:
    from django.contrib.auth import get_user_model

    from consensio.actors.models import Actor
    from consensio.forum import actions as a
    from consensio.forum.models import Delegation, Participant, Session

    session = Session.objects.filter(body__key="ahc", number=8).first()
    if session is None or Delegation.objects.filter(session=session).exists():
        return False
    for key, name, kind, basis in PARTICIPANTS:
        if not Participant.objects.filter(key=key).exists():
            a.do_register_participant(None, key=key, name=name, kind=kind, basis=basis)
    users = {u.profile.actor.key: u for u in get_user_model().objects.select_related("profile__actor")
             .filter(profile__actor__isnull=False)}
    for key in ("DZA", "AUT", "BRA", "JPN", "NGA", "EU"):
        actor = Actor.objects.get(key=key)
        delegation = a.do_accredit(None, session, actor=actor)
        a.do_add_delegate(None, delegation, name=f"Head of the delegation of {actor.name} (demo)", function="head",
                          linked_user=users.get(key))
        a.do_add_delegate(None, delegation, name=f"Alternate of {actor.name} (demo)", function="alternate")
        if key in ("AUT", "BRA", "JPN", "EU"):
            a.do_submit_credentials(None, delegation)
        if key in ("BRA", "JPN"):
            a.do_accept_credentials(None, delegation)
    for participant in Participant.objects.all():
        a.do_accredit(None, session, participant=participant)
    return True


def _documents() -> bool:
    from consensio.forum import actions as a
    from consensio.forum.models import Document, Session

    session = Session.objects.filter(body__key="ahc", number=8).select_related("body").first()
    if session is None:
        return False
    items = {i.number: i for i in session.agenda_items.all()}
    created = False
    for symbol, title, doc_type, distribution, item, texts in DOCUMENTS:
        if Document.objects.filter(symbol=symbol).exists():
            continue
        languages = list(texts)
        first = languages[0]
        document = a.do_issue_document(
            None, symbol=symbol, title=title, doc_type=doc_type, distribution=distribution, language=first,
            filename=f"demo-{first}.docx", data=_docx([DEMO_NOTE.format(symbol=symbol), *texts[first]]),
            body=session.body, sessions=[session], agenda_items=[items[item]], issued_on=session.starts_on,
        )
        for language in languages[1:]:
            a.do_add_language_version(None, document, language=language, filename=f"demo-{language}.docx",
                                      data=_docx([DEMO_NOTE.format(symbol=symbol), *texts[language]]))
        created = True
    return created


@transaction.atomic
def load_forum_demo() -> bool:
    """Create the forum demo where missing; True when anything was created."""
    created = _venues()
    created = _body() or created
    created = _delegations() or created
    created = _documents() or created
    return created
