#!/usr/bin/env bash
# The whole test suite: installs what it needs (pnpm, packages, and as root the Debian packages),
# builds, then runs type checks, lint, formatting, the unit and integration tests of every package,
# the packaging test, the API reference (scripts/docs.mjs), and the unit and packaging tests on the
# other supported Node versions (scripts/test-node-versions.sh). Set-up, build, type checks and lint
# stop at the first failure; the later stages all run, and the script exits non-zero if any failed.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$NIMBUS_ROOT"
ensure_pnpm
ensure_apt_packages
ensure_node_modules
rm -f packages/*/.test-results*.json

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

echo "==> API reference (TypeDoc, warnings as errors, every export documented) into docs/api/"
node scripts/docs.mjs || status=$?
node scripts/docs-test.mjs || status=$?
node scripts/examples-test.mjs || status=$?

echo "==> the other supported Node versions"
bash scripts/test-node-versions.sh || status=$?

node scripts/test-summary.mjs
exit $status
