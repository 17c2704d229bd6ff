"""Ballots racing each other: the row lock serialises the steps of one question, and the
unique (question, member) constraint is the last word on a duplicate."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from consensio.decisions.models import Ballot, QuestionEvent


def race(calls: list[Any]) -> list[object]:
    """Run the calls at once, each in its own thread and database connection; their results or errors."""
    from django.db import connection

    barrier = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def run(i: int) -> None:
        try:
            barrier.wait()
            results[i] = calls[i]()
        except Exception as exc:  # noqa: BLE001 - the refusal is the result under test
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_ballots_are_each_recorded_once(floor, draft) -> None:  # type: ignore[no-untyped-def]
    from django.db import connection

    from consensio.decisions import actions as a
    from consensio.engine.procedure import BallotError

    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip(
            "an in-memory SQLite test database is not shared between threads (bench/bench_ballots.py races on a file)"
        )
    question = draft()
    a.do_put_question(None, question)
    a.do_object(None, question, "FRA")
    a.do_record_exhausted(None, question)
    a.do_request_vote(None, question, "FRA")
    a.do_open_voting(None, question, "recorded")

    same = race([lambda: a.do_cast_ballot(None, question, "yes", "AUT") for _ in range(6)])
    assert sum(1 for r in same if isinstance(r, BallotError)) == 5
    others = race(
        [lambda k=k: a.do_cast_ballot(None, question, "no", k) for k in ("BRA", "FRA", "JPN", "DZA")]
    )
    assert not [r for r in others if isinstance(r, Exception)]
    assert sorted(Ballot.objects.filter(question=question).values_list("actor__key", flat=True)) == [
        "AUT",
        "BRA",
        "DZA",
        "FRA",
        "JPN",
    ]
    seqs = list(QuestionEvent.objects.filter(question=question).values_list("seq", flat=True))
    assert seqs == list(range(1, len(seqs) + 1))
    assert len(a.load_question(question).ballots) == 5
