"""engine/ must not import Django: every engine module imports in a fresh interpreter with no settings."""

from __future__ import annotations

import os
import pkgutil
import subprocess
import sys

import consensio.engine


def engine_modules() -> list[str]:
    return sorted(
        m.name for m in pkgutil.walk_packages(consensio.engine.__path__, prefix="consensio.engine.")
    )


def test_there_are_engine_modules() -> None:
    names = engine_modules()
    assert "consensio.engine.roster" in names
    assert "consensio.engine.statements" in names


def test_every_engine_module_imports_without_django() -> None:
    code = (
        "import importlib, sys\n"
        f"for name in {engine_modules()!r}:\n"
        "    importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.'))\n"
        "print(','.join(bad))\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"engine modules pulled in Django: {out.stdout.strip()}"
