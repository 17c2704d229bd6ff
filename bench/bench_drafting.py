"""Benchmark of the rolling-text page served from the database at convention scale.

Loads the engine benchmark's generated negotiation (bench/bench_text.py: 600 provisions, 5,000
proposals, 20,000 co-sponsorships; and the same text with 500 proposals) into a fresh database,
then renders the full rolling-text page through Django (test client: URL routing, views,
templates) and reports the median time, the number of SQL queries (which must not grow with the
number of proposals), the time lxml takes to parse and serialize the same text as Akoma Ntoso
(baseline ratio), and peak memory.

    .venv/bin/python bench/bench_drafting.py [--runs 7] [--seed 1]

SQLite in a temporary folder by default; set DATABASE_URL to measure on PostgreSQL.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path


def setup() -> None:
    if "DATABASE_URL" not in os.environ:
        os.environ.setdefault("CONSENSIO_HOME", tempfile.mkdtemp(prefix="bench-drafting-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "consensio.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    setup_test_environment()
    call_command("migrate", interactive=False, verbosity=0)


def load(seed: int, n_proposals: int) -> int:
    """Store the generated negotiation; returns the instrument's id."""
    sys.path.insert(0, str(Path(__file__).parent))
    import datetime as dt
    from dataclasses import replace

    from bench_text import generate  # type: ignore[import-not-found]
    from django.db import transaction

    from consensio.actors.models import Actor
    from consensio.drafting.models import CoSponsorship, Instrument, Proposal, Provision

    inst, proposals, statuses = generate(seed, n_proposals=n_proposals, cosponsorships=4 * n_proposals)

    def aware(moment: dt.datetime | None) -> dt.datetime | None:
        return None if moment is None else moment.replace(tzinfo=dt.UTC)

    proposals = [
        replace(
            p,
            tabled_at=aware(p.tabled_at),
            cosponsors=tuple(
                replace(c, joined_at=aware(c.joined_at), withdrawn_at=aware(c.withdrawn_at))
                for c in p.cosponsors
            ),
        )
        for p in proposals
    ]
    codes = {p.sponsor for p in proposals} | {c.delegation for p in proposals for c in p.cosponsors}
    with transaction.atomic():
        known = set(Actor.objects.filter(key__in=codes).values_list("key", flat=True))
        # The generator's delegation codes are ISO3-like, not all real: the throwaway database gets them.
        Actor.objects.bulk_create(
            Actor(key=c, name=f"Delegation {c}", kind="state") for c in sorted(codes - known)
        )
        instrument = Instrument.objects.create(title=f"{inst.title} — {n_proposals} proposals")
        Provision.objects.bulk_create(
            Provision(
                instrument=instrument,
                eid=n.eid,
                kind=n.kind.value,
                parent=n.parent,
                position=i,
                heading=n.heading,
                text=n.text,
                status=statuses.get(n.eid, "open"),
            )
            for i, n in enumerate(inst)
        )
        rows = Proposal.objects.bulk_create(
            Proposal(
                instrument=instrument,
                eid=p.provision,
                kind=p.kind.value,
                sponsor_id=p.sponsor,
                tabled_at=p.tabled_at,
                start=p.start,
                end=p.end,
                text=p.text,
                quoted=p.quoted,
                heading=p.heading,
                new_eid=p.new_eid,
                new_kind=p.new_kind,
                new_parent=p.new_parent,
                status=p.status.value,
                version=p.version,
                updated_at=p.tabled_at,
            )
            for p in proposals
        )
        CoSponsorship.objects.bulk_create(
            CoSponsorship(
                proposal=row, delegation_id=c.delegation, joined_at=c.joined_at, withdrawn_at=c.withdrawn_at
            )
            for row, p in zip(rows, proposals, strict=True)
            for c in p.cosponsors
        )
    return int(instrument.pk)


def measure(pk: int, runs: int) -> tuple[float, int, int]:
    from django.db import connection
    from django.test import Client

    client = Client()
    url = f"/texts/{pk}/"
    queries: list[str] = []

    def count(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times), len(queries), len(response.content)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    setup()

    from lxml import etree  # type: ignore[import-untyped]

    from consensio.drafting.models import Instrument
    from consensio.drafting.text import rolling_text
    from consensio.engine.text.export_akn import export_akn

    results = []
    for n in (500, 5000):
        t = time.perf_counter()
        pk = load(args.seed, n)
        loaded_ms = (time.perf_counter() - t) * 1000
        ms, queries, size = measure(pk, args.runs)
        results.append((n, pk, ms, queries, size, loaded_ms))

    big = results[-1][1]
    akn = export_akn(rolling_text(Instrument.objects.get(pk=big)))
    lxml_times = []
    for _ in range(args.runs):
        t = time.perf_counter()
        etree.tostring(etree.fromstring(akn))
        lxml_times.append((time.perf_counter() - t) * 1000)
    lxml_ms = statistics.median(lxml_times)

    from django.db import connection

    print(f"database: {connection.vendor}; median of {args.runs} runs; 600 provisions")
    print(f"{'rolling-text page':<36} {'ms':>9} {'× lxml':>8} {'queries':>8} {'HTML MB':>8} {'load s':>7}")
    print("-" * 82)
    for n, _pk, ms, queries, size, loaded_ms in results:
        print(
            f"{f'{n:,} proposals, {4 * n:,} co-sponsorships':<36} {ms:>9.1f} {ms / lxml_ms:>8.1f} "
            f"{queries:>8} {size / 1e6:>8.2f} {loaded_ms / 1000:>7.1f}"
        )
    print(
        f"{'lxml parse + serialize of the AKN':<36} {lxml_ms:>9.1f} {1.0:>8.1f}   (AKN {len(akn) / 1e6:.2f} MB)"
    )

    from django.test import Client

    tracemalloc.start()
    Client().get(f"/texts/{big}/")
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"\npeak traced memory of one 5,000-proposal page: {peak / 1e6:.1f} MB; process max RSS {rss:.0f} MB"
    )


if __name__ == "__main__":
    main()
