"""The drafting demo: a draft convention of nine chapters and 68 articles, proposals, versions;
its Akoma Ntoso export validates against the AKN 3.0 schema."""

from __future__ import annotations

import pytest
from django.test import Client

from consensio.drafting.models import CoSponsorship, Instrument, Proposal, Provision, Version

pytestmark = pytest.mark.django_db

CHAPTERS = [
    "General provisions",
    "Criminalization",
    "Jurisdiction",
    "Procedural measures and law enforcement",
    "International cooperation",
    "Preventive measures",
    "Technical assistance and information exchange",
    "Mechanism of implementation",
    "Final provisions",
]


@pytest.fixture
def demo(db: None) -> Instrument:
    from consensio.drafting.demo import load_drafting_demo
    from consensio.forum.demo import load_forum_demo

    load_forum_demo()
    assert load_drafting_demo() is True
    return Instrument.objects.get()


def test_demo_is_shaped_like_the_convention_and_idempotent(demo: Instrument) -> None:
    from consensio.drafting.demo import load_drafting_demo

    chapters = list(Provision.objects.filter(instrument=demo, kind="chapter").order_by("position"))
    assert [c.heading for c in chapters] == CHAPTERS
    assert Provision.objects.filter(instrument=demo, kind="article").count() == 68
    assert demo.body is not None and demo.body.key == "ahc"
    proposals = Proposal.objects.filter(instrument=demo)
    assert proposals.count() >= 40
    assert len(set(proposals.values_list("sponsor_id", flat=True))) >= 12
    assert CoSponsorship.objects.filter(proposal__instrument=demo).count() >= 30
    assert Provision.objects.filter(instrument=demo, status="agreed_ad_ref").count() >= 5
    assert list(Version.objects.filter(instrument=demo).values_list("name", flat=True)) == ["Draft", "Rev.1"]
    assert load_drafting_demo() is False
    assert Instrument.objects.count() == 1


def test_demo_akn_export_validates_against_the_schema(demo: Instrument) -> None:
    from consensio.engine.text.export_akn import validate_akn

    xml = Client().get(f"/texts/{demo.pk}/export.akn").content
    assert b'name="bracket"' in xml
    assert validate_akn(xml) == []


def test_demo_pages_have_something_to_show(demo: Instrument) -> None:
    client = Client()
    text = client.get(f"/texts/{demo.pk}/").content.decode()
    assert text.count('class="bracket') >= 30 and "agreed ad ref" in text and "Final provisions" in text
    draft, rev1 = Version.objects.filter(instrument=demo).order_by("taken_at", "id")
    redline = client.get(f"/texts/{demo.pk}/compare/", {"old": draft.pk, "new": rev1.pk}).content.decode()
    assert redline.count('class="change"') >= 20 and "<ins>" in redline
