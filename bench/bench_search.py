"""Benchmark: full-text search over 10,000 generated documents, on SQLite and on PostgreSQL.

    python bench/bench_search.py                       # SQLite in a temporary folder
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/consensio_bench python bench/bench_search.py

With DATABASE_URL pointing at PostgreSQL both engines are measured, each in its own
process (Django is configured once per process). The PostgreSQL database must have
"bench" in its name: its forum documents are replaced. It is created when missing.

Reported for each engine: p50 and p95 of `consensio.forum.search.search()` (the function
the search page and the API call) for the public and for a delegate, beside two baselines
measured in the same run on the same connection: a bare `SELECT 1` round trip and a
lookup of one document by its unique symbol. The ratios are the numbers to compare across
machines. The corpus is inserted in bulk (not through do_issue_document, which would
spend the time building and parsing 10,000 Word files) and indexed with the same SQL the
actions produce. This is a script that reports numbers, not a test.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from urllib.parse import urlsplit, urlunsplit


def _words(text: str) -> list[str]:
    return text.split()


VOCAB = {
    "en": _words("cooperation evidence electronic data preservation jurisdiction offence criminalization assistance "
           "extradition safeguards human rights traffic subscriber content interception confiscation proceeds "
           "prevention capacity technical training mechanism implementation signature ratification article "
           "paragraph provision chapter convention committee delegation proposal amendment consensus"),
    "fr": _words("coopération preuves électronique données conservation compétence infraction incrimination entraide "
           "extradition garanties droits homme trafic abonné contenu interception confiscation produit prévention "
           "assistance technique mécanisme application signature ratification article paragraphe"),
    "es": _words("cooperación pruebas electrónicas datos conservación jurisdicción delito tipificación asistencia "
           "extradición salvaguardias derechos humanos tráfico abonado contenido interceptación decomiso"),
    "ru": _words("сотрудничество доказательства электронные данные сохранение юрисдикция преступление помощь "
           "выдача гарантии права человека трафик абонент содержание перехват конфискация"),
}
LANG_WEIGHTS = [("en", 70), ("fr", 12), ("es", 12), ("ru", 6)]
QUERIES = ["evidence", "electronic evidence", "extradition safeguards", "preservation of data",
           "mutual assistance", "coopération", "preuves électroniques", "jurisdicción", "сотрудничество",
           "ratification article", "interception content", "rare-term-0042", "proceeds confiscation"]


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def generate(n: int) -> None:
    from django.db import connection, transaction

    from consensio.forum.models import SEARCH_CONFIG, Document, LanguageVersion

    rng = random.Random(74247)
    languages = [lang for lang, w in LANG_WEIGHTS for _ in range(w)]
    with transaction.atomic():
        LanguageVersion.objects.all().delete()
        Document.objects.all().delete()
        if connection.vendor == "sqlite":
            with connection.cursor() as c:
                c.execute("DELETE FROM forum_search")
        docs = []
        for i in range(n):
            dist = rng.choices(["general", "limited", "restricted"], weights=[80, 15, 5])[0]
            words = VOCAB["en"]
            docs.append(Document(symbol=f"A/AC.999/{i + 1}", base_symbol=f"A/AC.999/{i + 1}",
                                 title=" ".join(rng.choices(words, k=6)).capitalize(),
                                 doc_type=rng.choice(["working_paper", "submission", "statement", "report"]),
                                 distribution=dist))
        Document.objects.bulk_create(docs, batch_size=1000)
        versions = []
        for doc in Document.objects.order_by("id"):
            lang = rng.choice(languages)
            body = rng.choices(VOCAB[lang] + ["the", "of", "and", "to", "shall", "may"], k=300)
            if rng.random() < 0.01:
                body.append("rare-term-0042")
            versions.append(LanguageVersion(document=doc, language=lang, file=f"bench/{doc.pk}.docx",
                                            file_kind="docx", size=0, sha256="0" * 64, text=" ".join(body),
                                            search_config=SEARCH_CONFIG[lang],
                                            search_distribution=doc.distribution))
        LanguageVersion.objects.bulk_create(versions, batch_size=1000)
        with connection.cursor() as c:
            if connection.vendor == "sqlite":
                c.execute("INSERT INTO forum_search (rowid, title, body) SELECT v.id, d.title, v.text "
                          "FROM forum_languageversion v JOIN forum_document d ON d.id = v.document_id")
            else:
                c.execute("UPDATE forum_languageversion v SET search_vector = "
                          "setweight(to_tsvector(v.search_config::regconfig, d.title), 'A') || "
                          "setweight(to_tsvector(v.search_config::regconfig, v.text), 'B') "
                          "FROM forum_document d WHERE d.id = v.document_id")
    with connection.cursor() as c:
        if connection.vendor == "sqlite":
            c.execute("ANALYZE")
        else:  # the corpus was deleted and written twice (insert, then the vectors): drop the dead rows
            c.execute("VACUUM (FULL, ANALYZE) forum_languageversion, forum_document")


def timed(fn, repeat: int) -> list[float]:  # type: ignore[no-untyped-def]
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def run_engine(n: int, repeat: int) -> dict[str, object]:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "consensio.settings")
    django.setup()
    from django.contrib.auth.models import AnonymousUser
    from django.core.management import call_command
    from django.db import connection

    from consensio.forum.models import Document
    from consensio.forum.search import search

    call_command("migrate", verbosity=0)
    t0 = time.perf_counter()
    generate(n)
    build = time.perf_counter() - t0

    class Delegate:  # what role_of() reads: a delegate sees every distribution
        is_authenticated = True
        is_superuser = False

        class profile:  # noqa: N801
            role = "delegate"

    public, delegate = AnonymousUser(), Delegate()

    def select_one() -> None:
        with connection.cursor() as c:
            c.execute("SELECT 1")
            c.fetchone()

    symbols = [f"A/AC.999/{i}" for i in random.Random(1).sample(range(1, n + 1), 50)]
    lookups = iter(symbols * (repeat * len(QUERIES) // len(symbols) + 2))
    for q in QUERIES:  # warm caches
        search(public, q)
    baseline_select = timed(select_one, repeat * len(QUERIES))
    baseline_lookup = timed(lambda: Document.objects.filter(symbol=next(lookups)).first(), repeat * len(QUERIES))
    results: dict[str, object] = {"engine": connection.vendor, "documents": n, "build_seconds": round(build, 1)}
    for who, user in (("public", public), ("delegate", delegate)):
        samples: list[float] = []
        hits = 0
        for q in QUERIES:
            samples += timed(lambda q=q, user=user: search(user, q), repeat)
            hits += len(search(user, q))
        results[who] = {"p50_ms": round(statistics.median(samples), 3), "p95_ms": round(percentile(samples, 95), 3),
                        "mean_hits": round(hits / len(QUERIES), 1)}
    results["baseline_select1"] = {"p50_ms": round(statistics.median(baseline_select), 3),
                                   "p95_ms": round(percentile(baseline_select, 95), 3)}
    results["baseline_lookup"] = {"p50_ms": round(statistics.median(baseline_lookup), 3),
                                  "p95_ms": round(percentile(baseline_lookup, 95), 3)}
    for who in ("public", "delegate"):
        p95 = results[who]["p95_ms"]  # type: ignore[index]
        results[who]["p95_over_select1"] = round(p95 / results["baseline_select1"]["p95_ms"], 1)  # type: ignore[index]
        results[who]["p95_over_lookup"] = round(p95 / results["baseline_lookup"]["p95_ms"], 1)  # type: ignore[index]
    return results


def ensure_postgres_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if "bench" not in name:
        sys.exit(f"bench_search: refusing to replace the documents of database {name!r}; use one named *bench*")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=20, help="timed runs per query")
    parser.add_argument("--engine", choices=["sqlite", "postgres"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.engine:
        print(json.dumps(run_engine(args.documents, args.repeat)))
        return

    url = os.environ.get("DATABASE_URL", "")
    runs = [("sqlite", {k: v for k, v in os.environ.items() if k != "DATABASE_URL"})]
    if url.startswith(("postgres://", "postgresql://")):
        ensure_postgres_database(url)
        runs.append(("postgres", dict(os.environ)))
    for engine, env in runs:
        with tempfile.TemporaryDirectory() as home:
            env = {**env, "CONSENSIO_HOME": home}
            out = subprocess.run([sys.executable, __file__, "--engine", engine, "--documents", str(args.documents),
                                  "--repeat", str(args.repeat)], env=env, capture_output=True, text=True)
            if out.returncode != 0:
                sys.exit(f"bench_search: the {engine} run failed:\n{out.stderr}")
            r = json.loads(out.stdout.strip().splitlines()[-1])
            print(f"{r['engine']}: {r['documents']} documents (built in {r['build_seconds']} s)")
            for key in ("baseline_select1", "baseline_lookup"):
                print(f"  {key:18} p50 {r[key]['p50_ms']:8.3f} ms   p95 {r[key]['p95_ms']:8.3f} ms")
            for who in ("public", "delegate"):
                s = r[who]
                print(f"  search ({who:8}) p50 {s['p50_ms']:8.3f} ms   p95 {s['p95_ms']:8.3f} ms   "
                      f"p95 = {s['p95_over_select1']}× SELECT 1, {s['p95_over_lookup']}× indexed lookup   "
                      f"(mean {s['mean_hits']} hits, limit 20)")


if __name__ == "__main__":
    main()
