"""The floor's demo: a meeting of the Ad Hoc Committee's reconvened concluding session, ready
for the chair to put a question.

Illustrative only: the meeting, the questions and the speakers are demo values, not the
record of the session. The floor of the session's second meeting has item 3 (consideration
of the draft convention) taken up, a first question drafted and before the body, a second
drafted for a recorded vote, and four speakers inscribed: Nigeria for the African Group
(groups speak first), Japan, the European Union (an observer, after the Member States) and
the Electronic Frontier Foundation (a stakeholder, last). Algeria, Austria, Brazil, Japan and
Nigeria are the session's accredited members (forum demo) and so vote.

`load_floor_demo()` is idempotent: nothing is done once the meeting's floor exists.
"""

from __future__ import annotations

from django.db import transaction

FIRST = "Article 41. Relation with protocols (floor demo)"
SECOND = "Amendment to article 53, paragraph 2 (floor demo)"
SPEAKERS = [("NGA", "AG"), ("JPN", None), ("EU", None), ("eff", None)]


@transaction.atomic
def load_floor_demo() -> bool:
    """Open the demo floor where missing; True when anything was created."""
    from consensio.actors.models import Group
    from consensio.decisions.actions import do_draft_question
    from consensio.floor.actions import do_inscribe, do_take_up
    from consensio.floor.models import Floor
    from consensio.forum.models import Meeting

    meeting = (
        Meeting.objects.select_related("session__body")
        .filter(session__body__key="ahc", session__number=8, number=2)
        .first()
    )
    if meeting is None or Floor.objects.filter(meeting=meeting).exists():
        return False
    item = meeting.agenda_items.order_by("position").first() or meeting.session.agenda_items.get(number="3")
    session, body = meeting.session, meeting.session.body
    first = do_draft_question(
        None, body=body, session=session, agenda_item=item, kind="article", subject=FIRST
    )
    do_draft_question(
        None,
        body=body,
        session=session,
        agenda_item=item,
        kind="amendment",
        question_type="amendment",
        subject=SECOND,
        sponsors=["JPN"],
    )
    do_take_up(None, meeting, item=item, question=first)
    groups = {g.key: g for g in Group.objects.filter(key__in=[g for _k, g in SPEAKERS if g])}
    for key, group in SPEAKERS:
        do_inscribe(None, meeting, member=key, on_behalf_of=groups.get(group) if group else None)
    return True
