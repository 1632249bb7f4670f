#!/usr/bin/env bash
# Installs what gloss needs to build and test on Debian 12 (run as root, or with sudo).
# Everything comes from Debian's own packages. The CUDA Toolkit is not installed here:
# when nvcc is present (e.g. /usr/local/cuda), the build adds the CUDA backend by itself.
set -euo pipefail
packages=(
  build-essential cmake ninja-build pkg-config git ca-certificates
  libsndfile1-dev libssl-dev libtag1-dev libebur128-dev libfftw3-dev libtbb-dev
  libcli11-dev nlohmann-json3-dev libfmt-dev libtomlplusplus-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  ffmpeg  # the second true-peak oracle (tests) and the loudnorm side-by-side script
  loudgain  # the ReplayGain oracle of the gloss tag tests (skipped when absent)
  clang libclang-rt-14-dev  # libFuzzer for the fuzz stage of scripts/test.sh (fuzz/README.md)
  chromium  # opens the HTML report headless in the browser test (skipped when absent)
  slurm-wlm munge  # the cluster tests start a private single-node Slurm (tests/cluster)
  python3-jsonschema  # validates the JSON reports against cli/schema/ (tests/schema; skipped when absent)
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages already installed"
  exit 0
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install-deps: run as root (missing: ${missing[*]})" >&2; exit 2; }
  sudo=sudo
fi
echo "install-deps: installing ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
