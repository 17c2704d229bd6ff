"""The rolling text, provision, comparison and export pages through HTTP, as each persona sees them."""

from __future__ import annotations

import pytest
from django.test import Client

from consensio.drafting.models import CoSponsorship, Proposal, ProvisionStatus, Version
from consensio.records.models import JournalEntry

pytestmark = pytest.mark.django_db

ART1_P1 = "chp_1__art_1__para_1"


def region(html: str, element_id: str) -> str:
    """The markup of the element with this id (lxml re-serializes it)."""
    from lxml import etree
    from lxml import html as lhtml

    found = lhtml.fromstring(html).get_element_by_id(element_id, None)
    assert found is not None, f"no element #{element_id}"
    return etree.tostring(found, encoding="unicode", method="html")


def many(table, n: int) -> None:  # type: ignore[no-untyped-def]
    codes = ["AUT", "BRA", "JPN", "NGA", "EU", "USA", "CHN", "IND", "MEX", "CAN"]
    for k in range(n):
        row = table(codes[k % len(codes)], ART1_P1, "insert", span="measures", text=f" ({k})")
        for code in codes[(k + 1) % len(codes) : (k + 1) % len(codes) + 2]:
            from consensio.drafting.actions import do_cosponsor

            if code != row.sponsor_id:
                do_cosponsor(None, row, delegation=code)


