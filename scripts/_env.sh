# Shared by scripts/demo and scripts/test: find or make the virtual environment and install into it.
# Uses the active virtual environment if there is one, else ./.venv (made on first use).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
if [ -n "${VIRTUAL_ENV:-}" ]; then
  PY="$VIRTUAL_ENV/bin/python"
else
  VENV="${CONSENSIO_VENV:-$ROOT/.venv}"
  if [ ! -x "$VENV/bin/python" ]; then
    echo "scripts: creating the virtual environment $VENV" >&2
    python3 -m venv "$VENV"
  fi
  PY="$VENV/bin/python"
fi
BIN="$(dirname "$PY")"

install_project() {  # $1: extras, e.g. "[test]" or ""
  local log
  log="$(mktemp)"
  if ! "$PY" -m pip install --quiet --disable-pip-version-check -e ".$1" >"$log" 2>&1; then
    cat "$log" >&2
    echo "scripts: installing the project failed (see above)" >&2
    exit 2
  fi
  rm -f "$log"
}
