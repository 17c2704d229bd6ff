"""Decisions through HTTP, as each persona sees and takes them: status, body, database state,
and the exact query count of the list and detail pages."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from consensio.decisions.models import Ballot, Question, QuestionEvent
from consensio.records.models import JournalEntry

pytestmark = pytest.mark.django_db


def step(client: Client, question: Any, name: str, **fields: str) -> Any:
    return client.post(f"/decisions/{question.pk}/step/", {"step": name, **fields})


def refusal(response: Any) -> str:
    found = re.search(
        r'<p class="error" role="alert" id="refusal">(.*?)</p>', response.content.decode(), re.S
    )
    assert found, "the page shows no refusal"
    return found.group(1)


def counts(question: Any) -> tuple[int, int, int]:
    return (
        QuestionEvent.objects.filter(question=question).count(),
        Ballot.objects.filter(question=question).count(),
        JournalEntry.objects.filter(kind__startswith="decision.").count(),
    )


def test_chair_drafts_puts_and_gavels_a_question_adopted_by_consensus(floor, persona) -> None:  # type: ignore[no-untyped-def]
    chair = persona("chair")
    response = chair.post(
        f"/sessions/{floor.session.pk}/decisions/new/",
        {
            "subject": "Article 7: Illegal access",
            "kind": "article",
            "agenda_item": floor.item.pk,
            "sponsors": "AUT, BRA",
        },
    )
    assert response.status_code == 302
    question = Question.objects.get()
    assert response["Location"] == f"/decisions/{question.pk}/"
    assert (question.rulebook, question.question_type, question.sponsors) == (
        "ahc-74-247",
        "substantive",
        ["AUT", "BRA"],
    )
    assert step(chair, question, "put").status_code == 302
    assert step(chair, question, "gavel").status_code == 302
    question.refresh_from_db()
    assert (question.state, question.how) == ("adopted", "consensus")
    assert list(QuestionEvent.objects.filter(question=question).values_list("trigger", flat=True)) == [
        "draft",
        "put",
        "gavel",
    ]
    assert list(JournalEntry.objects.filter(kind__startswith="decision.").values_list("kind", flat=True)) == [
        "decision.draft",
        "decision.put",
        "decision.gavel",
    ]
    page = Client().get(f"/sessions/{floor.session.pk}/decisions/").content.decode()
    assert f'<tr id="decision-row-{question.pk}" data-state="adopted">' in page
    assert "adopted by consensus" in page


def test_gavel_is_refused_while_an_objection_stands_then_adopted_without_a_vote(
    floor, persona, draft
) -> None:  # type: ignore[no-untyped-def]
    from consensio.decisions.actions import do_put_question

    question = draft()
    do_put_question(None, question)
    chair, austria = persona("chair"), persona("austria")
    assert step(austria, question, "object").status_code == 302
    before = counts(question)
    response = step(chair, question, "gavel")
    assert response.status_code == 409
    assert refusal(response).startswith("Consensus practice (domain.md §4.1): an objection stands (AUT)")
    assert counts(question) == before
    assert step(austria, question, "withdraw_objection").status_code == 302
    assert step(chair, question, "gavel").status_code == 302
    question.refresh_from_db()
    assert (question.state, question.without_a_vote) == ("adopted", True)
    assert "adopted without a vote" in Client().get("/decisions/").content.decode()


def test_an_objection_after_the_gavel_is_refused_naming_the_rule(floor, persona, draft) -> None:  # type: ignore[no-untyped-def]
    from consensio.decisions.actions import do_gavel, do_put_question

    question = draft()
    do_put_question(None, question)
    do_gavel(None, question)
    before = counts(question)
    response = step(persona("brazil"), question, "object")
    assert response.status_code == 409
    assert refusal(response).startswith("Rule 123: the question has been decided (adopted)")
    assert counts(question) == before


def objected_and_voting(question: Any, *objectors: str) -> None:
    from consensio.decisions import actions as a

    a.do_put_question(None, question)
    for key in objectors:
        a.do_object(None, question, key)
    a.do_record_exhausted(None, question)
    a.do_request_vote(None, question, objectors[0])
    a.do_open_voting(None, question, "recorded")


def test_a_delegate_votes_only_for_their_own_delegation_and_only_once(floor, persona, draft) -> None:  # type: ignore[no-untyped-def]
    question = draft()
    objected_and_voting(question, "FRA")
    austria = persona("austria")
    before = counts(question)
    response = step(austria, question, "cast", vote="yes", member="BRA")
    assert response.status_code == 403
    assert "a delegate acts only for their own delegation, not for BRA" in refusal(response)
    assert counts(question) == before

    assert step(austria, question, "cast", vote="yes").status_code == 302
    assert list(Ballot.objects.values_list("actor__key", "vote")) == [("AUT", "yes")]
    before = counts(question)
    response = step(austria, question, "cast", vote="no")
    assert response.status_code == 409
    assert refusal(response).startswith("Rule 124: AUT has already voted (yes); a member is counted once")
    assert counts(question) == before
    assert Ballot.objects.get().vote == "yes"


def test_an_observer_never_votes(floor, persona, draft) -> None:  # type: ignore[no-untyped-def]
    question = draft()
    objected_and_voting(question, "FRA")
    before = counts(question)
    response = step(persona("observer"), question, "cast", vote="yes")
    assert response.status_code == 403
    assert refusal(response) == "Rule 124: observers take part in the debate but never vote."
    assert counts(question) == before


def test_a_ballot_after_the_vote_closed_is_refused(floor, persona, draft) -> None:  # type: ignore[no-untyped-def]
    question = draft()
    objected_and_voting(question, "FRA")
    chair, brazil = persona("chair"), persona("brazil")
    assert step(brazil, question, "cast", vote="no").status_code == 302
    assert step(chair, question, "close_voting").status_code == 302
    before = counts(question)
    response = step(persona("austria"), question, "cast", vote="yes")
    assert response.status_code == 409
    assert "cast is not in order: voting has closed" in refusal(response)
    assert counts(question) == before


def test_a_consensus_only_rulebook_forbids_a_vote(floor, persona, draft) -> None:  # type: ignore[no-untyped-def]
    from consensio.decisions.actions import do_object, do_put_question

    question = draft(rulebook="consensus-only")
    do_put_question(None, question)
    do_object(None, question, "FRA")
    before = counts(question)
    response = step(persona("austria"), question, "request_vote")
    assert response.status_code == 409
    assert "under consensus-only no vote may follow an objection: consult further" in refusal(response)
    assert counts(question) == before
    response = step(persona("chair"), question, "open_voting", method="recorded")
    assert response.status_code == 409
    assert counts(question) == before


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        (
            "rulebook",
            "atlantis-rules",
            "Rulebook atlantis-rules: no such rulebook (available: ahc-74-247, consensus-only",
        ),
        (
            "question_type",
            "urgent",
            "Rulebook ahc-74-247: unknown question type &#x27;urgent&#x27; (known: procedural",
        ),
        ("kind", "treaty", "Kind &#x27;treaty&#x27; is not a kind of question (known: provision, article"),
        ("sponsors", "AUT, XXX", "Sponsors: XXX is not a known State or organization."),
    ],
)
def test_drafting_with_unknown_input_is_refused(floor, persona, field, value, message) -> None:  # type: ignore[no-untyped-def]
    form = {"subject": "Article 9", "kind": "article", field: value}
    response = persona("chair").post(f"/sessions/{floor.session.pk}/decisions/new/", form)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Question.objects.count() == 0
    assert not JournalEntry.objects.filter(kind__startswith="decision.").exists()


def test_who_may_take_which_step(floor, persona, draft) -> None:  # type: ignore[no-untyped-def]
    question = draft()
    anonymous = step(persona("anonymous"), question, "put")
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/login/")
    austria = persona("austria")
    response = step(austria, question, "put")
    assert response.status_code == 403
    assert refusal(response) == "Rules 106-107: only the chair or the secretariat conducts the question."
    response = step(persona("chair"), question, "object")
    assert response.status_code == 403
    assert austria.get(f"/sessions/{floor.session.pk}/decisions/new/").status_code == 403
    assert counts(question) == (1, 0, 1)
    assert step(persona("secretariat"), question, "put").status_code == 302


def test_the_sponsor_may_not_explain_its_vote_on_its_own_proposal(floor, persona, draft) -> None:  # type: ignore[no-untyped-def]
    from consensio.decisions import actions as a

    question = draft(sponsors=["AUT"])
    objected_and_voting(question, "FRA")
    for key, vote in (("AUT", "yes"), ("BRA", "yes"), ("FRA", "no"), ("JPN", "yes")):
        a.do_cast_ballot(None, question, vote, key)
    a.do_close_voting(None, question)
    a.do_announce(None, question)
    before = counts(question)
    response = step(persona("austria"), question, "explain", kind="vote_after")
    assert response.status_code == 409
    assert "AUT sponsors this proposal and may not explain its vote on its own proposal" in refusal(response)
    assert counts(question) == before
    assert step(persona("brazil"), question, "explain", kind="vote_after", minutes="4").status_code == 302


def test_list_and_detail_pages_show_the_record_with_exact_queries(
    floor,
    persona,
    draft,  # type: ignore[no-untyped-def]
    django_assert_num_queries,
) -> None:
    from consensio.decisions import actions as a

    consensus = draft("Article 7: Illegal access")
    a.do_put_question(None, consensus)
    a.do_disassociate(None, consensus, ["art_7__para_2"], "BRA")
    a.do_explain(None, consensus, "position", 3, "AUT")
    a.do_reserve(None, consensus, ["art_7"], "Interpreted in line with our constitution", "JPN")
    a.do_gavel(None, consensus)
    voted = draft("Article 40: Mutual legal assistance", sponsors=["FRA"])
    objected_and_voting(voted, "BRA")
    for key, vote in (("AUT", "yes"), ("FRA", "yes"), ("BRA", "no"), ("JPN", "no")):
        a.do_cast_ballot(None, voted, vote, key)
    a.do_close_voting(None, voted)
    a.do_announce(None, voted)
    deferred = draft("Article 45")
    a.do_put_question(None, deferred)
    a.do_defer(None, deferred)

    with django_assert_num_queries(2 + 2):  # + 2: the page cache, first anonymous request
        response = Client().get(f"/sessions/{floor.session.pk}/decisions/")
    html = response.content.decode()
    assert response.status_code == 200
    outcomes = re.findall(r'<td class="outcome">(.*?)</td>', html)
    assert outcomes == ["adopted without a vote", "rejected", "deferred"]

    with django_assert_num_queries(3 + 2):  # + 2: the page cache, first anonymous request
        response = Client().get(f"/decisions/{voted.pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<td data-count="yes">2</td>' in html and '<td data-count="no">2</td>' in html
    assert '<td data-count="abstain">0</td>' in html
    assert "Rejected: 2 in favour, 2 against, 0 abstentions, 1 not voting." in html
    assert re.search(r'<tr data-member="JPN"><td>Japan</td><td>JPN</td><td class="vote">no</td></tr>', html)
    assert re.search(r'<tr data-member="DZA"><td>Algeria</td><td>DZA</td><td class="vote">—</td></tr>', html)
    assert [t for t in re.findall(r'data-trigger="(\w+)"', html)] == [
        "draft",
        "put",
        "object",
        "record_exhausted",
        "request_vote",
        "open_voting",
        "cast",
        "cast",
        "cast",
        "cast",
        "close_voting",
        "announce",
    ]

    with django_assert_num_queries(3 + 2):  # + 2: the page cache, first anonymous request
        html = Client().get(f"/decisions/{consensus.pk}/").content.decode()
    assert "<li>Brazil: art_7__para_2</li>" in html
    assert "<li>Austria · explanation of position · 3 min</li>" in html
    assert "<li>Japan: art_7 — Interpreted in line with our constitution</li>" in html

    austria_page = persona("austria").get(f"/decisions/{voted.pk}/").content.decode()
    assert 'id="delegate-controls"' in austria_page and 'id="chair-controls"' not in austria_page
    chair_page = persona("chair").get(f"/decisions/{voted.pk}/").content.decode()
    assert 'id="chair-controls"' in chair_page and 'id="delegate-controls"' not in chair_page
    observer_page = persona("observer").get(f"/decisions/{voted.pk}/").content.decode()
    assert 'name="vote" value="yes"' not in observer_page


def test_unknown_question_is_a_404_page(db) -> None:  # type: ignore[no-untyped-def]
    response = Client().get("/decisions/999/")
    assert response.status_code == 404
    assert b"Traceback" not in response.content


def test_the_journal_of_decisions_exports_and_verifies(
    floor,
    persona,
    draft,
    tmp_path,  # type: ignore[no-untyped-def]
    capsys,
) -> None:
    from consensio.cli import main
    from consensio.decisions import actions as a

    question = draft()
    a.do_put_question(None, question)
    a.do_object(None, question, "FRA")
    a.do_withdraw_objection(None, question, "FRA")
    a.do_gavel(None, question)
    entries = list(JournalEntry.objects.filter(kind__startswith="decision.").order_by("seq"))
    assert [e.kind for e in entries] == [
        "decision.draft",
        "decision.put",
        "decision.object",
        "decision.withdraw_objection",
        "decision.gavel",
    ]
    assert entries[2].payload["event"]["by"] == "FRA" and entries[2].payload["question"] == question.pk
    out = tmp_path / "journal.jsonl"
    assert main(["journal", "export", "-o", str(out)]) == 0
    assert main(["journal", "verify", str(out)]) == 0
    assert f"OK, {JournalEntry.objects.count()} entries" in capsys.readouterr().out


def test_the_database_refuses_a_second_ballot_that_raced_past_the_engine(floor, persona, draft) -> None:  # type: ignore[no-untyped-def]
    from django.db import IntegrityError, transaction
    from django.utils import timezone

    from consensio.actors.models import Actor

    question = draft()
    objected_and_voting(question, "FRA")
    austria = persona("austria")
    assert step(austria, question, "cast", vote="abstain").status_code == 302
    ballot = Ballot.objects.get()
    assert (ballot.actor.key, ballot.user.get_username()) == ("AUT", "austria")
    with pytest.raises(IntegrityError), transaction.atomic():
        Ballot.objects.create(
            question=question, actor=Actor.objects.get(key="AUT"), vote="no", cast_at=timezone.now()
        )
    # A ballot row written by a request the engine has not yet seen: the constraint still refuses.
    Ballot.objects.create(
        question=question, actor=Actor.objects.get(key="BRA"), vote="no", cast_at=timezone.now()
    )
    before = counts(question)
    response = step(persona("brazil"), question, "cast", vote="yes")
    assert response.status_code == 409
    assert refusal(response) == "Rule 124: this ballot was already recorded; a member votes once"
    assert counts(question) == before


def test_the_secretariat_records_a_step_for_a_named_member(floor, persona, draft) -> None:  # type: ignore[no-untyped-def]
    from consensio.decisions.actions import do_put_question

    question = draft()
    do_put_question(None, question)
    secretariat = persona("secretariat")
    response = step(secretariat, question, "object")
    assert response.status_code == 403
    assert refusal(response) == "Name the member for whom the step is recorded."
    assert step(secretariat, question, "object", member="jpn").status_code == 302
    event = QuestionEvent.objects.get(question=question, trigger="object")
    assert (event.member, event.user.get_username()) == ("JPN", "secretariat")


def test_the_page_offers_only_the_steps_the_rules_allow_now(floor, persona, draft) -> None:  # type: ignore[no-untyped-def]
    from consensio.decisions.actions import do_put_question

    question = draft()
    do_put_question(None, question)
    austria, chair = persona("austria"), persona("chair")
    page = austria.get(f"/decisions/{question.pk}/").content.decode()
    assert 'value="object"' in page and 'value="withdraw_objection"' not in page
    assert 'name="vote"' not in page
    assert 'value="gavel"' in chair.get(f"/decisions/{question.pk}/").content.decode()
    assert step(austria, question, "object").status_code == 302
    page = austria.get(f"/decisions/{question.pk}/").content.decode()
    assert 'value="object"' not in page and 'value="withdraw_objection"' in page
    chair_page = chair.get(f"/decisions/{question.pk}/").content.decode()
    assert 'value="gavel"' not in chair_page and 'value="record_exhausted"' in chair_page
    assert '<p class="objections">Objections standing: AUT</p>' in chair_page
    assert re.findall(r'<span class="step">(.*?)</span>', chair_page) == [
        "drafted",
        "put to the body by the chair",
        "objection",
    ]