@pytest.mark.parametrize("n", [2, 50])
def test_rolling_text_page_in_a_fixed_number_of_queries(
    instrument, table, n, django_assert_num_queries
) -> None:  # type: ignore[no-untyped-def]
    many(table, n)
    # instrument, provisions, proposals, co-sponsorships, sponsor names, versions
    with django_assert_num_queries(6 + 2):  # + 2: the page cache, first anonymous request
        response = Client().get(f"/texts/{instrument.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('class="option"') == n
    assert 'data-live="drafting"' in html and f'id="rolling-text-{instrument.pk}"' in html


def test_brackets_show_sponsor_and_cosponsors(instrument, table) -> None:  # type: ignore[no-untyped-def]
    from consensio.drafting.actions import do_cosponsor

    row = table("EU", ART1_P1, "replace", span="shall adopt", text="may adopt")
    do_cosponsor(None, row, delegation="JPN")
    table("USA", "chp_1__art_1__para_2", "delete", span=" to the widest extent possible")
    html = Client().get(f"/texts/{instrument.pk}/").content.decode()
    para = region(html, f"prov-{instrument.pk}-{ART1_P1}")
    assert '[</span>may adopt<span class="br">]</span><span class="attribution">{EU, JPN}</span>' in para
    assert '[</span>shall adopt<span class="br">]</span></span>' in para  # the base wording as Alt 1
    deletion = region(html, f"prov-{instrument.pk}-chp_1__art_1__para_2")
    assert '<span class="attribution">{delete: USA}</span>' in deletion


def test_filters_by_sponsor_status_chapter_and_my_delegation(instrument, table, persona) -> None:  # type: ignore[no-untyped-def]
    from consensio.drafting.actions import do_set_provision_status
    from consensio.drafting.models import Provision

    table("AUT", ART1_P1, "insert", span="measures", text=" promptly")
    table("JPN", "chp_2__art_3__para_1__subpara_a", "replace", span="intentionally", text="wilfully")
    do_set_provision_status(None, Provision.objects.get(eid="chp_1__art_2__para_1"), trigger="agree_ad_ref")
    url = f"/texts/{instrument.pk}/"

    jpn = Client().get(url, {"sponsor": "JPN"}).content.decode()
    assert "wilfully" in jpn and "promptly" not in jpn and "Article 3" in jpn and "Article 1</a>" not in jpn

    agreed = Client().get(url, {"status": "agreed_ad_ref"}).content.decode()
    assert 'data-eid="chp_1__art_2__para_1"' in agreed and f'data-eid="{ART1_P1}"' not in agreed
    assert "agreed ad ref" in agreed

    chapter = Client().get(url, {"chapter": "chp_2"}).content.decode()
    assert "Entry without right" in chapter and "Purposes" not in region(
        chapter, f"rolling-text-{instrument.pk}"
    )

    mine = persona("austria").get(url, {"mine": "1"}).content.decode()
    text = region(mine, f"rolling-text-{instrument.pk}")
    assert "promptly" in text and "wilfully" not in text
    assert 'id="mine"' in mine
    assert 'id="mine"' not in Client().get(url).content.decode()


def test_status_colours_are_classes_on_the_provisions(instrument, table) -> None:  # type: ignore[no-untyped-def]
    from consensio.drafting.actions import do_set_provision_status
    from consensio.drafting.models import Provision

    do_set_provision_status(None, Provision.objects.get(eid=ART1_P1), trigger="agree_informally")
    do_set_provision_status(None, Provision.objects.get(eid="chp_1__art_2__para_1"), trigger="agree_ad_ref")
    do_set_provision_status(None, Provision.objects.get(eid="chp_1__art_1__para_2"), trigger="delete")
    html = Client().get(f"/texts/{instrument.pk}/").content.decode()
    assert f'class="prov paragraph status-informally_agreed" data-eid="{ART1_P1}"' in html
    assert 'class="prov paragraph status-agreed_ad_ref" data-eid="chp_1__art_2__para_1"' in html
    assert "chp_1__art_1__para_2" not in html  # deleted provisions leave the rolling text
    assert ".status-agreed_ad_ref{" in html and ".status-deleted{" in html


def test_delegate_tables_a_proposal(instrument, persona) -> None:  # type: ignore[no-untyped-def]
    austria = persona("austria")
    response = austria.post(
        f"/texts/{instrument.pk}/provisions/{ART1_P1}/propose/",
        {"kind": "insert", "span": "measures", "text": " without delay", "justification": "Speed matters."},
    )
    assert response.status_code == 302
    row = Proposal.objects.get()
    assert (row.sponsor_id, row.kind, row.start, row.text, row.version) == (
        "AUT",
        "insert",
        37,
        " without delay",
        1,
    )
    assert row.tabled_by.username == "austria"
    entry = JournalEntry.objects.order_by("-seq").first()
    assert entry.kind == "drafting.proposal.tabled" and entry.payload["sponsor"] == "AUT"
    page = Client().get(f"/texts/{instrument.pk}/").content.decode()
    assert 'without delay<span class="br">]</span><span class="attribution">{AUT}</span>' in page


def test_a_delegate_acts_only_for_their_own_delegation(instrument, persona) -> None:  # type: ignore[no-untyped-def]
    response = persona("austria").post(
        f"/texts/{instrument.pk}/provisions/{ART1_P1}/propose/",
        {"kind": "insert", "span": "measures", "text": " now", "sponsor": "BRA"},
    )
    assert response.status_code == 403
    assert "own delegation (AUT)" in response.content.decode()
    assert not Proposal.objects.exists()


def test_observers_and_the_public_cannot_table(instrument, persona) -> None:  # type: ignore[no-untyped-def]
    url = f"/texts/{instrument.pk}/provisions/{ART1_P1}/propose/"
    data = {"kind": "insert", "span": "measures", "text": " now"}
    observer = persona("observer")
    assert observer.post(url, data).status_code == 403
    assert persona("chair").post(url, data).status_code == 403
    anonymous = persona("anonymous").post(url, data)
    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]
    assert not Proposal.objects.exists()
    page = observer.get(f"/texts/{instrument.pk}/provisions/{ART1_P1}/").content.decode()
    assert 'id="proposal-form"' not in page


def test_secretariat_records_a_proposal_on_a_delegations_behalf(instrument, persona) -> None:  # type: ignore[no-untyped-def]
    secretariat = persona("secretariat")
    url = f"/texts/{instrument.pk}/provisions/{ART1_P1}/propose/"
    assert secretariat.post(url, {"kind": "delete", "span": " of systems"}).status_code == 400
    response = secretariat.post(url, {"kind": "delete", "span": " of systems", "sponsor": "nga"})
    assert response.status_code == 302
    assert Proposal.objects.get().sponsor_id == "NGA"


