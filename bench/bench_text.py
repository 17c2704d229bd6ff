"""Benchmark of the negotiating-text engine at convention scale.

Generates a text shaped like the UN Convention against Cybercrime negotiation (9 chapters,
70 articles, 600 provisions, 5,000 proposals from 193 delegations with 20,000 co-sponsorships)
and reports the median time of: compile, redline of two versions, Akoma Ntoso export, DOCX
export, bracket notation serialize and parse; each beside the time lxml takes to parse and
serialize the same Akoma Ntoso document (ratio), and the peak memory.

    .venv/bin/python bench/bench_text.py [--runs 7] [--seed 1]
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import string
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from lxml import etree  # type: ignore[import-untyped]

from consensio.engine.text import proposals as P
from consensio.engine.text.compare import compare
from consensio.engine.text.compile import compile_text
from consensio.engine.text.errors import ProvisionClosedError
from consensio.engine.text.export_akn import export_akn
from consensio.engine.text.export_docx import export_docx
from consensio.engine.text.notation import parse, serialize
from consensio.engine.text.status import Status
from consensio.engine.text.tree import Instrument, Kind

WORDS = [
    "each",
    "State",
    "Party",
    "shall",
    "adopt",
    "such",
    "legislative",
    "and",
    "other",
    "measures",
    "as",
    "may",
    "be",
    "necessary",
    "to",
    "establish",
    "as",
    "criminal",
    "offences",
    "under",
    "its",
    "domestic",
    "law",
    "when",
    "committed",
    "intentionally",
    "the",
    "access",
    "to",
    "the",
    "whole",
    "or",
    "any",
    "part",
    "of",
    "an",
    "information",
    "and",
    "communications",
    "technology",
    "system",
    "without",
    "right",
    "in",
    "accordance",
    "with",
    "the",
    "fundamental",
    "principles",
    "of",
    "its",
    "legal",
    "system",
    "including",
    "with",
    "regard",
    "to",
    "data",
    "traffic",
    "content",
]
T0 = datetime(2024, 7, 29, 10, 0)


def delegations(n: int = 193) -> list[str]:
    """ISO3-like codes, deterministic."""
    codes: list[str] = []
    for a in string.ascii_uppercase:
        for b in string.ascii_uppercase:
            codes.append(f"{a}{b}{chr(ord('A') + (len(codes) * 7) % 26)}")
            if len(codes) == n:
                return codes
    return codes


def sentence(rng: random.Random, low: int = 25, high: int = 60) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(low, high))]
    words[0] = words[0].capitalize()
    return " ".join(words) + "."


def generate(
    seed: int = 1,
    chapters: int = 9,
    articles: int = 70,
    provisions: int = 600,
    n_proposals: int = 5000,
    cosponsorships: int = 20000,
) -> tuple[Instrument, list[P.Proposal], dict[str, Status]]:
    rng = random.Random(seed)
    inst = Instrument("United Nations Convention against Cybercrime (draft)")
    for _ in range(12):
        inst.add(Kind.PREAMBLE_PARAGRAPH, sentence(rng, 15, 40))
    chapter_ids = [inst.add(Kind.CHAPTER, heading=f"Chapter heading {c + 1}").eid for c in range(chapters)]
    article_ids = [
        inst.add(
            Kind.ARTICLE, parent=chapter_ids[a * chapters // articles], heading=f"Article heading {a + 1}"
        ).eid
        for a in range(articles)
    ]
    # Preamble, chapters and articles count as provisions; the rest are paragraphs and subparagraphs.
    remaining = provisions - 12 - chapters - articles
    paragraphs: list[str] = []
    for a in article_ids:
        paragraphs.append(inst.add(Kind.PARAGRAPH, sentence(rng), parent=a).eid)
    remaining -= len(article_ids)
    while remaining > 0:
        if rng.random() < 0.3 and paragraphs:
            parent = rng.choice(paragraphs)
            if inst.get(parent).kind is Kind.PARAGRAPH:
                inst.add(Kind.SUBPARAGRAPH, sentence(rng, 10, 30), parent=parent)
                remaining -= 1
                continue
        paragraphs.append(inst.add(Kind.PARAGRAPH, sentence(rng), parent=rng.choice(article_ids)).eid)
        remaining -= 1
    targets = [n.eid for n in inst if n.kind in (Kind.PARAGRAPH, Kind.SUBPARAGRAPH, Kind.PREAMBLE_PARAGRAPH)]
    statuses: dict[str, Status] = {}
    for eid in rng.sample(targets, len(targets) // 10):
        statuses[eid] = Status.AGREED_AD_REF
    open_targets = [t for t in targets if t not in statuses]

    codes = delegations()
    proposals: list[P.Proposal] = []
    reserved: set[str] = set()
    kinds = [P.ProposalKind.REPLACE] * 35 + [P.ProposalKind.INSERT] * 25 + [P.ProposalKind.DELETE] * 20
    kinds += [P.ProposalKind.ALTERNATIVE] * 5 + [P.ProposalKind.ADD_PROVISION] * 10
    kinds += [P.ProposalKind.DELETE_PROVISION] * 5
    for n in range(n_proposals):
        eid = rng.choice(open_targets)
        text = inst.get(eid).text
        common: dict[str, Any] = {
            "id": f"P{n:05d}",
            "sponsor": rng.choice(codes),
            "at": T0 + timedelta(seconds=n),
        }
        kind = rng.choice(kinds)
        start = rng.randrange(len(text) - 1)
        end = min(len(text), start + rng.randint(1, 40))
        if kind is P.ProposalKind.REPLACE:
            p = P.table_replace(
                inst, statuses, provision=eid, span=(start, end), text=sentence(rng, 1, 6), **common
            )
        elif kind is P.ProposalKind.INSERT:
            p = P.table_insert(
                inst, statuses, provision=eid, offset=start, text=" " + sentence(rng, 1, 6), **common
            )
        elif kind is P.ProposalKind.DELETE:
            p = P.table_delete(inst, statuses, provision=eid, span=(start, end), **common)
        elif kind is P.ProposalKind.ALTERNATIVE:
            p = P.table_alternative(inst, statuses, provision=eid, text=sentence(rng), **common)
        elif kind is P.ProposalKind.ADD_PROVISION:
            node = inst.get(eid)
            try:
                p = P.table_new_provision(
                    inst, statuses, after=eid, kind=node.kind, text=sentence(rng), reserved=reserved, **common
                )
                reserved.add(p.new_eid)
            except ProvisionClosedError:  # its parent is agreed ad ref: propose deleting instead
                p = P.table_provision_deletion(inst, statuses, provision=eid, **common)
        else:
            p = P.table_provision_deletion(inst, statuses, provision=eid, **common)
        proposals.append(p)
    # Co-sponsorships: spread over the proposals, some later withdrawn.
    cos: list[list[P.CoSponsorship]] = [[] for _ in proposals]
    for k in range(cosponsorships):
        i = rng.randrange(len(proposals))
        code = rng.choice(codes)
        joined = T0 + timedelta(seconds=i, minutes=rng.randint(1, 600))
        withdrawn = joined + timedelta(hours=1) if rng.random() < 0.1 else None
        cos[i].append(P.CoSponsorship(code, joined, withdrawn))
        del k
    proposals = [replace(p, cosponsors=tuple(c)) for p, c in zip(proposals, cos, strict=True)]
    return inst, proposals, statuses


def second_version(
    inst: Instrument, proposals: list[P.Proposal], statuses: dict[str, Status], seed: int
) -> tuple[Instrument, list[P.Proposal], dict[str, Status]]:
    """Rev.1: a quarter of the proposals withdrawn, some provisions agreed, three articles moved."""
    rng = random.Random(seed + 1)
    rev = Instrument.from_rows(inst.title, list(inst))
    chapters = [n.eid for n in rev if n.kind is Kind.CHAPTER]
    for art in rng.sample([n.eid for n in rev if n.kind is Kind.ARTICLE], 3):
        rev.move(art, rng.choice(chapters))
    later = [replace(p, status=P.ProposalStatus.WITHDRAWN) if rng.random() < 0.25 else p for p in proposals]
    statuses2 = dict(statuses)
    for p in rng.sample(proposals, 100):
        if p.kind is not P.ProposalKind.ADD_PROVISION:
            statuses2[p.provision] = Status.AGREED_AD_REF
    return rev, later, statuses2


def median_ms(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    t = time.perf_counter()
    inst, proposals, statuses = generate(args.seed)
    generated = (time.perf_counter() - t) * 1000
    rev, later, statuses2 = second_version(inst, proposals, statuses, args.seed)
    v1 = compile_text(inst, proposals, statuses)
    v2 = compile_text(rev, later, statuses2)
    akn = export_akn(v1)
    notation = serialize(v1)
    cos = sum(len(p.cosponsors) for p in proposals)
    print(
        f"instrument: {len(inst)} provisions, {len(proposals)} proposals, {cos} co-sponsorships; "
        f"AKN {len(akn) / 1e6:.2f} MB, notation {len(notation) / 1e6:.2f} MB; generated in {generated:.0f} ms"
    )

    lxml_ms = median_ms(lambda: etree.tostring(etree.fromstring(akn)), args.runs)
    rows = [
        (
            "compile (600 provisions, 5,000 proposals)",
            median_ms(lambda: compile_text(inst, proposals, statuses), args.runs),
        ),
        ("redline of two versions", median_ms(lambda: compare(v1, v2), args.runs)),
        ("Akoma Ntoso export", median_ms(lambda: export_akn(v1), args.runs)),
        ("DOCX export", median_ms(lambda: export_docx(v1), args.runs)),
        ("bracket notation serialize", median_ms(lambda: serialize(v1), args.runs)),
        ("bracket notation parse", median_ms(lambda: parse(notation), args.runs)),
        ("lxml parse + serialize of the same AKN (reference)", lxml_ms),
    ]
    print(f"\nmedian of {args.runs} runs (single thread)\n")
    print(f"{'operation':<52} {'ms':>9} {'× lxml':>8}")
    print("-" * 71)
    for name, ms in rows:
        print(f"{name:<52} {ms:>9.1f} {ms / lxml_ms:>8.1f}")

    tracemalloc.start()
    compile_text(inst, proposals, statuses)
    _, peak_compile = tracemalloc.get_traced_memory()
    tracemalloc.reset_peak()
    compare(v1, v2)
    _, peak_compare = tracemalloc.get_traced_memory()
    tracemalloc.reset_peak()
    export_docx(v1)
    _, peak_docx = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"\npeak traced memory: compile {peak_compile / 1e6:.1f} MB, redline {peak_compare / 1e6:.1f} MB, "
        f"DOCX {peak_docx / 1e6:.1f} MB; process max RSS {rss:.0f} MB"
    )


if __name__ == "__main__":
    main()
