"""A 193-member recorded vote with the totals of GA resolution 74/247 (27 December 2019:
79 in favour, 60 against, 33 abstentions, 21 not voting; research/domain.md §2.5), replayed
through the actions under two rulebooks, then downloaded as CSV and as a Popolo VoteEvent."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.test import Client

from consensio.decisions.models import Ballot, Question

pytestmark = pytest.mark.django_db

TOTALS_74_247 = {"yes": 79, "no": 60, "abstain": 33}


def recorded_vote(floor: Any, draft: Any, rulebook: str) -> Question:
    from consensio.decisions import actions as a
    from consensio.engine.procedure import load_rulebook

    question = draft(
        "Countering the use of ICTs for criminal purposes (A/RES/74/247)",
        session=floor.plenary,
        kind="instrument",
        rulebook=rulebook,
    )
    a.do_put_question(None, question)
    a.do_object(None, question, "USA")
    if load_rulebook(rulebook).chair_records_exhausted:
        a.do_record_exhausted(None, question)
    a.do_request_vote(None, question, "USA")
    a.do_open_voting(None, question, "recorded")
    members = sorted(a.load_question(question).electorate.members)
    assert len(members) == 193
    votes = ["yes"] * 79 + ["no"] * 60 + ["abstain"] * 33  # the last 21 members do not vote
    for member, vote in zip(members, votes, strict=False):
        a.do_cast_ballot(None, question, vote, member)
    a.do_close_voting(None, question)
    a.do_announce(None, question)
    question.refresh_from_db()
    return question


def test_adopted_under_a_simple_majority_of_members_present_and_voting(floor, draft) -> None:  # type: ignore[no-untyped-def]
    question = recorded_vote(floor, draft, "unga-committee")
    assert question.state == "adopted"
    assert {k: question.tally[k] for k in ("yes", "no", "abstain", "not_voting")} == {
        **TOTALS_74_247,
        "not_voting": 21,
    }
    assert (question.tally["present_and_voting"], question.tally["required"]) == (139, 70)
    assert Ballot.objects.filter(question=question).count() == 172
    html = Client().get(f"/sessions/{floor.plenary.pk}/decisions/").content.decode()
    assert '<td class="outcome">adopted by recorded vote 79-60-33</td>' in html


def test_not_adopted_under_two_thirds(floor, draft) -> None:  # type: ignore[no-untyped-def]
    question = recorded_vote(floor, draft, "ahc-74-247")
    assert question.state == "rejected"
    assert (question.tally["majority"], question.tally["required"], question.tally["adopted"]) == (
        "two_thirds",
        93,
        False,
    )
    html = Client().get(f"/decisions/{question.pk}/").content.decode()
    assert "Rejected: 79 in favour, 60 against, 33 abstentions, 21 not voting." in html
    assert "A two-thirds majority of the members present and voting (139) requires 93 in favour." in html


def test_recorded_vote_downloads_as_csv_and_popolo(floor, draft) -> None:  # type: ignore[no-untyped-def]
    question = recorded_vote(floor, draft, "unga-committee")
    response = Client().get(f"/api/questions/{question.pk}/votes.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == 193 and set(rows[0]) == {"name", "iso3", "vote"}
    assert rows[0] == {"name": "Afghanistan", "iso3": "AFG", "vote": "yes"}
    assert sum(1 for r in rows if r["vote"] == "no") == 60 and sum(1 for r in rows if r["vote"] == "") == 21

    event = Client().get(f"/api/questions/{question.pk}/vote-event").json()
    assert event["identifier"] == f"question-{question.pk}"
    assert event["motion"]["text"].startswith("Countering the use of ICTs")
    assert event["result"] == "pass" and event["start_date"].endswith("Z")
    assert event["counts"] == [
        {"option": "yes", "value": 79},
        {"option": "no", "value": 60},
        {"option": "abstain", "value": 33},
        {"option": "not voting", "value": 21},
    ]
    assert len(event["votes"]) == 193 and event["votes"][0] == {"voter_id": "AFG", "option": "yes"}


def test_no_recorded_vote_no_download(floor, draft) -> None:  # type: ignore[no-untyped-def]
    question = draft()
    response = Client().get(f"/api/questions/{question.pk}/votes.csv")
    assert response.status_code == 404
    assert response.json()["error"]["message"] == "This question has no recorded or roll-call vote."