def test_a_span_not_in_the_text_is_refused_naming_it(instrument, persona) -> None:  # type: ignore[no-untyped-def]
    response = persona("austria").post(
        f"/texts/{instrument.pk}/provisions/{ART1_P1}/propose/",
        {"kind": "replace", "span": "shall never", "text": "may"},
    )
    assert response.status_code == 400
    error = region(response.content.decode(), "error")
    assert ART1_P1 in error and "shall never" in error and "not in the current text" in error
    assert not Proposal.objects.exists()


@pytest.mark.parametrize(
    ("trigger", "decision", "status"),
    [("adopt", "Decision 3/1", "adopted"), ("delete", "", "deleted"), ("agree_ad_ref", "", "agreed_ad_ref")],
)
def test_no_proposals_on_a_closed_provision(instrument, persona, trigger, decision, status) -> None:  # type: ignore[no-untyped-def]
    from consensio.drafting.actions import do_set_provision_status
    from consensio.drafting.models import Provision

    do_set_provision_status(None, Provision.objects.get(eid=ART1_P1), trigger=trigger, decision_ref=decision)
    response = persona("austria").post(
        f"/texts/{instrument.pk}/provisions/{ART1_P1}/propose/",
        {"kind": "insert", "span": "measures", "text": " now"},
    )
    assert response.status_code == 409
    assert f"{ART1_P1} is {status} and takes no proposals" in response.content.decode()
    assert not Proposal.objects.exists()


def test_unknown_provision_is_a_404(instrument, persona) -> None:  # type: ignore[no-untyped-def]
    assert Client().get(f"/texts/{instrument.pk}/provisions/chp_9__art_99/").status_code == 404
    assert Client().get("/texts/9999/").status_code == 404


def test_cosponsor_and_withdraw(instrument, table, persona) -> None:  # type: ignore[no-untyped-def]
    row = table("AUT", ART1_P1, "insert", span="measures", text=" now")
    brazil = persona("brazil")
    page = brazil.get(f"/texts/{instrument.pk}/provisions/{ART1_P1}/").content.decode()
    assert f'action="/proposals/{row.pk}/cosponsor/"' in page
    assert brazil.post(f"/proposals/{row.pk}/cosponsor/").status_code == 302
    assert list(CoSponsorship.objects.values_list("delegation_id", "withdrawn_at")) == [("BRA", None)]
    row.refresh_from_db()
    assert row.version == 2
    html = Client().get(f"/texts/{instrument.pk}/").content.decode()
    assert '<span class="attribution">{AUT, BRA}</span>' in html
    # Joining twice is refused; withdrawing keeps the record with its date.
    again = brazil.post(f"/proposals/{row.pk}/cosponsor/")
    assert again.status_code == 409 and "already co-sponsors" in again.content.decode()
    assert brazil.post(f"/proposals/{row.pk}/cosponsor/withdraw/").status_code == 302
    record = CoSponsorship.objects.get()
    assert record.withdrawn_at is not None
    assert (
        '<span class="attribution">{AUT}</span>' in Client().get(f"/texts/{instrument.pk}/").content.decode()
    )
    # The sponsor cannot co-sponsor its own proposal; an observer cannot co-sponsor.
    assert persona("austria").post(f"/proposals/{row.pk}/cosponsor/").status_code == 409
    assert persona("observer").post(f"/proposals/{row.pk}/cosponsor/").status_code == 403


