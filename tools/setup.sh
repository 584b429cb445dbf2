#!/usr/bin/env bash
# Installs the Debian 12 packages chipdse builds and runs with. Idempotent and quick when
# everything is present: it asks dpkg first and calls apt-get only for what is missing.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config
  verilator libsystemc-dev yosys
  libboost-dev libboost-program-options-dev libboost-mpi-dev openmpi-bin libopenmpi-dev
  python3-dev pybind11-dev
  python3-numpy python3-matplotlib fonts-dejavu-core chromium   # chipdse py / report; the report's browser test
  catch2 libbenchmark-dev libsqlite3-dev nlohmann-json3-dev libyaml-cpp-dev libfmt-dev libcli11-dev
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "chipdse setup: installing ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "chipdse setup: need root or sudo to install: ${missing[*]}" >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
