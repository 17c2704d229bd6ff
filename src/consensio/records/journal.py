"""Appending to the journal inside the caller's transaction, and reading it back out.

`append_journal` must be called from inside a `do_*` action's transaction, so that the
entry and the change it records commit together or not at all. Appends are serialised:
on PostgreSQL with a transaction-level advisory lock, on SQLite by the write lock that
every transaction takes at BEGIN (settings: transaction_mode IMMEDIATE).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.db import connection, transaction

from consensio.engine.journal import JournalEntry as ChainEntry
from consensio.engine.journal import append
from consensio.records.models import JournalEntry

# An arbitrary constant that names the journal's advisory lock on PostgreSQL.
_JOURNAL_LOCK = 0x636F6E73


def now_iso(moment: dt.datetime | None = None) -> str:
    moment = (moment or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    return moment.isoformat(timespec="microseconds").replace("+00:00", "Z")


def _to_chain(row: JournalEntry) -> ChainEntry:
    return ChainEntry(row.seq, row.at, row.kind, row.payload, row.prev, row.hash)


def append_journal(kind: str, payload: dict[str, Any], at: dt.datetime | None = None) -> JournalEntry:
    if not connection.in_atomic_block:
        raise RuntimeError("append_journal must run inside the transaction of the change it records")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_JOURNAL_LOCK])
    last = JournalEntry.objects.order_by("-seq").first()
    entry = append(_to_chain(last) if last else None, kind, payload, now_iso(at))
    return JournalEntry.objects.create(
        seq=entry.seq, at=entry.at, kind=entry.kind, payload=entry.payload, prev=entry.prev, hash=entry.hash
    )


def last_seq() -> int:
    """The number of the journal's last entry (0 when empty): it moves with every recorded change."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MAX(seq) FROM {JournalEntry._meta.db_table}")
        row = cursor.fetchone()
    return int(row[0] or 0) if row else 0


def iter_entries(chunk: int = 2000) -> Iterator[ChainEntry]:
    """All entries in order, read in chunks so that a long journal does not sit in memory."""
    with transaction.atomic():
        for row in JournalEntry.objects.order_by("seq").iterator(chunk_size=chunk):
            yield _to_chain(row)
