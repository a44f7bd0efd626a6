#!/usr/bin/env bash
# Refresh the test-only vendored files (axe-core) from the npm registry. Not needed to run tests.
set -euo pipefail
cd "$(dirname "$0")/.."
version=${AXE_VERSION:-4.14.1}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack "axe-core@$version" --silent >/dev/null && tar xzf axe-core-*.tgz)
cp "$work/package/axe.min.js" tests/e2e/vendor/axe.min.js
cp "$work/package/LICENSE" tests/e2e/vendor/axe-core.LICENSE
echo "axe-core $version vendored into tests/e2e/vendor/"
