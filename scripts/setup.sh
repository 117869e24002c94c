#!/usr/bin/env bash
# Installs everything the demo and the tests need: pnpm, the workspace's packages, Debian packages
# (as root) and a build of every package. Safe to run again: each step checks before it acts.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
ensure_pnpm
ensure_apt_packages
ensure_node_modules
echo "==> build"
pnpm turbo run build --output-logs=errors-only
ensure_server_packages
