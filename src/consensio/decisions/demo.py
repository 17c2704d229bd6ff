"""Demo decisions at the forum demo's reconvened concluding session of the Ad Hoc Committee.

Illustrative only: the subjects name real articles of the convention, but the steps, the
objections and the recorded vote are demo values, not the record of the session (the
counts of the recorded votes of 8 August 2024 were not found, research/domain.md §5.5).
One question adopted by consensus, one adopted without a vote after an objection was
withdrawn, one decided by recorded vote among the session's accredited members, and one
under the silence procedure, its deadline 72 hours after loading.

`load_decisions_demo()` is idempotent: each question is created only if its subject is
not yet on the session's record.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone

CONSENSUS = "Article 7. Illegal access (demo)"
WITHDRAWN = "Article 24. Conditions and safeguards (demo)"
RECORDED = "Amendment to article 40, paragraph 8 (demo)"
SILENCE = "Draft report of the reconvened concluding session (demo)"


def _consensus(a: Any, q: Any) -> None:
    a.do_put_question(None, q)
    a.do_explain(None, q, "position", 3, "JPN")
    a.do_gavel(None, q)


def _withdrawn(a: Any, q: Any) -> None:
    a.do_put_question(None, q)
    a.do_object(None, q, "BRA")
    a.do_withdraw_objection(None, q, "BRA")
    a.do_disassociate(None, q, ["chp_4__art_24__para_2"], "NGA")
    a.do_gavel(None, q)
    a.do_reserve(
        None,
        q,
        ["chp_4__art_24"],
        "To be applied in conformity with our constitutional principles (demo)",
        "DZA",
    )


def _recorded(a: Any, q: Any) -> None:
    a.do_put_question(None, q)
    a.do_object(None, q, "AUT")
    a.do_record_exhausted(None, q)
    a.do_request_vote(None, q, "AUT")
    a.do_open_voting(None, q, "recorded")
    members = sorted(a.load_question(q).electorate.members)
    votes = {"AUT": "no", "JPN": "no", "BRA": "abstain"}
    for member in members:
        a.do_cast_ballot(None, q, votes.get(member, "yes"), member)
    a.do_close_voting(None, q)
    a.do_announce(None, q)
    a.do_explain(None, q, "vote_after", 5, "AUT")


def _silence(a: Any, q: Any) -> None:
    a.do_circulate_silence(None, q, timezone.now() + dt.timedelta(hours=72, minutes=5))


SCENARIO: list[tuple[str, str, str | None, list[str], Callable[[Any, Any], None]]] = [
    (CONSENSUS, "article", None, [], _consensus),
    (WITHDRAWN, "article", None, [], _withdrawn),
    (RECORDED, "amendment", "amendment", ["NGA"], _recorded),
    (SILENCE, "report", None, [], _silence),
]


@transaction.atomic
def load_decisions_demo() -> bool:
    """Create the demo decisions where missing; True when anything was created."""
    from consensio.decisions import actions as a
    from consensio.decisions.models import Question
    from consensio.forum.models import Session

    session = (
        Session.objects.select_related("body")
        .filter(body__key="ahc", label="Reconvened concluding session")
        .first()
    )
    if session is None:
        return False
    created = False
    for subject, kind, question_type, sponsors, play in SCENARIO:
        if Question.objects.filter(session=session, subject=subject).exists():
            continue
        question = a.do_draft_question(
            None,
            body=session.body,
            session=session,
            kind=kind,
            subject=subject,
            question_type=question_type,
            sponsors=sponsors,
        )
        play(a, question)
        created = True
    return created
