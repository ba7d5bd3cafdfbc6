#!/usr/bin/env bash
# Installs what tests/secrets.sh needs, when missing: QEMU user mode (qemu-x86_64), whose CPU
# models reach each AES backend (VAES-256, AES-NI, software). Idempotent.
set -euo pipefail
if ! command -v qemu-x86_64 >/dev/null 2>&1; then
  apt_install qemu-user
fi
qemu-x86_64 --version | head -n 1
