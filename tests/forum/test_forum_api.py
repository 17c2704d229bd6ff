"""The forum's JSON API: reads, distribution on documents, one error shape, secretariat writes."""

from __future__ import annotations

import pytest
from django.test import Client

from consensio.forum.models import CredentialsStatus

pytestmark = pytest.mark.django_db


def test_bodies_and_sessions(forum, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    body = client.get("/api/bodies/ahc").json()
    assert body["mandate"] == "A/RES/74/247" and body["rulebook"] == "ahc-74-247"
    assert [m["office"] for m in body["bureau"]] == ["chair", "vice_chair"]
    assert body["sessions"][0]["venue"] == "vic"
    assert [b["key"] for b in client.get("/api/bodies").json()] == ["ahc"]
    with django_assert_num_queries(4):
        session = client.get(f"/api/sessions/{forum.session.pk}").json()
    assert [a["number"] for a in session["agenda"]] == ["1", "3"]
    assert session["meetings"][0]["agenda_items"] == ["1", "3"]
    assert session["meetings"][0]["starts_at"] == "10:00:00"
    day = client.get(f"/api/sessions/{forum.session.pk}/meetings", {"date": "2023-04-12"}).json()
    assert [m["kind"] for m in day] == ["informal"]
    item = client.get(f"/api/agenda-items/{forum.items['3'].pk}").json()
    assert item["title"] == "Consideration of the draft convention"


def test_delegations_say_who_votes(forum) -> None:  # type: ignore[no-untyped-def]
    rows = {d["name"]: d for d in Client().get(f"/api/sessions/{forum.session.pk}/delegations").json()}
    assert rows["Austria"]["can_vote"] is True
    assert rows["European Union"]["can_vote"] is False and rows["European Union"]["standing"] == "observer"
    assert rows["Electronic Frontier Foundation"]["can_vote"] is False


def test_documents_respect_distribution(forum, persona, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    with django_assert_num_queries(2):
        public = Client().get("/api/documents").json()
    assert [d["symbol"] for d in public] == ["A/AC.291/22"]
    assert public[0]["versions"][0]["url"] == f"/documents/{forum.general.pk}/en/file/"
    observer = persona("observer").get("/api/documents").json()
    assert [d["symbol"] for d in observer] == ["A/AC.291/22", "A/AC.291/L.15"]
    delegate = persona("brazil").get("/api/documents", {"doc_type": "crp"}).json()
    assert [d["symbol"] for d in delegate] == ["A/AC.291/CRP.9"]
    missing = Client().get(f"/api/documents/{forum.restricted.pk}")
    assert missing.status_code == 404
    assert missing.json() == {"error": {"status": 404, "code": "not_found", "message": "No such document.",
                                        "details": []}}


def test_unknown_session_is_a_404_in_the_error_shape() -> None:
    response = Client().get("/api/sessions/999999")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


class TestAcceptCredentialsApi:
    def _submitted(self, forum):  # type: ignore[no-untyped-def]
        from consensio.forum.actions import do_add_delegate, do_submit_credentials

        do_add_delegate(None, forum.austria, name="Head", function="head")
        return do_submit_credentials(None, forum.austria)

    def test_secretariat_accepts(self, forum, persona) -> None:  # type: ignore[no-untyped-def]
        self._submitted(forum)
        response = persona("secretariat").post(f"/api/delegations/{forum.austria.pk}/credentials/accept")
        assert response.status_code == 200
        assert response.json()["credentials"] == "accepted"

    @pytest.mark.parametrize("who, status", [("anonymous", 401), ("austria", 403), ("observer", 403)])
    def test_others_are_refused(self, forum, persona, who, status) -> None:  # type: ignore[no-untyped-def]
        self._submitted(forum)
        response = persona(who).post(f"/api/delegations/{forum.austria.pk}/credentials/accept")
        assert response.status_code == status
        assert set(response.json()["error"]) == {"status", "code", "message", "details"}
        forum.austria.refresh_from_db()
        assert forum.austria.credentials == CredentialsStatus.SUBMITTED

    def test_not_submitted_is_a_400(self, forum, persona) -> None:  # type: ignore[no-untyped-def]
        response = persona("secretariat").post(f"/api/delegations/{forum.brazil.pk}/credentials/accept")
        assert response.status_code == 400
        assert response.json()["error"]["code"] == "refused"
