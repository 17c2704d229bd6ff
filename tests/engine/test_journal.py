"""The hash-chained journal: canonical JSON, appending, export, and verification of every kind of tampering."""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from consensio.engine.journal import (
    GENESIS,
    JournalEntry,
    JournalError,
    append,
    canonical_json,
    dump_jsonl,
    load_jsonl,
    verify,
    verify_file,
)


def chain(n: int) -> list[JournalEntry]:
    entries: list[JournalEntry] = []
    prev = None
    for i in range(n):
        prev = append(
            prev,
            "vote.cast",
            {"member": f"M{i:03d}", "vote": "yes", "n": i},
            f"2024-08-08T10:{i % 60:02d}:00Z",
        )
        entries.append(prev)
    return entries


def lines_of(entries: list[JournalEntry]) -> list[bytes]:
    buf = io.BytesIO()
    dump_jsonl(entries, buf)
    return buf.getvalue().splitlines(keepends=True)


def test_canonical_json() -> None:
    assert (
        canonical_json({"b": [1, True, None], "a": "Türkiye"}) == '{"a":"Türkiye","b":[1,true,null]}'.encode()
    )
    with pytest.raises(JournalError, match=r"\$.tally.share: 0.5 is a floating-point number"):
        canonical_json({"tally": {"share": 0.5}})
    with pytest.raises(JournalError, match=r"\$\[0\]: key 1 is not a string"):
        canonical_json([{1: "x"}])
    with pytest.raises(JournalError, match="set is not a JSON value"):
        canonical_json({"x": {1, 2}})
    with pytest.raises(JournalError, match="not valid Unicode"):
        canonical_json({"x": "\ud800"})


def test_append_links_and_hashes() -> None:
    first = append(None, "question.draft", {"id": "q1"}, "2024-08-08T10:00:00Z")
    second = append(first, "question.put", {}, "2024-08-08T10:01:00.123456+00:00")
    assert (first.seq, first.prev, second.seq, second.prev) == (1, GENESIS, 2, first.hash)
    body = (
        b'{"at":"2024-08-08T10:00:00Z","kind":"question.draft","payload":{"id":"q1"},"prev":"'
        + GENESIS.encode()
        + b'","seq":1}'
    )
    assert first.hash == hashlib.sha256(body).hexdigest()
    assert json.loads(first.to_line())["hash"] == first.hash


@pytest.mark.parametrize(
    ("kind", "payload", "at", "message"),
    [
        ("", {}, "2024-08-08T10:00:00Z", "kind=''"),
        ("k", [], "2024-08-08T10:00:00Z", "payload: expected an object"),
        ("k", {}, "2024-08-08 10:00", "ISO 8601 UTC"),
        ("k", {}, "2024-08-08T10:00:00+02:00", "ISO 8601 UTC"),
        ("k", {}, "2024-02-30T10:00:00Z", "day is out of range"),
        ("k", {"x": 1.0}, "2024-08-08T10:00:00Z", "floating-point"),
    ],
)
def test_append_refuses(kind: str, payload: object, at: str, message: str) -> None:
    with pytest.raises(JournalError, match=message):
        append(None, kind, payload, at)  # type: ignore[arg-type]


def test_round_trip_text_and_binary(tmp_path: Path) -> None:
    entries = chain(5)
    text = io.StringIO()
    assert dump_jsonl(entries, text) == 5
    assert load_jsonl(io.StringIO(text.getvalue())) == entries
    assert load_jsonl(io.BytesIO(text.getvalue().encode())) == entries
    path = tmp_path / "journal.jsonl"
    with path.open("wb") as fh:
        dump_jsonl(entries, fh)
    report = verify_file(path)
    assert report.ok and report.checked == 5 and report.head == entries[-1].hash
    assert verify_file(path, expected_head=entries[-1].hash).ok
    with pytest.raises(FileNotFoundError):
        verify_file(tmp_path / "nope.jsonl")


def test_load_refuses_bad_lines() -> None:
    with pytest.raises(JournalError, match="line 2: not valid JSON"):
        load_jsonl(io.BytesIO(lines_of(chain(1))[0] + b"{oops\n"))
    with pytest.raises(JournalError, match=r"line 1: keys missing \['hash'\]"):
        load_jsonl(io.StringIO('{"seq":1,"at":"x","kind":"k","payload":{},"prev":"p"}\n'))


def test_empty_journal_verifies() -> None:
    report = verify([])
    assert report.ok and report.checked == 0 and report.head == GENESIS


def test_entries_verify_as_objects_and_as_lines() -> None:
    entries = chain(20)
    assert verify(entries).ok
    assert verify(lines_of(entries)).ok
    assert verify([line.decode() for line in lines_of(entries)]).ok


def test_one_byte_changed_in_a_file() -> None:
    data = b"".join(lines_of(chain(10)))
    offset = data.index(b"M002")  # in the payload of seq 3
    report = verify(io.BytesIO(data[:offset] + b"N" + data[offset + 1 :]))
    assert (report.ok, report.checked, report.first_bad_seq) == (False, 2, 3)
    assert report.reason == "line 3: entry seq 3 was altered: its hash does not match its content"


def test_every_single_byte_change_is_detected() -> None:
    data = b"".join(lines_of(chain(3)))
    for offset in range(len(data)):
        if data[offset : offset + 1] == b"\n":
            continue
        flipped = bytes([data[offset] ^ 0x01])
        report = verify(io.BytesIO(data[:offset] + flipped + data[offset + 1 :]))
        assert not report.ok, f"byte {offset} changed but verify passed"


