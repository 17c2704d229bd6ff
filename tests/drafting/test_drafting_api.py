"""The drafting JSON API: public reads, role-checked writes, one error shape, 409 on a stale version."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from consensio.drafting.models import CoSponsorship, Proposal, Version

pytestmark = pytest.mark.django_db

ART1_P1 = "chp_1__art_1__para_1"


def post(client: Client, url: str, data: dict, method: str = "post"):  # type: ignore[no-untyped-def,type-arg]
    return getattr(client, method)(url, json.dumps(data), content_type="application/json")


def error(response) -> dict:  # type: ignore[no-untyped-def,type-arg]
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"status", "code", "message", "details"}
    assert body["error"]["status"] == response.status_code
    return body["error"]


def test_reads(instrument, table, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    row = table("EU", ART1_P1, "replace", span="shall adopt", text="may adopt")
    client = Client()
    assert client.get("/api/instruments").json()[0]["title"] == "Draft convention (test)"
    provisions = client.get(f"/api/instruments/{instrument.pk}/provisions").json()
    assert [p["eid"] for p in provisions][:3] == ["preamble__p_1", "chp_1", "chp_1__art_1"]
    detail = client.get(f"/api/instruments/{instrument.pk}/provisions/{ART1_P1}").json()
    assert detail["status"] == "open" and detail["history"] == []
    with django_assert_num_queries(4):
        text = client.get(f"/api/instruments/{instrument.pk}/rolling-text").json()
    para = text["body"][0]["children"][0]["children"][0]
    assert para["eid"] == ART1_P1
    bracket = next(s for s in para["content"] if s["options"])
    assert bracket["options"] == [
        {"text": "shall adopt", "sponsors": [], "deletion": []},
        {"text": "may adopt", "sponsors": ["EU"], "deletion": []},
    ]
    proposals = client.get(f"/api/instruments/{instrument.pk}/proposals", {"sponsor": "eu"}).json()
    assert [p["id"] for p in proposals] == [row.pk]
    assert client.get(f"/api/proposals/{row.pk}").json()["version"] == 1
    assert error(client.get("/api/proposals/999"))["code"] == "not_found"
    assert "/api/instruments/{pk}/rolling-text" in client.get("/api/openapi.json").json()["paths"]


def test_table_cosponsor_edit_withdraw(instrument, persona) -> None:  # type: ignore[no-untyped-def]
    austria = persona("austria")
    created = post(
        austria,
        f"/api/instruments/{instrument.pk}/proposals",
        {"kind": "insert", "eid": ART1_P1, "span": "measures", "text": " promptly"},
    )
    assert created.status_code == 201
    proposal = created.json()
    assert (proposal["sponsor"], proposal["start"], proposal["version"]) == ("AUT", 37, 1)
    pid = proposal["id"]
    brazil = persona("brazil")
    joined = post(brazil, f"/api/proposals/{pid}/cosponsors", {})
    assert joined.status_code == 201 and joined.json()["cosponsors"][0]["delegation"] == "BRA"
    assert joined.json()["version"] == 2
    stale = post(austria, f"/api/proposals/{pid}", {"expected_version": 1, "text": " swiftly"}, "patch")
    assert stale.status_code == 409
    err = error(stale)
    assert err["code"] == "conflict" and err["details"] == [{"expected": 1, "actual": 2}]
    assert Proposal.objects.get().text == " promptly"
    fresh = post(austria, f"/api/proposals/{pid}", {"expected_version": 2, "text": " swiftly"}, "patch")
    assert fresh.status_code == 200 and fresh.json()["text"] == " swiftly" and fresh.json()["version"] == 3
    left = brazil.delete(f"/api/proposals/{pid}/cosponsors/BRA")
    assert left.status_code == 200 and left.json()["cosponsors"][0]["withdrawn_at"] is not None
    withdrawn = post(austria, f"/api/proposals/{pid}/withdraw", {"expected_version": 4})
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"
    assert CoSponsorship.objects.get().withdrawn_at is not None


def test_write_refusals_have_the_one_error_shape(instrument, persona) -> None:  # type: ignore[no-untyped-def]
    url = f"/api/instruments/{instrument.pk}/proposals"
    body = {"kind": "insert", "eid": ART1_P1, "span": "measures", "text": " now"}
    assert error(post(Client(), url, body))["code"] == "unauthenticated"
    observer = error(post(persona("observer"), url, body))
    assert observer["status"] == 403 and observer["code"] == "forbidden"
    austria = persona("austria")
    assert error(post(austria, url, {**body, "sponsor": "BRA"}))["status"] == 403
    span = error(post(austria, url, {**body, "span": "nothing like this"}))
    assert span["code"] == "span" and span["details"] == [
        {"eid": ART1_P1, "span": "nothing like this", "problem": "not in the current text"}
    ]
    unknown = error(post(austria, url, {**body, "eid": "chp_7__art_70__para_1"}))
    assert unknown["code"] == "unknown_provision" and "chp_7__art_70__para_1" in unknown["message"]
    assert error(post(austria, url, {**body, "kind": "rewrite"}))["code"] == "refused"
    assert not Proposal.objects.exists()


def test_status_versions_compare_and_export(instrument, table, persona) -> None:  # type: ignore[no-untyped-def]
    secretariat = persona("secretariat")
    base = f"/api/instruments/{instrument.pk}"
    draft = post(secretariat, f"{base}/versions", {"name": "Draft"})
    assert draft.status_code == 201
    assert error(post(secretariat, f"{base}/versions", {"name": "Draft"}))["code"] == "refused"
    assert error(post(persona("brazil"), f"{base}/versions", {"name": "X"}))["status"] == 403
    table("JPN", ART1_P1, "delete", span=" of systems")
    status = post(secretariat, f"{base}/provisions/chp_1__art_2__para_1/status", {"trigger": "agree_ad_ref"})
    assert status.status_code == 200 and status.json()["history"][0]["set_by"] == "secretariat"
    refused = error(post(secretariat, f"{base}/provisions/chp_1__art_2__para_1/status", {"trigger": "adopt"}))
    assert refused["code"] == "transition_refused"
    redline = Client().get(f"{base}/compare", {"old": draft.json()["id"], "new": "current"}).json()
    changed = {c["eid"]: c for c in redline["changes"]}
    assert changed[ART1_P1]["changes"] == ["changed"]
    assert {"op": "insert", "text": "]{delete: JPN}"} in changed[ART1_P1]["words"]
    assert changed["chp_1__art_2__para_1"]["changes"] == ["status"]
    assert Client().get(f"{base}/export/akn").content.startswith(b"<?xml")
    assert error(Client().get(f"{base}/export/pdf"))["code"] == "unknown_format"
    assert Version.objects.count() == 1
