"""Benchmark: 193 delegates casting their ballots over HTTP within the same second (a script, not a test).

    .venv/bin/python bench/bench_ballots.py                  # SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/consensio .venv/bin/python bench/bench_ballots.py
                                                                  # SQLite, then PostgreSQL

For each database: a setup step (Django directly) creates 193 delegate accounts, one per UN
Member State, each already logged in (a session row and a CSRF cookie), and a question whose
recorded vote is open; then `consensio serve` runs in a subprocess and 193 client threads
(http.client, one keep-alive connection each) first load the decision page, then wait on a
barrier and post their ballots at once. Afterwards: every ballot recorded exactly once, none
lost, a second ballot refused with 409. The baseline, measured in the same run against the
same server, is 193 concurrent GETs of the log-in page.

PostgreSQL runs in a fresh database created next to the one DATABASE_URL names, dropped at
the end. Last, on SQLite, the tally of the 193-member vote plus its journal append through
the Django action (``do_close_voting``, rolled back each time; median) beside the pure
engine's ``count_ballots`` + ``decide`` on the same ballots.
"""

from __future__ import annotations

import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path
from typing import Any

MEMBERS = 193
PASSWORD = "bench-ballots-password-193"


# --- the setup step, run in a subprocess with the benchmark's environment -------------------------------


def setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "consensio.settings")
    import datetime as dt

    import django

    django.setup()
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.contrib.auth.hashers import make_password
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command
    from django.middleware.csrf import _get_new_csrf_string

    from consensio.accounts.models import Profile
    from consensio.actors.models import Actor
    from consensio.actors.reference import sync_reference
    from consensio.decisions import actions as a
    from consensio.forum import actions as f

    call_command("migrate", interactive=False, verbosity=0)
    sync_reference()
    venue = f.do_save_venue(
        None, key="vic", name="Vienna International Centre", city="Vienna", country="Austria"
    )
    body = f.do_create_body(
        None,
        key="ahc",
        name="Ad Hoc Committee",
        short_name="AHC",
        mandate="A/RES/74/247",
        rulebook="unga-committee",
    )
    session = f.do_create_session(
        None, body, label="Plenary", starts_on=dt.date(2024, 7, 29), ends_on=dt.date(2024, 8, 9), venue=venue
    )
    question = a.do_draft_question(
        None, body=body, session=session, kind="instrument", subject="Draft convention (benchmark)"
    )
    a.do_put_question(None, question)
    a.do_object(None, question, "USA")
    a.do_request_vote(None, question, "USA")
    a.do_open_voting(None, question, "recorded")
    members = sorted(a.load_question(question).electorate.members)
    assert len(members) == MEMBERS, len(members)
    # One password hash for every account: hashing 193 times would only slow the setup down.
    hashed = make_password(PASSWORD)
    User = get_user_model()
    User.objects.bulk_create([User(username=f"d-{k.lower()}", password=hashed) for k in members])
    users = {u.username: u for u in User.objects.filter(username__startswith="d-")}
    actors = {x.key: x for x in Actor.objects.filter(key__in=members)}
    Profile.objects.bulk_create(
        [Profile(user=users[f"d-{k.lower()}"], role="delegate", actor=actors[k]) for k in members]
    )
    clients = []
    for key in members:
        user = users[f"d-{key.lower()}"]
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        clients.append({"member": key, "session": store.session_key, "csrf": _get_new_csrf_string()})
    print(json.dumps({"question": question.pk, "clients": clients}))


