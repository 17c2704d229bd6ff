"""The JSON API for actors and statements: public reads, secretariat writes, one error shape."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from consensio.actors.models import Statement

pytestmark = pytest.mark.django_db


def error_of(response) -> dict:  # type: ignore[no-untyped-def,type-arg]
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"status", "code", "message", "details"}
    assert body["error"]["status"] == response.status_code
    return body["error"]  # type: ignore[no-any-return]


def test_actors_are_public(django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    with django_assert_num_queries(1):
        response = Client().get("/api/actors")
    assert response.status_code == 200
    actors = response.json()
    assert len(actors) == 196
    lux = next(a for a in actors if a["key"] == "LUX")
    assert lux["eu_member"] and lux["regional_group"] == "WEOG"


def test_groups_carry_their_members(django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    with django_assert_num_queries(2):
        groups = Client().get("/api/groups").json()
    eu = next(g for g in groups if "EU" in g["members"])
    assert len(eu["members"]) == 28  # the Union and its 27 member States


@pytest.mark.parametrize(("name", "key"), [("Luxemburg", "LUX"), ("Czech Republic", "CZE"), ("Turkey", "TUR"),
                                           ("Korea, Republic of", "KOR"), ("the Netherlands", "NLD")])
def test_resolve(name: str, key: str) -> None:
    response = Client().get("/api/actors/resolve", {"name": name})
    assert response.status_code == 200
    assert response.json()["key"] == key


def test_resolve_never_guesses() -> None:
    response = Client().get("/api/actors/resolve", {"name": "Holland"})
    error = error_of(response)
    assert response.status_code == 404
    assert error["code"] == "unresolved"
    assert "NLD" in [c["key"] for c in error["details"]]


def test_parse_reads_without_saving(seed_text: str) -> None:
    response = Client().post("/api/statements/parse", {"text": seed_text}, content_type="application/json")
    assert response.status_code == 200
    body = response.json()
    states = [p for p in body["on_behalf_of"] if p["kind"] == "state"]
    assert len(states) == 40
    assert [p["key"] for p in body["on_behalf_of"] if p["kind"] == "organization"] == ["EU"]
    assert body["unresolved"] == [] and body["errors"] == []
    assert Statement.objects.count() == 0


class TestCreateStatement:
    def post(self, client: Client, payload: object) -> object:
        return client.post("/api/statements", json.dumps(payload), content_type="application/json")

    def test_anonymous_gets_401(self, seed_text: str) -> None:
        response = self.post(Client(), {"title": "T", "text": seed_text})
        assert response.status_code == 401  # type: ignore[attr-defined]
        error_of(response)
        assert Statement.objects.count() == 0

    def test_delegate_gets_403(self, persona, seed_text: str) -> None:  # type: ignore[no-untyped-def]
        response = self.post(persona("austria"), {"title": "T", "text": seed_text})
        assert response.status_code == 403  # type: ignore[attr-defined]
        assert error_of(response)["code"] == "forbidden"
        assert Statement.objects.count() == 0

    def test_session_writes_need_csrf(self, make_user, seed_text: str) -> None:  # type: ignore[no-untyped-def]
        make_user("sec", "secretariat")
        client = Client(enforce_csrf_checks=True)
        client.login(username="sec", password="a-long-test-password-17")
        response = self.post(client, {"title": "T", "text": seed_text})
        assert response.status_code in (401, 403)  # type: ignore[attr-defined]
        assert Statement.objects.count() == 0

    def test_secretariat_creates(self, persona, seed_text: str) -> None:  # type: ignore[no-untyped-def]
        response = self.post(persona("secretariat"), {"title": "Vienna", "text": seed_text})
        assert response.status_code == 201  # type: ignore[attr-defined]
        body = response.json()  # type: ignore[attr-defined]
        assert len(body["on_behalf_of"]) == 41
        assert sum(1 for p in body["on_behalf_of"] if p["listed_under"] == "EU") == 27
        assert Statement.objects.count() == 1

    def test_unresolved_names_are_a_400_listing_candidates(self, persona) -> None:  # type: ignore[no-untyped-def]
        response = self.post(persona("secretariat"), {"title": "T", "text": "On behalf of Austria and Swedn."})
        assert response.status_code == 400  # type: ignore[attr-defined]
        error = error_of(response)
        assert error["code"] == "statement_rejected"
        assert "Swedn" in error["message"]
        unresolved = [d for d in error["details"] if "candidates" in d]
        assert "SWE" in [c["key"] for c in unresolved[0]["candidates"]]
        assert Statement.objects.count() == 0

    def test_schema_errors_name_the_field(self, persona) -> None:  # type: ignore[no-untyped-def]
        response = self.post(persona("secretariat"), {"text": "On behalf of Austria"})
        assert response.status_code == 400  # type: ignore[attr-defined]
        error = error_of(response)
        assert error["code"] == "invalid"
        assert "title" in error["message"]


def test_openapi_document_is_served() -> None:
    response = Client().get("/api/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert "/api/statements" in paths and "/api/actors/resolve" in paths


def test_a_body_over_the_limit_is_a_400_in_the_error_shape() -> None:
    body = json.dumps({"text": "On behalf of Austria " + "x" * 3_000_000})
    response = Client().post("/api/statements/parse", body, content_type="application/json")
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "too_large"


def test_a_text_over_one_megabyte_is_a_400_naming_the_field() -> None:
    body = json.dumps({"text": "On behalf of Austria " + "x" * 1_500_000})
    response = Client().post("/api/statements/parse", body, content_type="application/json")
    assert response.status_code == 400
    assert error_of(response)["details"][0]["field"] == "text"


def test_unknown_api_path_is_a_json_404() -> None:
    response = Client().get("/api/nothing-here")
    assert response.status_code == 404
    error_of(response)
