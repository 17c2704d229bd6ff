"""The record of the body: an append-only, hash-chained journal that anyone can verify offline.

DESIGN.md ("Record"): every decision, vote, objection, status change and text change is
appended to a journal that can be exported and checked without the server. Each entry is
one line of canonical JSON (sorted keys, no whitespace, UTF-8, no floating-point numbers)
holding ``seq`` (1, 2, 3...), ``at`` (an ISO 8601 UTC timestamp supplied by the caller),
``kind``, ``payload``, ``prev`` (the ``hash`` of the entry before, or ``GENESIS`` for the
first) and ``hash``: the SHA-256 hex digest of the canonical JSON of the entry without its
``hash`` key. Changing, removing, inserting or reordering any entry breaks the chain at
that entry, and ``verify`` names it.
"""

from __future__ import annotations

from consensio.engine.journal.chain import (
    GENESIS,
    JournalEntry,
    JournalError,
    Json,
    JsonObject,
    VerifyReport,
    append,
    canonical_json,
    dump_jsonl,
    entry_hash,
    load_jsonl,
    verify,
    verify_file,
)

__all__ = [
    "GENESIS",
    "JournalEntry",
    "JournalError",
    "Json",
    "JsonObject",
    "VerifyReport",
    "append",
    "canonical_json",
    "dump_jsonl",
    "entry_hash",
    "load_jsonl",
    "verify",
    "verify_file",
]
