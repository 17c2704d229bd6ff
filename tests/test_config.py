"""Settings come from the environment; a bad value stops start-up with one line naming the variable."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from consensio import config


def test_defaults_to_sqlite_with_wal_in_the_data_folder(tmp_path: Path) -> None:
    db = config.database(tmp_path, {})
    assert db["ENGINE"] == "django.db.backends.sqlite3"
    assert db["NAME"] == str(tmp_path / "consensio.sqlite3")
    assert "journal_mode=WAL" in str(db["OPTIONS"])


def test_secret_key_is_generated_once_and_kept(tmp_path: Path) -> None:
    first = config.secret_key(tmp_path, {})
    assert len(first) >= 50
    assert config.secret_key(tmp_path, {}) == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_postgres_url_is_parsed(tmp_path: Path) -> None:
    db = config.database(tmp_path, {"DATABASE_URL": "postgres://me:pw@db.example:6543/treaty"})
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["NAME"], db["USER"], db["HOST"], db["PORT"]) == ("treaty", "me", "db.example", 6543)


@pytest.mark.parametrize(
    ("env", "needle"),
    [
        ({"DATABASE_URL": "mysql://x@y/z"}, "DATABASE_URL: unknown scheme 'mysql'"),
        ({"DATABASE_URL": "not a url"}, "DATABASE_URL: unknown scheme '(none)'"),
        ({"DATABASE_URL": "postgres://h:notaport/db"}, "DATABASE_URL: the port is not a number"),
        ({"DATABASE_URL": "sqlite://"}, "DATABASE_URL: a sqlite URL needs a file path"),
        ({"REDIS_URL": "http://localhost"}, "REDIS_URL: unknown scheme 'http'"),
        ({"REDIS_URL": "redis://:6379"}, "REDIS_URL: no host"),
        ({"CONSENSIO_DEBUG": "maybe"}, "CONSENSIO_DEBUG: 'maybe' is not a yes/no value"),
        ({"SECRET_KEY": "short"}, "SECRET_KEY: too short"),
        ({"CONSENSIO_PAGE_CACHE_SECONDS": "a minute"}, "CONSENSIO_PAGE_CACHE_SECONDS: 'a minute' is not a whole"),
        ({"CONSENSIO_PAGE_CACHE_SECONDS": "-5"}, "CONSENSIO_PAGE_CACHE_SECONDS: -5 is below the smallest"),
        ({"CONSENSIO_PAGE_CACHE_MB": "0"}, "CONSENSIO_PAGE_CACHE_MB: 0 is below the smallest allowed value, 1"),
    ],
)
def test_bad_environment_stops_start_up_with_one_line(tmp_path: Path, env: dict[str, str], needle: str) -> None:
    full = {**os.environ, "CONSENSIO_HOME": str(tmp_path), **env}
    full.pop("DJANGO_SETTINGS_MODULE", None)
    out = subprocess.run(
        [sys.executable, "-m", "consensio.cli", "serve", "--port", "1"],
        env=full, capture_output=True, text=True, timeout=60,
    )
    assert out.returncode == 2
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1, out.stderr
    assert needle in lines[0]
    assert "Traceback" not in out.stderr


def test_unreachable_database_is_named(tmp_path: Path) -> None:
    # Port 9 on loopback: nothing listens there, so the connection is refused at once.
    full = {**os.environ, "CONSENSIO_HOME": str(tmp_path), "DATABASE_URL": "postgres://nobody@127.0.0.1:9/none"}
    full.pop("DJANGO_SETTINGS_MODULE", None)
    out = subprocess.run([sys.executable, "-m", "consensio.cli", "serve"], env=full, capture_output=True,
                         text=True, timeout=60)
    assert out.returncode == 2
    assert out.stderr.startswith("consensio: configuration error: DATABASE_URL: cannot connect to the database")
    assert len(out.stderr.strip().splitlines()) == 1


def test_unwritable_home_is_named(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(config.ConfigError, match="CONSENSIO_HOME"):
        config.consensio_home({"CONSENSIO_HOME": str(blocker / "sub")})