def tally_timings(runs: int) -> None:
    """Median of do_close_voting (rolled back each run) and of the engine's count + decide."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "consensio.settings")
    import django

    django.setup()
    from django.db import transaction

    from consensio.decisions import actions as a
    from consensio.decisions.models import Question, State
    from consensio.engine.procedure import Ballot, count_ballots, decide

    question = Question.objects.get(state=State.VOTING)
    engine = a.load_question(question)

    class Rollback(Exception):
        pass

    action_times = []
    for _ in range(runs):
        start = time.perf_counter()
        try:
            with transaction.atomic():
                a.do_close_voting(None, question)
                action_times.append(time.perf_counter() - start)
                raise Rollback
        except Rollback:
            pass
    ballots = [Ballot(m, v) for m, v in engine.ballots.items()]
    engine_times = []
    for _ in range(runs * 20):
        start = time.perf_counter()
        decide(
            count_ballots(ballots, engine.electorate, engine.rulebook, engine.present),
            engine.rulebook,
            engine.question_type,
        )
        engine_times.append(time.perf_counter() - start)
    replay_times = []
    payloads = list(question.events.order_by("seq").values_list("payload", flat=True))
    for _ in range(runs):
        start = time.perf_counter()
        a.load_question(question, payloads)
        replay_times.append(time.perf_counter() - start)
    print(
        json.dumps(
            {
                "action": statistics.median(action_times),
                "engine": statistics.median(engine_times),
                "replay": statistics.median(replay_times),
                "events": len(payloads),
            }
        )
    )


# --- the driver -----------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(port: int, proc: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the server exited with status {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("the server did not start")


def p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.99 * (len(ordered) - 1))))]


def burst(port: int, clients: list[dict[str, str]], request: Any) -> tuple[float, list[float], list[int]]:
    """Each client connects and warms up, then all fire ``request`` at once behind a barrier."""
    barrier = threading.Barrier(len(clients) + 1)
    latencies: list[float] = [0.0] * len(clients)
    statuses: list[int] = [0] * len(clients)

    def run(i: int, client: dict[str, str]) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        cookie = f"sessionid={client['session']}; csrftoken={client['csrf']}"
        conn.request("GET", "/login/", headers={"Cookie": cookie})
        conn.getresponse().read()
        barrier.wait()
        start = time.perf_counter()
        statuses[i] = request(conn, cookie, client)
        latencies[i] = time.perf_counter() - start
        conn.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(clients)]
    for t in threads:
        t.start()
    barrier.wait()
    start = time.perf_counter()
    for t in threads:
        t.join()
    return time.perf_counter() - start, latencies, statuses


def get_login(conn: http.client.HTTPConnection, cookie: str, client: dict[str, str]) -> int:
    conn.request("GET", "/login/", headers={"Cookie": cookie})
    response = conn.getresponse()
    response.read()
    return response.status


def ballot_request(question: int) -> Any:
    def post(conn: http.client.HTTPConnection, cookie: str, client: dict[str, str]) -> int:
        body = urllib.parse.urlencode({"step": "cast", "vote": "yes", "csrfmiddlewaretoken": client["csrf"]})
        conn.request(
            "POST",
            f"/decisions/{question}/step/",
            body=body,
            headers={"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"},
        )
        response = conn.getresponse()
        response.read()
        return response.status

    return post


def run_database(label: str, env: dict[str, str]) -> dict[str, Any]:
    here = Path(__file__).resolve()
    out = subprocess.run([sys.executable, str(here), "--setup"], env=env, capture_output=True, check=False)
    if out.returncode != 0:
        raise SystemExit(f"setup failed on {label}:\n{out.stderr.decode()[-3000:]}")
    setup_data = json.loads(out.stdout.decode().strip().splitlines()[-1])
    question, clients = setup_data["question"], setup_data["clients"]
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "consensio",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--no-migrate",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        wait_for(port, server)
        base_wall, base_lat, base_status = burst(port, clients, get_login)
        wall, lat, status = burst(port, clients, ballot_request(question))
        again = burst(port, clients[:1], ballot_request(question))[2][0]
    finally:
        server.terminate()
        server.wait(timeout=30)
    check = subprocess.run(
        [sys.executable, "-c", CHECK.format(question=question)], env=env, capture_output=True, check=False
    )
    if check.returncode != 0:
        raise SystemExit(f"check failed on {label}:\n{check.stderr.decode()[-3000:]}")
    counts = json.loads(check.stdout.decode().strip().splitlines()[-1])
    tally = None
    if label == "SQLite":
        got = subprocess.run(
            [sys.executable, str(here), "--tally"], env=env, capture_output=True, check=False
        )
        if got.returncode != 0:
            raise SystemExit(f"tally failed:\n{got.stderr.decode()[-3000:]}")
        tally = json.loads(got.stdout.decode().strip().splitlines()[-1])
    return {
        "label": label,
        "wall": wall,
        "p99": p99(lat),
        "statuses": sorted(set(status)),
        "base_wall": base_wall,
        "base_p99": p99(base_lat),
        "base_statuses": sorted(set(base_status)),
        "duplicate": again,
        "counts": counts,
        "tally": tally,
    }


CHECK = """
import json, os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "consensio.settings")
import django
django.setup()
from consensio.decisions.actions import load_question
from consensio.decisions.models import Ballot, Question, QuestionEvent
q = Question.objects.get(pk={question})
print(json.dumps({{"ballots": Ballot.objects.filter(question=q).count(),
    "members": Ballot.objects.filter(question=q).values("actor").distinct().count(),
    "cast_events": QuestionEvent.objects.filter(question=q, trigger="cast").count(),
    "engine_ballots": len(load_question(q).ballots)}}))
