"""Reading the environment into settings, with one clear line per bad value.

Settings come from environment variables only (see README, "Configuration"). Every
value is checked here, before Django starts, so that a mistake stops start-up with
a message that names the variable and says what is wrong with it.
"""

from __future__ import annotations

import os
import secrets
import socket
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit


class ConfigError(Exception):
    """A variable of the environment that cannot be used; the message names it."""


@dataclass(frozen=True)
class Storage:
    home: Path
    database: dict[str, object]
    redis_url: str | None


def consensio_home(env: dict[str, str] | os._Environ[str] = os.environ) -> Path:
    raw = env.get("CONSENSIO_HOME", "").strip()
    home = Path(raw).expanduser() if raw else Path.home() / ".local" / "share" / "consensio"
    try:
        home.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(f"CONSENSIO_HOME={raw or home}: cannot create the data folder ({exc.strerror})") from exc
    if not os.access(home, os.W_OK):
        raise ConfigError(f"CONSENSIO_HOME={home}: the data folder is not writable")
    return home


def secret_key(home: Path, env: dict[str, str] | os._Environ[str] = os.environ) -> str:
    """SECRET_KEY from the environment, else one generated once and kept in the data folder."""
    given = env.get("SECRET_KEY", "").strip()
    if given:
        if len(given) < 32:
            raise ConfigError("SECRET_KEY: too short; use at least 32 random characters")
        return given
    path = home / "secret_key"
    if path.exists():
        return path.read_text().strip()
    key = secrets.token_urlsafe(50)
    # Written with owner-only rights: the key signs sessions and CSRF tokens.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(key)
    return key


def database(home: Path, env: dict[str, str] | os._Environ[str] = os.environ) -> dict[str, object]:
    url = env.get("DATABASE_URL", "").strip()
    if not url:
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(home / "consensio.sqlite3"),
            "OPTIONS": {
                # WAL lets readers go on while one writer commits; IMMEDIATE takes the write
                # lock at BEGIN so that concurrent writers queue instead of failing mid-way.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
            "CONN_MAX_AGE": 600,
        }
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme in ("sqlite", "sqlite3"):
        path = parts.path or ""
        if not path or path == "/":
            raise ConfigError("DATABASE_URL: a sqlite URL needs a file path, as sqlite:////path/to/file.sqlite3")
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": path,
            "OPTIONS": {"init_command": "PRAGMA journal_mode=WAL;", "transaction_mode": "IMMEDIATE", "timeout": 20},
            "CONN_MAX_AGE": 600,
        }
    if scheme not in ("postgres", "postgresql", "pgsql"):
        shown = scheme or "(none)"
        raise ConfigError(
            f"DATABASE_URL: unknown scheme {shown!r}; use postgres://user@host:port/name or sqlite:////path"
        )
    if not parts.hostname and not parts.path.strip("/"):
        raise ConfigError("DATABASE_URL: cannot read a host or database name from it")
    try:
        port = parts.port
    except ValueError as exc:
        raise ConfigError(f"DATABASE_URL: the port is not a number ({exc})") from exc
    import dj_database_url

    try:
        config = dict(dj_database_url.parse(url, conn_max_age=600, conn_health_checks=True))
    except Exception as exc:  # the library raises several kinds; the user needs one line
        raise ConfigError(f"DATABASE_URL: cannot be parsed ({exc})") from exc
    config["PORT"] = port or 5432
    return config


def check_database_reachable(config: dict[str, object]) -> None:
    """Fail early, with the variable's name, when the configured PostgreSQL does not answer."""
    if config["ENGINE"] != "django.db.backends.postgresql":
        return
    import psycopg

    try:
        conn = psycopg.connect(
            dbname=str(config.get("NAME") or "postgres"),
            user=str(config.get("USER") or "") or None,
            password=str(config.get("PASSWORD") or "") or None,
            host=str(config.get("HOST") or "") or None,
            port=int(str(config.get("PORT") or 5432)),
            connect_timeout=5,
        )
    except psycopg.OperationalError as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else "no answer"
        raise ConfigError(f"DATABASE_URL: cannot connect to the database ({reason})") from exc
    conn.close()


def redis_url(env: dict[str, str] | os._Environ[str] = os.environ) -> str | None:
    url = env.get("REDIS_URL", "").strip()
    if not url:
        return None
    parts = urlsplit(url)
    if parts.scheme not in ("redis", "rediss", "unix"):
        raise ConfigError(f"REDIS_URL: unknown scheme {parts.scheme or '(none)'!r}; use redis://host:port/db")
    if parts.scheme != "unix" and not parts.hostname:
        raise ConfigError("REDIS_URL: no host in it; use redis://host:port/db")
    try:
        _ = parts.port
    except ValueError as exc:
        raise ConfigError(f"REDIS_URL: the port is not a number ({exc})") from exc
    return url


def check_redis_reachable(url: str | None) -> None:
    if not url or url.startswith("unix"):
        return
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname or "localhost", parts.port or 6379), timeout=3):
            pass
    except OSError as exc:
        raise ConfigError(f"REDIS_URL: cannot connect to {parts.hostname}:{parts.port or 6379} ({exc.strerror or exc})") from exc


def env_bool(name: str, default: bool, env: dict[str, str] | os._Environ[str] = os.environ) -> bool:
    raw = env.get(name, "").strip().lower()
    if not raw:
        return default
    if raw in ("1", "true", "yes", "on"):
        return True
    if raw in ("0", "false", "no", "off"):
        return False
    raise ConfigError(f"{name}: {raw!r} is not a yes/no value; use 1 or 0")


def env_int(
    name: str, default: int, minimum: int = 0, env: dict[str, str] | os._Environ[str] = os.environ
) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name}: {raw!r} is not a whole number") from None
    if value < minimum:
        raise ConfigError(f"{name}: {value} is below the smallest allowed value, {minimum}")
    return value
