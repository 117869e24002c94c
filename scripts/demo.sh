#!/usr/bin/env bash
# The main job: installs and builds what it needs, then runs the seed examples of every package
# against servers and simulators it starts (and stops) itself.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$NIMBUS_ROOT"
ensure_pnpm
ensure_apt_packages
ensure_node_modules
pnpm turbo run build --output-logs=errors-only
ensure_server_packages
node demo/run.mjs "$@"
