"""An appeal against the chair's ruling on the decisions pages (rule 113): put to the vote at once,
and recorded as "ruling overruled" or "ruling stands", never as adopted or rejected."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from consensio.decisions import actions
from consensio.decisions.views import outcome_label
from consensio.engine.procedure import NotAllowed

pytestmark = pytest.mark.django_db


def appeal(draft: Any) -> Any:
    question = draft("Appeal against the Chair's ruling on the point of order of Brazil", kind="appeal")
    actions.do_put_question(None, question)
    return question


def vote(question: Any, ballots: dict[str, str]) -> Any:
    actions.do_open_voting(None, question, "recorded")
    for member, choice in ballots.items():
        actions.do_cast_ballot(None, question, choice, member=member)
    actions.do_close_voting(None, question)
    actions.do_announce(None, question)
    question.refresh_from_db()
    return question


def test_an_appeal_is_procedural_and_the_chair_is_offered_the_vote_at_once(draft: Any, persona: Any) -> None:
    question = appeal(draft)
    assert (question.kind, question.question_type) == ("appeal", "procedural")
    page = persona("chair").get(f"/decisions/{question.pk}/").content.decode()
    assert 'value="open_voting"' in page
    assert 'value="gavel"' not in page
    assert "shall the ruling of the Chair be overruled?" in page


def test_an_appeal_cannot_be_drafted_as_a_matter_of_substance(draft: Any) -> None:
    with pytest.raises(NotAllowed, match="procedural question"):
        draft("Appeal", kind="appeal", question_type="substantive")


def test_overruled_and_stands_in_the_record(draft: Any) -> None:
    overruled = vote(appeal(draft), {"AUT": "yes", "BRA": "no", "FRA": "yes"})
    assert overruled.state == "adopted"
    assert outcome_label(overruled) == "ruling overruled by recorded vote 2-1-0"
    tie = vote(appeal(draft), {"AUT": "yes", "BRA": "no", "FRA": "abstain"})
    assert tie.state == "rejected"
    assert outcome_label(tie) == "ruling stands (recorded vote 1-1-1)"
    noes = vote(appeal(draft), {"AUT": "yes", "BRA": "no", "FRA": "no"})
    assert outcome_label(noes) == "ruling stands (recorded vote 1-2-0)"
    rows = Client().get("/decisions/").content.decode()
    assert "ruling overruled by recorded vote 2-1-0" in rows and "ruling stands (recorded vote 1-1-1)" in rows
    assert "Appeal against the Chair&#x27;s ruling" in rows  # the kind's label
    with translation.override("fr"):
        assert outcome_label(tie) == "décision maintenue (vote enregistré 1-1-1)"
        assert outcome_label(overruled).startswith("décision annulée")
