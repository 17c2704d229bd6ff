"""Body, session, agenda item and delegation pages through HTTP, as each persona sees them."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from consensio.forum.models import CredentialsStatus, Delegate, Delegation, can_vote
from consensio.records.models import JournalEntry

pytestmark = pytest.mark.django_db


def test_body_page_shows_mandate_bureau_and_sessions(forum, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    with django_assert_num_queries(3 + 2):  # + 2: the page cache, first anonymous request
        response = Client().get("/bodies/ahc/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<dd id="mandate">A/RES/74/247' in html
    assert "<code>ahc-74-247</code>" in html
    bureau = re.search(r'<table class="table" id="bureau">(.*?)</table>', html, re.S).group(1)
    assert bureau.count("<tr data-office=") == 2
    assert 'data-office="chair"' in bureau and "Algeria" in bureau
    assert "Fifth session" in html and "Board Room C" in html


def test_bodies_list(forum, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    with django_assert_num_queries(1 + 2):  # + 2: the page cache, first anonymous request
        response = Client().get("/bodies/")
    assert response.status_code == 200
    assert "1 session" in response.content.decode()


def test_unknown_body_is_a_404_page() -> None:
    response = Client().get("/bodies/nope/")
    assert response.status_code == 404
    assert b"Traceback" not in response.content


def test_session_page_groups_meetings_by_day_and_lists_the_agenda(forum, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    with django_assert_num_queries(8 + 2):  # + 2: the page cache, first anonymous request
        response = Client().get(f"/sessions/{forum.session.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h3>Tuesday, April 11, 2023</h3>") == 1
    assert "<h3>Wednesday, April 12, 2023</h3>" in html
    assert html.count('data-kind="formal"') == 2 and html.count('data-kind="informal"') == 1
    assert "Informal consultations on chapter V" in html
    assert "1. Opening of the session" in html
    members = re.search(r'<ul id="members">(.*?)</ul>', html, re.S).group(1)
    observers = re.search(r'<ul id="observers">(.*?)</ul>', html, re.S).group(1)
    assert "Austria" in members and "Brazil" in members and "European Union" not in members
    assert "European Union" in observers and "Electronic Frontier Foundation" in observers


def test_session_page_lists_only_the_documents_the_viewer_may_see(forum, persona) -> None:  # type: ignore[no-untyped-def]
    url = f"/sessions/{forum.session.pk}/"
    public = Client().get(url).content.decode()
    assert "A/AC.291/22" in public and "A/AC.291/L.15" not in public and "CRP.9" not in public
    observer = persona("observer").get(url).content.decode()
    assert "A/AC.291/L.15" in observer and "CRP.9" not in observer and "Zanzibar" not in observer
    delegate = persona("austria").get(url).content.decode()
    assert "A/AC.291/CRP.9" in delegate


def test_agenda_item_page(forum, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    item = forum.items["3"]
    # item, its meetings, its documents, their language versions
    with django_assert_num_queries(4 + 2):  # + 2: the page cache, first anonymous request
        response = Client().get(f"/agenda/{item.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Consideration of the draft convention" in html
    assert re.search(r'<ul id="item-meetings">(.*?)</ul>', html, re.S).group(1).count("<li>") == 3
    assert "A/AC.291/22" in html and "CRP.9" not in html


def test_observers_never_vote(forum) -> None:  # type: ignore[no-untyped-def]
    assert can_vote(forum.austria) and can_vote(forum.brazil)
    assert not can_vote(forum.eu)
    assert not can_vote(forum.ngo)


class TestCredentials:
    def test_a_delegate_adds_a_delegate_and_submits_for_their_own_delegation(self, forum, persona) -> None:  # type: ignore[no-untyped-def]
        client = persona("austria")
        url = f"/delegations/{forum.austria.pk}/change/"
        response = client.post(url, {"action": "add", "name": "Ms. Head of Austria", "function": "head"})
        assert response.status_code == 302
        response = client.post(url, {"action": "submit"})
        assert response.status_code == 302
        forum.austria.refresh_from_db()
        assert forum.austria.credentials == CredentialsStatus.SUBMITTED
        assert forum.austria.credentials_submitted_by.get_username() == "austria"
        assert JournalEntry.objects.filter(kind="forum.credentials.submitted").count() == 1

    def test_submitting_without_a_head_is_a_clear_error(self, forum, persona) -> None:  # type: ignore[no-untyped-def]
        response = persona("austria").post(f"/delegations/{forum.austria.pk}/change/", {"action": "submit"})
        assert response.status_code == 400
        assert "add the head first" in response.content.decode()
        forum.austria.refresh_from_db()
        assert forum.austria.credentials == CredentialsStatus.NONE

    @pytest.mark.parametrize("who", ["brazil", "observer"])
    def test_a_delegate_of_another_delegation_is_refused(self, forum, persona, who: str) -> None:  # type: ignore[no-untyped-def]
        client = persona(who)
        url = f"/delegations/{forum.austria.pk}/change/"
        before = JournalEntry.objects.count()
        response = client.post(url, {"action": "add", "name": "Intruder", "function": "head"})
        assert response.status_code == 403
        assert "You do not act for Austria" in response.content.decode()
        assert client.post(url, {"action": "submit"}).status_code == 403
        assert not Delegate.objects.filter(delegation=forum.austria).exists()
        forum.austria.refresh_from_db()
        assert forum.austria.credentials == CredentialsStatus.NONE
        assert JournalEntry.objects.count() == before
        page = client.get(f"/delegations/{forum.austria.pk}/").content.decode()
        assert "Submit credentials" not in page

    def test_the_public_cannot_post(self, forum) -> None:  # type: ignore[no-untyped-def]
        response = Client().post(f"/delegations/{forum.austria.pk}/change/", {"action": "submit"})
        assert response.status_code == 302 and response["Location"].startswith("/login/")

    def test_the_secretariat_accepts_submitted_credentials(self, forum, persona, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
        from consensio.forum.actions import do_add_delegate, do_submit_credentials

        do_add_delegate(None, forum.brazil, name="Head of Brazil", function="head")
        do_submit_credentials(None, forum.brazil)
        client = persona("secretariat")
        url = f"/sessions/{forum.session.pk}/credentials/"
        client.get(url)  # warm the session
        with django_assert_num_queries(9):
            page = client.get(url)
        assert page.status_code == 200
        html = page.content.decode()
        assert html.count('name="delegation"') == 1  # only Brazil's are submitted
        response = client.post(url, {"delegation": forum.brazil.pk})
        assert response.status_code == 302
        brazil = Delegation.objects.get(pk=forum.brazil.pk)
        assert brazil.credentials == CredentialsStatus.ACCEPTED
        assert brazil.credentials_accepted_by.get_username() == "secretariat"
        assert brazil.credentials_accepted_at is not None
        entry = JournalEntry.objects.filter(kind="forum.credentials.accepted").get()
        assert entry.payload["by"] == "secretariat" and entry.payload["name"] == "Brazil"

    def test_accepting_credentials_not_submitted_is_refused(self, forum, persona) -> None:  # type: ignore[no-untyped-def]
        response = persona("secretariat").post(f"/sessions/{forum.session.pk}/credentials/",
                                               {"delegation": forum.austria.pk})
        assert response.status_code == 400
        assert "only submitted credentials can be accepted" in response.content.decode()

    @pytest.mark.parametrize("who", ["austria", "observer", "chair"])
    def test_only_the_secretariat_sees_the_credentials_page(self, forum, persona, who: str) -> None:  # type: ignore[no-untyped-def]
        client = persona(who)
        url = f"/sessions/{forum.session.pk}/credentials/"
        assert client.get(url).status_code == 403
        assert client.post(url, {"delegation": forum.austria.pk}).status_code == 403


def test_delegation_page_shows_standing_and_delegates(forum, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    from consensio.forum.actions import do_add_delegate

    do_add_delegate(None, forum.eu, name="Head of the EU delegation", function="head")
    with django_assert_num_queries(2 + 2):  # + 2: the page cache, first anonymous request
        response = Client().get(f"/delegations/{forum.eu.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<dd id="standing">Observer · does not vote</dd>' in html
    assert "Head of the EU delegation · Head of delegation" in html
    assert "Add delegate" not in html  # the public manages nothing
