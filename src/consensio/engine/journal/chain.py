"""Canonical JSON, hash chaining and verification of the journal (see the package docstring).

Verification streams: it keeps only the previous entry's hash and the expected sequence
number, so a journal of any length is checked in constant memory.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO, Any, NoReturn, TypeAlias

Json: TypeAlias = None | bool | int | str | list["Json"] | dict[str, "Json"]
JsonObject: TypeAlias = dict[str, Json]

#: The ``prev`` value of the first entry: no entry can hash to it.
GENESIS = "0" * 64

_KEYS = frozenset({"seq", "at", "kind", "payload", "prev", "hash"})
_UTC = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|\+00:00)\Z")


class JournalError(ValueError):
    """A value that cannot go into the journal, or a line that cannot be read from it."""


@dataclass(frozen=True, slots=True)
class JournalEntry:
    seq: int
    at: str
    kind: str
    payload: JsonObject
    prev: str
    hash: str

    def to_dict(self) -> JsonObject:
        return {
            "seq": self.seq,
            "at": self.at,
            "kind": self.kind,
            "payload": self.payload,
            "prev": self.prev,
            "hash": self.hash,
        }

    def to_line(self) -> bytes:
        """The entry as written to a ``.jsonl`` file: canonical JSON, without the newline."""
        return canonical_json(self.to_dict())


@dataclass(frozen=True, slots=True)
class VerifyReport:
    """The outcome of ``verify``: ``first_bad_seq`` and ``reason`` name the first break found."""

    ok: bool
    checked: int
    first_bad_seq: int | None = None
    reason: str = ""
    head: str | None = None  # hash of the last good entry (GENESIS for an empty journal)


def _check_json(value: object, where: str) -> None:
    if value is None or isinstance(value, bool | int | str):
        return
    if isinstance(value, float):
        raise JournalError(
            f"{where}: {value!r} is a floating-point number; the journal holds integers and strings only "
            "(write amounts as integers or decimal strings)"
        )
    if isinstance(value, list | tuple):
        for i, item in enumerate(value):
            _check_json(item, f"{where}[{i}]")
        return
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise JournalError(f"{where}: key {key!r} is not a string")
            _check_json(item, f"{where}.{key}")
        return
    raise JournalError(
        f"{where}: {type(value).__name__} is not a JSON value (use str, int, bool, None, list, dict)"
    )


def _dumps(obj: object) -> bytes:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def canonical_json(obj: object) -> bytes:
    """Sorted keys, no whitespace, UTF-8; floats, NaN and non-string keys are refused."""
    _check_json(obj, "$")
    try:
        return _dumps(obj)
    except UnicodeEncodeError as exc:
        raise JournalError(f"$: text that is not valid Unicode ({exc.reason})") from None


def entry_hash(seq: int, at: str, kind: str, payload: JsonObject, prev: str) -> str:
    body = canonical_json({"seq": seq, "at": at, "kind": kind, "payload": payload, "prev": prev})
    return hashlib.sha256(body).hexdigest()


def check_timestamp(at: str) -> str:
    """``at`` must be an ISO 8601 UTC timestamp such as ``2024-08-08T15:04:05Z``."""
    if not isinstance(at, str) or not _UTC.match(at):
        raise JournalError(f"at={at!r}: expected an ISO 8601 UTC timestamp such as 2024-08-08T15:04:05Z")
    try:
        datetime.fromisoformat(at)
    except ValueError as exc:
        raise JournalError(f"at={at!r}: {exc}") from None
    return at


def append(prev: JournalEntry | None, kind: str, payload: JsonObject, at: str) -> JournalEntry:
    """The entry that follows ``prev`` (or the first entry when ``prev`` is None)."""
    if not isinstance(kind, str) or not kind:
        raise JournalError(f"kind={kind!r}: expected a non-empty string")
    if not isinstance(payload, dict):
        raise JournalError(f"payload: expected an object, got {type(payload).__name__}")
    check_timestamp(at)
    seq = 1 if prev is None else prev.seq + 1
    prev_hash = GENESIS if prev is None else prev.hash
    return JournalEntry(seq, at, kind, payload, prev_hash, entry_hash(seq, at, kind, payload, prev_hash))


def _is_text(fileobj: IO[Any]) -> bool:
    return hasattr(fileobj, "encoding")


def dump_jsonl(entries: Iterable[JournalEntry], fileobj: IO[Any]) -> int:
    """Write one canonical line per entry to a text or binary file; returns the number written."""
    text = _is_text(fileobj)
    n = 0
    for entry in entries:
        line = entry.to_line() + b"\n"
        fileobj.write(line.decode("utf-8") if text else line)
        n += 1
    return n


def _no_float(token: str) -> NoReturn:
    raise ValueError(f"floating-point number {token} (the journal holds integers only)")


def _parse(line: bytes | str) -> object:
    return json.loads(line, parse_float=_no_float, parse_constant=_no_float)


def _shape_error(d: object) -> str | None:
    if not isinstance(d, dict):
        return "not a JSON object"
    keys = d.keys()
    if keys != _KEYS:
        missing = sorted(_KEYS - keys)
        extra = sorted(keys - _KEYS)
        return "keys " + "; ".join(
            part
            for part in (f"missing {missing}" if missing else "", f"unknown {extra}" if extra else "")
            if part
        )
    seq = d["seq"]
    if not isinstance(seq, int) or isinstance(seq, bool) or seq < 1:
        return f"seq {seq!r} is not a positive integer"
    for key in ("at", "kind", "prev", "hash"):
        if not isinstance(d[key], str):
            return f"{key} is not a string"
    if not isinstance(d["payload"], dict):
        return "payload is not an object"
    return None


def _entry_from(d: dict[str, Any]) -> JournalEntry:
    return JournalEntry(d["seq"], d["at"], d["kind"], d["payload"], d["prev"], d["hash"])


def load_jsonl(fileobj: IO[Any]) -> list[JournalEntry]:
    """Read entries from a ``.jsonl`` file (text or binary). Reading does not verify: call ``verify``."""
    entries = []
    for lineno, raw in enumerate(fileobj, 1):
        line = raw.rstrip("\r\n") if isinstance(raw, str) else raw.rstrip(b"\r\n")
        try:
            d = _parse(line)
        except ValueError as exc:
            raise JournalError(f"line {lineno}: not valid JSON ({exc})") from None
        problem = _shape_error(d)
        if problem:
            raise JournalError(f"line {lineno}: {problem}")
        assert isinstance(d, dict)
        entries.append(_entry_from(d))
    return entries


def verify(items: Iterable[JournalEntry | bytes | str], *, expected_head: str | None = None) -> VerifyReport:
    """Check the chain entry by entry and stop at the first break.

    ``items`` are entries, or the lines of a ``.jsonl`` file (bytes or str, with or without
    the newline). A line must also be byte-for-byte canonical. The chain alone cannot show
    that entries were cut from the end; pass ``expected_head`` (the last hash published)
    to check that too.
    """
    prev_hash = GENESIS
    expected = 1
    checked = 0
    sha256 = hashlib.sha256
    dumps = _dumps
    for lineno, item in enumerate(items, 1):
        line: bytes | None
        if isinstance(item, JournalEntry):
            d: Any = item.to_dict()
            line = None
        else:
            line = item.encode("utf-8") if isinstance(item, str) else item
            line = line.rstrip(b"\r\n")
            try:
                d = _parse(line)
            except (ValueError, UnicodeDecodeError) as exc:
                return VerifyReport(
                    False, checked, expected, f"line {lineno}: not valid JSON ({exc})", prev_hash
                )
            problem = _shape_error(d)
            if problem:
                return VerifyReport(False, checked, expected, f"line {lineno}: {problem}", prev_hash)
        seq = d["seq"]
        content = {"at": d["at"], "kind": d["kind"], "payload": d["payload"], "prev": d["prev"], "seq": seq}
        try:
            body = dumps(content)
        except UnicodeEncodeError:
            return VerifyReport(
                False, checked, expected, f"line {lineno}: text that is not valid Unicode", prev_hash
            )
        stated = d["hash"]
        if sha256(body).hexdigest() != stated:
            return VerifyReport(
                False,
                checked,
                seq,
                f"line {lineno}: entry seq {seq} was altered: its hash does not match its content",
                prev_hash,
            )
        if line is not None:
            # the hash key sorts between "at" and "kind"; a quote inside the at string is escaped,
            # so the first ',"kind":' is the one after the at value
            prefix = body.find(b',"kind":') + 1
            canonical = body[:prefix] + b'"hash":"' + stated.encode() + b'",' + body[prefix:]
            if canonical != line:
                return VerifyReport(
                    False, checked, seq, f"line {lineno}: entry seq {seq} is not in canonical form", prev_hash
                )
        if seq > expected:
            return VerifyReport(
                False,
                checked,
                expected,
                f"line {lineno}: entry seq {expected} is missing (found seq {seq}): removed or moved",
                prev_hash,
            )
        if seq < expected:
            return VerifyReport(
                False,
                checked,
                seq,
                f"line {lineno}: seq {seq} comes again after seq {expected - 1}: "
                f"an entry was inserted at or before seq {seq}, or entries were reordered",
                prev_hash,
            )
        if d["prev"] != prev_hash:
            before = "the genesis value" if seq == 1 else f"the hash of entry seq {seq - 1}"
            return VerifyReport(
                False,
                checked,
                seq,
                f"line {lineno}: entry seq {seq} does not chain to {before}: "
                "an entry was inserted, removed or altered and re-hashed before it",
                prev_hash,
            )
        prev_hash = stated
        expected += 1
        checked += 1
    if expected_head is not None and expected_head != prev_hash:
        return VerifyReport(
            False,
            checked,
            expected,
            f"the journal ends after seq {expected - 1} but its last hash is not the expected head "
            f"{expected_head[:12]}…: entries were removed from the end or the head is from another journal",
            prev_hash,
        )
    return VerifyReport(True, checked, None, "", prev_hash)


def verify_file(path: str | Path, *, expected_head: str | None = None) -> VerifyReport:
    """``verify`` over a ``.jsonl`` file, read line by line (for ``consensio journal verify``).

    A file that cannot be read raises ``OSError``: that is unusable input, not a broken chain.
    """
    with Path(path).open("rb") as fh:
        return verify(fh, expected_head=expected_head)