def test_sponsor_lists_freeze_on_adoption(instrument, table, persona) -> None:  # type: ignore[no-untyped-def]
    from consensio.drafting.actions import do_set_provision_status
    from consensio.drafting.models import Provision

    row = table("AUT", ART1_P1, "insert", span="measures", text=" now")
    do_set_provision_status(
        None, Provision.objects.get(eid=ART1_P1), trigger="adopt", decision_ref="Decision 1"
    )
    response = persona("brazil").post(f"/proposals/{row.pk}/cosponsor/")
    assert response.status_code == 409
    assert "sponsor list is frozen" in response.content.decode()
    assert not CoSponsorship.objects.exists()


def test_concurrent_edits_the_second_gets_a_conflict(instrument, table, persona, delegate) -> None:  # type: ignore[no-untyped-def]
    row = table("AUT", ART1_P1, "insert", span="measures", text=" now")
    first = persona("austria")
    second = delegate("austria2", "AUT")
    # Both opened the provision page at version 1.
    for client in (first, second):
        assert (
            'name="version" value="1"'
            in client.get(f"/texts/{instrument.pk}/provisions/{ART1_P1}/").content.decode()
        )
    ok = first.post(
        f"/proposals/{row.pk}/edit/", {"version": 1, "text": " at once", "justification": "first"}
    )
    assert ok.status_code == 302
    late = second.post(
        f"/proposals/{row.pk}/edit/", {"version": 1, "text": " later", "justification": "second"}
    )
    assert late.status_code == 409
    body = late.content.decode()
    assert "changed meanwhile: you had version 1, it is now at 2" in body
    row.refresh_from_db()
    assert (row.text, row.justification, row.version) == (" at once", "first", 2)
    assert JournalEntry.objects.filter(kind="drafting.proposal.edited").count() == 1


def test_only_the_sponsor_edits_or_withdraws(instrument, table, persona) -> None:  # type: ignore[no-untyped-def]
    row = table("AUT", ART1_P1, "insert", span="measures", text=" now")
    brazil = persona("brazil")
    assert brazil.post(f"/proposals/{row.pk}/edit/", {"version": 1, "text": " x"}).status_code == 403
    assert brazil.post(f"/proposals/{row.pk}/withdraw/").status_code == 403
    austria = persona("austria")
    assert austria.post(f"/proposals/{row.pk}/withdraw/", {"version": 1}).status_code == 302
    row.refresh_from_db()
    assert (row.status, row.version) == ("withdrawn", 2)
    assert "[" not in region(
        Client().get(f"/texts/{instrument.pk}/").content.decode(), f"prov-{instrument.pk}-{ART1_P1}"
    )


