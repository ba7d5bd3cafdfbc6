#!/usr/bin/env bash
# Installs what the Python binding's tests and benchmark need (pytest, cryptography, venv) on a
# fresh Debian machine with Python 3. Idempotent: installs only what is missing.
set -euo pipefail

PYTHON=${PYTHON:-python3}

if ! "$PYTHON" -c 'import ensurepip, venv' >/dev/null 2>&1; then
  # Debian splits venv/ensurepip out of the interpreter package.
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  ver=$("$PYTHON" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
  apt-get install -y -qq "python${ver}-venv" || apt-get install -y -qq python3-venv
fi

if ! "$PYTHON" -c 'import pytest, cryptography' >/dev/null 2>&1; then
  "$PYTHON" -m pip install --quiet pytest cryptography \
    || "$PYTHON" -m pip install --quiet --break-system-packages pytest cryptography
fi

"$PYTHON" -c 'import pytest, cryptography, venv; print("python deps ok: pytest", pytest.__version__, "cryptography", cryptography.__version__)'
