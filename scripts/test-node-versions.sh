#!/usr/bin/env bash
# The unit tests (every test file that starts no OpenStack service) and the packaging test on each of
# TESTED_NODE_VERSIONS (scripts/lib.sh), the Node majors beside the machine's Node 20 that `engines`
# allows. Expects built packages (scripts/test.sh builds first). Each version's jest results go to
# packages/<p>/.test-results-node<major>.json, which scripts/test-summary.mjs adds up.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$NIMBUS_ROOT"
ensure_pnpm
status=0
for version in "${TESTED_NODE_VERSIONS[@]}"; do
  bin="$(ensure_node "$version")"
  echo "==> Node $version: unit tests"
  PATH="$bin:$PATH" node scripts/unit-tests.mjs "node${version%%.*}" || status=$?
  echo "==> Node $version: packaging test"
  PATH="$bin:$PATH" node scripts/packaging-test.mjs || status=$?
done
exit $status
