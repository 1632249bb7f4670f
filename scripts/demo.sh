#!/usr/bin/env bash
# The demo from a fresh Debian 12: install dependencies, build gloss, write a small demo
# catalog and analyse it (on the GPU when one is usable, else on the CPU).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
BUILD_DIR=${BUILD_DIR:-build-demo} bash scripts/build.sh -DGLOSS_BUILD_TESTS=OFF -DGLOSS_BUILD_BENCHMARKS=OFF
gloss="${BUILD_DIR:-build-demo}/gloss"
"$gloss" demo demo-catalog --force
set +e
"$gloss" analyze demo-catalog --device auto --json demo-catalog/report.json --csv demo-catalog/report.csv
status=$?
set -e
if [ "$status" -eq 1 ]; then
  echo "demo: exit status 1 means some files failed; the demo catalog contains a broken file on purpose."
  status=0
fi
echo "demo: reports written to demo-catalog/report.json and demo-catalog/report.csv"
exit "$status"
