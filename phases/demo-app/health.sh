#!/bin/sh
# The demo application's health check: every file is the one that was built (checksums),
# the page exists, and it names this release. Run from anywhere; exits non-zero when unhealthy.
set -eu
release=$(cd "$(dirname "$0")" && pwd)
cd "$release"
sha256sum --quiet -c MANIFEST.sha256
version=$(cat VERSION)
grep -qF "id=\"version\">$version<" index.html
echo "healthy: release $version"