def test_unparseable_and_malformed_lines_are_named() -> None:
    good = lines_of(chain(4))
    report = verify([*good[:2], b"not json\n", *good[3:]])
    assert (report.ok, report.checked, report.first_bad_seq) == (False, 2, 3)
    assert report.reason.startswith("line 3: not valid JSON")
    report = verify([*good[:1], b"[1, 2]\n"])
    assert report.reason == "line 2: not a JSON object"
    report = verify([b'{"seq":1.5,"at":"x","kind":"k","payload":{},"prev":"p","hash":"h"}'])
    assert "floating-point" in report.reason
    report = verify([b'{"seq":true,"at":"x","kind":"k","payload":{},"prev":"p","hash":"h"}'])
    assert "seq True is not a positive integer" in report.reason
    report = verify([b'{"seq":1,"at":1,"kind":"k","payload":{},"prev":"p","hash":"h"}'])
    assert "at is not a string" in report.reason
    report = verify([b'{"seq":1,"at":"x","kind":"k","payload":[],"prev":"p","hash":"h"}'])
    assert "payload is not an object" in report.reason
    report = verify([b"\xff\xfe\n"])
    assert report.reason.startswith("line 1: not valid JSON")


def test_non_canonical_line_is_refused() -> None:
    entry = chain(1)[0]
    spaced = json.dumps(entry.to_dict(), sort_keys=True).encode()  # valid, same content, not canonical
    report = verify([spaced])
    assert not report.ok and report.reason == "line 1: entry seq 1 is not in canonical form"


def test_genesis_is_checked() -> None:
    at = "2024-08-08T10:00:00Z"
    bad = JournalEntry(1, at, "k", {}, "f" * 64, _hash(1, at, "k", {}, "f" * 64))
    report = verify([bad])
    assert (
        not report.ok and report.first_bad_seq == 1 and "does not chain to the genesis value" in report.reason
    )


def _hash(seq: int, at: str, kind: str, payload: dict[str, object], prev: str) -> str:
    body = json.dumps(
        {"seq": seq, "at": at, "kind": kind, "payload": payload, "prev": prev},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    ).encode()
    return hashlib.sha256(body).hexdigest()


def test_truncation_needs_the_expected_head() -> None:
    entries = chain(5)
    assert verify(entries[:-1]).ok  # the chain alone cannot see a cut at the end
    report = verify(entries[:-1], expected_head=entries[-1].hash)
    assert not report.ok and report.first_bad_seq == 5 and "removed from the end" in report.reason


# --- every single-entry alteration is detected -----------------------------------------------

N = 12


@settings(max_examples=300, deadline=None)
@given(
    alteration=st.sampled_from(
        ["payload", "removed", "inserted", "inserted_rehashed", "swapped", "rehashed", "kind", "at"]
    ),
    k=st.integers(
        min_value=1, max_value=N - 1
    ),  # 1-based seq of the entry touched (not the last: see truncation)
    text=st.text(min_size=1, max_size=8),
)
def test_verify_detects_every_single_entry_alteration(alteration: str, k: int, text: str) -> None:
    entries = chain(N)
    target = entries[k - 1]
    tampered = list(entries)
    expected_bad = {k}
    if alteration == "payload":
        tampered[k - 1] = JournalEntry(
            target.seq, target.at, target.kind, {**target.payload, "x": text}, target.prev, target.hash
        )
    elif alteration == "kind":
        tampered[k - 1] = JournalEntry(
            target.seq, target.at, target.kind + text, target.payload, target.prev, target.hash
        )
    elif alteration == "at":
        tampered[k - 1] = JournalEntry(
            target.seq, "2031-01-01T00:00:00Z", target.kind, target.payload, target.prev, target.hash
        )
    elif alteration == "rehashed":  # content changed and its own hash recomputed: the next link breaks
        new = {**target.payload, "x": text}
        tampered[k - 1] = JournalEntry(
            target.seq,
            target.at,
            target.kind,
            new,
            target.prev,
            _hash(target.seq, target.at, target.kind, new, target.prev),
        )
        expected_bad = {k + 1}
    elif alteration == "removed":
        del tampered[k - 1]
    elif alteration == "inserted":
        forged = JournalEntry(k, target.at, "forged", {"x": text}, target.prev, "0" * 64)
        tampered.insert(k - 1, forged)
    elif alteration == "inserted_rehashed":  # a well-formed entry slipped in: the original seq k then repeats
        forged = append(entries[k - 2] if k > 1 else None, "forged", {"x": text}, target.at)
        tampered.insert(k - 1, forged)
    elif alteration == "swapped":
        tampered[k - 1], tampered[k] = tampered[k], tampered[k - 1]
    for form in (tampered, lines_of(tampered)):
        report = verify(form)
        assert not report.ok, alteration
        assert report.first_bad_seq in expected_bad, (alteration, report)
        assert report.checked == min(expected_bad) - 1 or alteration == "inserted_rehashed"


def test_lone_surrogate_in_a_line_is_refused() -> None:
    line = b'{"at":"\\ud800","hash":"h","kind":"k","payload":{},"prev":"p","seq":1}'
    report = verify([line])
    assert not report.ok and report.reason == "line 1: text that is not valid Unicode"
