"""Benchmark of the procedure and journal engines (a script, not a test).

    .venv/bin/python bench/bench_procedure.py [--quick]

Each row is a median over many runs, next to a baseline measured in the same run on the
same data, and their ratio:

- tally: counting a 193-member recorded vote (``count_ballots`` + ``decide``) and appending
  its journal entry, against a bare ``collections.Counter`` over the same ballots;
- journal verify: ``verify`` over 100,000 exported lines, against ``json.loads`` +
  ``json.dumps`` + ``hashlib.sha256`` of the same lines (what any verifier must at least do).
"""

from __future__ import annotations

import argparse
import collections
import hashlib
import io
import json
import statistics
import time
from collections.abc import Callable

from consensio.engine.journal import JournalEntry, append, dump_jsonl, verify
from consensio.engine.procedure import Ballot, Electorate, Vote, count_ballots, decide, load_rulebook


def median_seconds(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="fewer runs and entries (smoke test)")
    args = parser.parse_args()
    tally_runs = 200 if args.quick else 2000
    n_entries = 10_000 if args.quick else 100_000
    verify_runs = 3 if args.quick else 7

    # --- a 193-member recorded vote with the totals of A/RES/74/247 ---
    members = [f"M{i:03d}" for i in range(193)]
    votes = [Vote.YES] * 79 + [Vote.NO] * 60 + [Vote.ABSTAIN] * 33 + [Vote.NOT_PARTICIPATING] * 21
    ballots = [Ballot(m, v) for m, v in zip(members, votes, strict=True)]
    electorate = Electorate(frozenset(members))
    rulebook = load_rulebook("unga-committee")
    head = append(None, "session.opened", {"session": "reconvened"}, "2024-07-29T10:00:00Z")

    def product_tally() -> JournalEntry:
        tally = count_ballots(ballots, electorate, rulebook, members)
        result = decide(tally, rulebook, "substantive")
        payload = {"question": "A/74/L.x", "adopted": result.adopted, **tally.to_dict()}
        return append(head, "vote.result", payload, "2024-08-08T15:00:00Z")

    def baseline_tally() -> object:
        return collections.Counter(b.vote for b in ballots)

    # --- a journal of n entries, exported ---
    entry = None
    entries = []
    for i in range(n_entries):
        entry = append(
            entry, "vote.cast", {"member": members[i % 193], "vote": "yes", "n": i}, "2024-08-08T15:00:00Z"
        )
        entries.append(entry)
    buf = io.BytesIO()
    dump_jsonl(entries, buf)
    lines = buf.getvalue().splitlines(keepends=True)
    del entries

    def product_verify() -> object:
        report = verify(lines)
        assert report.ok
        return report

    def baseline_verify() -> object:
        last = ""
        for line in lines:
            d = json.loads(line)
            d.pop("hash")
            last = hashlib.sha256(json.dumps(d, sort_keys=True, separators=(",", ":")).encode()).hexdigest()
        return last

    rows = []
    for label, product, baseline, runs, unit in (
        ("tally 193 ballots + journal append", product_tally, baseline_tally, tally_runs, "µs"),
        (f"journal verify {n_entries:,} entries", product_verify, baseline_verify, verify_runs, "s"),
    ):
        product()
        baseline()  # warm up
        p = median_seconds(product, runs)
        b = median_seconds(baseline, runs)
        scale = 1e6 if unit == "µs" else 1.0
        rows.append(
            (
                label,
                f"{p * scale:,.{1 if unit == 'µs' else 3}f} {unit}",
                f"{b * scale:,.{1 if unit == 'µs' else 3}f} {unit}",
                f"{p / b:,.1f}x",
                runs,
            )
        )

    header = ("measure", "median", "baseline median", "ratio", "runs")
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(5)]
    print("  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)))
    print("  ".join("-" * w for w in widths))
    for row in rows:
        print("  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)))
    print()
    print("baselines: tally = collections.Counter over the same ballots; verify = json.loads + json.dumps")
    print("(sorted keys) + hashlib.sha256 per line, no chain or canonical-form checks")


if __name__ == "__main__":
    main()
