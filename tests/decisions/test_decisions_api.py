"""The decisions API: public reads, writes by role, one error shape naming the rule."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from django.test import Client

from consensio.decisions.models import Ballot, Question, QuestionEvent

pytestmark = pytest.mark.django_db


def post(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json")


def test_the_chair_drafts_and_conducts_through_the_api(floor, persona) -> None:  # type: ignore[no-untyped-def]
    chair, austria = persona("chair"), persona("austria")
    response = post(
        chair,
        "/api/questions",
        {
            "session": floor.session.pk,
            "kind": "article",
            "subject": "Article 24: Conditions and safeguards",
            "sponsors": ["BRA"],
            "agenda_item": floor.item.pk,
        },
    )
    assert response.status_code == 201, response.content
    qid = response.json()["id"]
    assert response.json()["state"] == "drafted" and response.json()["sponsors"] == ["BRA"]
    assert post(chair, f"/api/questions/{qid}/steps/put", {}).json()["state"] == "open"
    answer = post(austria, f"/api/questions/{qid}/steps/object", {}).json()
    assert answer["objections"] == ["AUT"] and answer["events"][-1]["member"] == "AUT"

    refused = post(chair, f"/api/questions/{qid}/steps/gavel", {})
    assert refused.status_code == 409
    error = refused.json()["error"]
    assert error["code"] == "out_of_order" or error["code"] == "not_allowed"
    assert error["message"].startswith("Consensus practice (domain.md §4.1): an objection stands (AUT)")
    assert error["details"] == [
        {"rule": "Consensus practice (domain.md §4.1)", "state": "objected", "step": "gavel"}
    ]

    for path, body, who in (
        ("steps/record_exhausted", {}, chair),
        ("steps/request_vote", {}, austria),
        ("steps/open_voting", {"method": "recorded"}, chair),
    ):
        assert post(who, f"/api/questions/{qid}/{path}", body).status_code == 200
    cast = post(austria, f"/api/questions/{qid}/ballots", {"vote": "no"})
    assert cast.status_code == 201 and cast.json() == {"member": "AUT", "name": "Austria", "vote": "no"}
    again = post(austria, f"/api/questions/{qid}/ballots", {"vote": "yes"})
    assert again.status_code == 409 and again.json()["error"]["code"] == "ballot_refused"
    other = post(austria, f"/api/questions/{qid}/ballots", {"vote": "yes", "member": "BRA"})
    assert other.status_code == 403 and other.json()["error"]["code"] == "forbidden"
    observer = post(persona("observer"), f"/api/questions/{qid}/ballots", {"vote": "yes"})
    assert observer.status_code == 403
    assert (
        observer.json()["error"]["message"] == "Rule 124: observers take part in the debate but never vote."
    )
    bad = post(persona("brazil"), f"/api/questions/{qid}/ballots", {"vote": "maybe"})
    assert bad.status_code == 400 and "is not a vote" in bad.json()["error"]["message"]
    assert list(Ballot.objects.values_list("actor__key", "vote")) == [("AUT", "no")]

    ballots = Client().get(f"/api/questions/{qid}/ballots").json()
    assert ballots == [{"member": "AUT", "name": "Austria", "vote": "no"}]
    listing = Client().get(f"/api/questions?session={floor.session.pk}").json()
    assert [q["state"] for q in listing] == ["voting"]


def test_api_writes_need_a_login_and_the_right_role(floor, persona, draft) -> None:  # type: ignore[no-untyped-def]
    question = draft()
    anonymous = post(Client(), f"/api/questions/{question.pk}/steps/put", {})
    assert anonymous.status_code == 401 and anonymous.json()["error"]["code"] == "unauthenticated"
    delegate = post(
        persona("brazil"), "/api/questions", {"session": floor.session.pk, "kind": "article", "subject": "x"}
    )
    assert delegate.status_code == 403
    unknown = post(
        persona("chair"),
        "/api/questions",
        {"session": floor.session.pk, "kind": "article", "subject": "x", "rulebook": "nowhere"},
    )
    assert unknown.status_code == 400
    assert unknown.json()["error"]["message"].startswith("Rulebook nowhere: no such rulebook (available:")
    assert Question.objects.count() == 1 and QuestionEvent.objects.count() == 1


def test_a_step_reaches_live_subscribers_after_commit(floor, draft) -> None:  # type: ignore[no-untyped-def]
    from channels.layers import get_channel_layer
    from django.test import TestCase

    from consensio.core.live import group_name
    from consensio.decisions.actions import do_put_question

    question = draft()
    layer = get_channel_layer()

    async def subscribe() -> str:
        channel = await layer.new_channel()
        await layer.group_add(group_name("decisions"), channel)
        return channel

    async def receive() -> list[dict[str, Any]]:
        return [await asyncio.wait_for(layer.receive(channel), 1) for _ in range(2)]

    channel = asyncio.run(subscribe())
    # The test's transaction never commits: run the on-commit callbacks as a commit would.
    with TestCase.captureOnCommitCallbacks(execute=True):
        do_put_question(None, question)
    messages = asyncio.run(receive())
    assert {m["target"] for m in messages} == {
        f"question-{question.pk}-status",
        f"decision-row-{question.pk}",
    }
    row = next(m for m in messages if m["target"].startswith("decision-row"))
    assert row["html"].startswith(f'<tr id="decision-row-{question.pk}" data-state="open">')
    status = next(m for m in messages if m["target"].endswith("-status"))
    # The fragment is the page's own partial: a fresh render of the page holds the same markup.
    page = Client().get(f"/decisions/{question.pk}/").content.decode()
    assert status["html"].strip() in page