"""


def create_pg_database(url: str) -> tuple[str, str]:
    import psycopg

    parts = urllib.parse.urlsplit(url)
    name = f"consensio_bench_{os.getpid()}"
    admin = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return urllib.parse.urlunsplit(parts._replace(path=f"/{name}")), name


def drop_pg_database(url: str, name: str) -> None:
    import psycopg

    parts = urllib.parse.urlsplit(url)
    with psycopg.connect(urllib.parse.urlunsplit(parts._replace(path="/postgres")), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main() -> None:
    if "--setup" in sys.argv:
        setup()
        return
    if "--tally" in sys.argv:
        tally_timings(runs=15)
        return
    results = []
    database_url = os.environ.get("DATABASE_URL", "")
    with tempfile.TemporaryDirectory() as home:
        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        env.update(CONSENSIO_HOME=home, LOG_LEVEL="ERROR")
        results.append(run_database("SQLite", env))
    if database_url.startswith("postgres"):
        url, name = create_pg_database(database_url)
        try:
            with tempfile.TemporaryDirectory() as home:
                env = {**os.environ, "CONSENSIO_HOME": home, "DATABASE_URL": url, "LOG_LEVEL": "ERROR"}
                results.append(run_database("PostgreSQL", env))
        finally:
            drop_pg_database(database_url, name)

    print(f"\n{MEMBERS} delegates cast their ballots at once over HTTP (one `consensio serve` process)\n")
    print(f"{'database':<11} {'what':<30} {'wall s':>8} {'p99 ms':>8} {'statuses':>10}")
    for r in results:
        print(
            f"{r['label']:<11} {'193 ballots (POST)':<30} {r['wall']:>8.2f} {r['p99'] * 1000:>8.0f} "
            f"{','.join(map(str, r['statuses'])):>10}"
        )
        print(
            f"{'':<11} {'baseline: 193 GET /login/':<30} {r['base_wall']:>8.2f} {r['base_p99'] * 1000:>8.0f} "
            f"{','.join(map(str, r['base_statuses'])):>10}"
        )
        print(
            f"{'':<11} {'ratio ballots / baseline':<30} {r['wall'] / r['base_wall']:>8.1f} "
            f"{r['p99'] / r['base_p99']:>8.1f}"
        )
        c = r["counts"]
        ok = (
            c["ballots"] == c["members"] == c["cast_events"] == c["engine_ballots"] == MEMBERS
            and r["statuses"] == [302]
            and r["duplicate"] == 409
        )
        print(
            f"{'':<11} recorded {c['ballots']} ballots of {c['members']} members, {c['cast_events']} cast events, "
            f"engine counts {c['engine_ballots']}; a second ballot -> {r['duplicate']}  "
            f"[{'OK' if ok else 'WRONG'}]"
        )
    tally = results[0]["tally"]
    if tally:
        print(f"\nTally of the {MEMBERS}-member recorded vote (median; SQLite)")
        print(
            f"  do_close_voting (lock, replay {tally['events']} events, count, store, journal): "
            f"{tally['action'] * 1000:.1f} ms"
        )
        print(
            f"  of which the replay of {tally['events']} events:                          "
            f"{tally['replay'] * 1000:.1f} ms"
        )
        print(
            f"  pure engine count_ballots + decide:                         "
            f"{tally['engine'] * 1000:.3f} ms  (action / engine = {tally['action'] / tally['engine']:.0f}x)"
        )


if __name__ == "__main__":
    main()