def test_provision_page_shows_proposals_cosponsors_and_history(
    instrument, table, persona, django_assert_num_queries
) -> None:  # type: ignore[no-untyped-def]
    from consensio.drafting.actions import do_cosponsor, do_set_provision_status
    from consensio.drafting.models import Provision

    for n in range(3):
        row = table(["AUT", "JPN", "EU"][n], ART1_P1, "insert", span="measures", text=f" {n}")
        do_cosponsor(None, row, delegation="BRA")
    do_set_provision_status(None, Provision.objects.get(eid=ART1_P1), trigger="agree_informally")
    client = Client()
    # instrument, provision, provisions, proposals (+ sponsors), co-sponsorships, their delegations, history
    with django_assert_num_queries(7 + 2):  # + 2: the page cache, first anonymous request
        response = client.get(f"/texts/{instrument.pk}/provisions/{ART1_P1}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert region(html, "proposals").count('class="proposal proposal-tabled"') == 3
    assert "Japan (JPN)" in html and html.count('<span class="cosponsor-list">BRA</span>') == 3
    assert "agreed informally" in region(html, "history") and "system" in region(html, "history")
    assert "article 1, paragraph 1" in html.lower()


def test_secretariat_status_controls(instrument, persona) -> None:  # type: ignore[no-untyped-def]
    url = f"/texts/{instrument.pk}/provisions/{ART1_P1}/status/"
    assert persona("austria").post(url, {"trigger": "agree_ad_ref"}).status_code == 403
    secretariat = persona("secretariat")
    page = secretariat.get(f"/texts/{instrument.pk}/provisions/{ART1_P1}/").content.decode()
    assert 'id="status-form"' in page and '<option value="reopen">' not in page
    assert secretariat.post(url, {"trigger": "agree_ad_ref"}).status_code == 302
    record = ProvisionStatus.objects.get(provision__eid=ART1_P1)
    assert (record.status, record.set_by.username, record.decision_ref) == (
        "agreed_ad_ref",
        "secretariat",
        "",
    )
    # Adoption needs a decision; agreeing informally from ad ref is not in the table.
    refused = secretariat.post(url, {"trigger": "adopt"})
    assert refused.status_code == 409 and "give the decision_ref" in refused.content.decode()
    backwards = secretariat.post(url, {"trigger": "agree_informally"})
    assert backwards.status_code == 409 and "allowed from here" in backwards.content.decode()
    assert (
        secretariat.post(url, {"trigger": "adopt", "decision_ref": "A/AC.291/L.1, para. 3"}).status_code
        == 302
    )
    assert list(ProvisionStatus.objects.values_list("status", flat=True)) == ["agreed_ad_ref", "adopted"]
    assert JournalEntry.objects.filter(kind="drafting.provision.status").count() == 2


def test_versions_and_comparison(instrument, table, persona) -> None:  # type: ignore[no-untyped-def]
    secretariat = persona("secretariat")
    assert persona("austria").post(f"/texts/{instrument.pk}/versions/", {"name": "Draft"}).status_code == 403
    assert secretariat.post(f"/texts/{instrument.pk}/versions/", {"name": "Draft"}).status_code == 302
    table("AUT", ART1_P1, "replace", span="shall adopt", text="may adopt")
    assert secretariat.post(f"/texts/{instrument.pk}/versions/", {"name": "Rev.1"}).status_code == 302
    secretariat.post(f"/texts/{instrument.pk}/versions/", {"name": "Rev.1"})
    assert Version.objects.filter(name="Rev.1").count() == 1
    draft, rev1 = Version.objects.order_by("taken_at", "id")
    assert "[[shall adopt] | [may adopt]{AUT}]" in rev1.notation
    response = Client().get(f"/texts/{instrument.pk}/compare/", {"old": draft.pk, "new": rev1.pk})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Comparison of Draft with Rev.1" in html
    change = region(html, "redline")
    assert f'data-eid="{ART1_P1}"' in change and "<ins>" in change and "may adopt" in change
    same = (
        Client().get(f"/texts/{instrument.pk}/compare/", {"old": rev1.pk, "new": "current"}).content.decode()
    )
    assert 'id="no-differences"' in same
    assert Client().get(f"/texts/{instrument.pk}/compare/", {"old": "x"}).status_code == 404


@pytest.mark.parametrize(
    ("fmt", "content_type", "marker"),
    [
        ("akn", "application/akn+xml", b"<akomaNtoso"),
        ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", b"PK"),
        ("html", "text/html; charset=utf-8", b"<!DOCTYPE html>"),
        ("md", "text/markdown; charset=utf-8", b"Title: Draft convention (test)"),
    ],
)
def test_downloads(instrument, table, fmt, content_type, marker) -> None:  # type: ignore[no-untyped-def]
    table("JPN", ART1_P1, "insert", span="measures", text=" now")
    response = Client().get(f"/texts/{instrument.pk}/export.{fmt}")
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert marker in response.content[:200]
    assert f'filename="text-{instrument.pk}.' in response["Content-Disposition"]
    if fmt == "md":
        assert "[ now]{JPN}" in response.content.decode()


def test_unknown_export_format_is_a_404(instrument) -> None:  # type: ignore[no-untyped-def]
    assert Client().get(f"/texts/{instrument.pk}/export.pdf").status_code == 404


def test_texts_list_and_nav_link(instrument) -> None:  # type: ignore[no-untyped-def]
    html = Client().get("/texts/").content.decode()
    assert "Draft convention (test)" in html
    assert '<a href="/texts/">Negotiating texts</a>' in html
