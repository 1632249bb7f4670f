#!/usr/bin/env bash
# The demo from a fresh Debian 12: install dependencies, build gloss, write a small demo
# catalog, analyse it (on the GPU when one is usable, else on the CPU) and master it to the
# streaming preset (-14 LUFS, -1 dBTP, album levels kept).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
BUILD_DIR=${BUILD_DIR:-build-demo} bash scripts/build.sh -DGLOSS_BUILD_TESTS=OFF -DGLOSS_BUILD_BENCHMARKS=OFF
gloss="${BUILD_DIR:-build-demo}/gloss"
"$gloss" demo demo-catalog --force

# Exit status 1 means some files failed: the demo catalog contains a broken file on purpose.
expect_broken_file() {
  local status=$1 what=$2
  if [ "$status" -eq 1 ]; then
    echo "demo: $what: exit status 1 is expected (the demo catalog has a broken file on purpose)"
    return 0
  fi
  return "$status"
}

set +e
"$gloss" analyze demo-catalog --device auto --json demo-catalog/report.json --csv demo-catalog/report.csv \
  --html demo-catalog/report.html
expect_broken_file $? "analyze" || exit $?
rm -rf demo-masters
"$gloss" master demo-catalog -o demo-masters --preset streaming --device auto --json demo-masters.json \
  --html demo-masters.html
expect_broken_file $? "master" || exit $?
set -e
echo "demo: reports written to demo-catalog/report.json, report.csv and report.html (open it in a browser)"
echo "demo: masters written to demo-masters/ (reports: demo-masters.json, demo-masters.html)"
