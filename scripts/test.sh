#!/usr/bin/env bash
# The whole test suite: installs what it needs (pnpm, packages, and as root the Debian packages),
# builds, then runs type checks, lint, formatting, the unit and integration tests of every package,
# and the packaging test. Set-up, build, type checks and lint stop at the first failure; the test,
# packaging and versioning stages all run, and the script exits non-zero if any of them failed.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$NIMBUS_ROOT"
ensure_pnpm
ensure_apt_packages
ensure_node_modules
rm -f packages/*/.test-results.json

echo "==> versions, build, generated code, type checks, lint"
node scripts/sync-versions.mjs --check
pnpm turbo run build --output-logs=errors-only
# After the build: a generator may read its schemas with common's own XML scanner.
for generator in packages/*/scripts/generate.mjs; do
  [ -e "$generator" ] || continue
  (cd "${generator%/scripts/generate.mjs}" && node scripts/generate.mjs --check)
done
pnpm turbo run typecheck lint --output-logs=errors-only
ensure_server_packages
pnpm exec eslint scripts bench demo
pnpm exec prettier --check . --log-level warn

echo "==> tests"
status=0
# --continue: one package's failure does not keep the others' tests from running and being counted.
pnpm turbo run test --concurrency=1 --continue --output-logs=full || status=$?

echo "==> packaging and versioning"
node scripts/packaging-test.mjs || status=$?
node scripts/changesets-test.mjs || status=$?

node scripts/test-summary.mjs
exit $status
