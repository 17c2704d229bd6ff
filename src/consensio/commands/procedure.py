"""`consensio procedure close-due`: settle every silence procedure whose deadline has passed.

Under the silence procedure (GA decision 74/544) a text circulated with a deadline is adopted
if no member breaks silence before it. Pages already read the state as of now, so nothing is
wrong in between; this command records the end of each expired period in the question's
events and the journal, once (a second run finds nothing to do). Meant for cron:
exit status 0, one line per question settled.
"""

from __future__ import annotations

import argparse

from consensio.cli import CommandError, setup_django


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    procedure = sub.add_parser("procedure", help="the procedure of decisions (silence deadlines)")
    psub = procedure.add_subparsers(dest="procedure_command", metavar="ACTION")
    psub.required = True
    close_due = psub.add_parser("close-due", help="record every silence procedure whose deadline has passed")
    close_due.set_defaults(func=run_close_due)


def run_close_due(args: argparse.Namespace) -> int:
    setup_django()
    from django.db import DatabaseError

    from consensio.decisions.actions import do_settle_due

    try:
        settled = do_settle_due(None)
    except DatabaseError as exc:
        first_line = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise CommandError(
            f"cannot read the decisions ({first_line}); is the database migrated? "
            "`consensio serve` applies the migrations"
        ) from None
    for question in settled:
        deadline = question.silence_deadline.isoformat() if question.silence_deadline else "?"
        print(
            f"question {question.pk}: adopted under silence procedure (deadline {deadline}): {question.subject}"
        )
    print(f"consensio: {len(settled)} silence procedure(s) settled")
    return 0
