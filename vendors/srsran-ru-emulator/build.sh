#!/usr/bin/env bash
# Builds only srsRAN_Project's RU emulator (target ru_emulator, apps/examples/ofh) from a
# srsRAN_Project checkout into a build folder, and prints the binary's path on the last line.
#
#   vendors/srsran-ru-emulator/build.sh SRSRAN_SOURCE BUILD_DIR [-jN]
#
# Needs Debian's cmake, ninja-build, g++, libfftw3-dev, libmbedtls-dev, libsctp-dev and
# libgtest-dev (BUILD_TESTING must be on: srsRAN's CMake expects it). DPDK, UHD and ZeroMQ
# are off, so the emulator uses its raw-socket transceiver. The build runs at the lowest
# CPU priority (nice 19); pass -jN to choose the parallelism (default -j2).
set -euo pipefail

if [ $# -lt 2 ] || [ $# -gt 3 ]; then
  echo "usage: $0 SRSRAN_SOURCE BUILD_DIR [-jN]" >&2
  exit 2
fi
source_dir=$1
build_dir=$2
jobs=${3:--j2}

if [ ! -f "$source_dir/apps/examples/ofh/ru_emulator.cpp" ]; then
  echo "$0: $source_dir is no srsRAN_Project checkout (apps/examples/ofh/ru_emulator.cpp missing)" >&2
  exit 1
fi
for tool in cmake ninja; do
  command -v "$tool" >/dev/null || { echo "$0: $tool not found" >&2; exit 1; }
done
for pkg in libfftw3-dev libmbedtls-dev libsctp-dev libgtest-dev; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
    echo "$0: Debian package $pkg is missing (apt-get install $pkg)" >&2
    exit 1
  fi
done

mkdir -p "$build_dir"
nice -n 19 cmake -S "$source_dir" -B "$build_dir" -G Ninja \
  -DCMAKE_BUILD_TYPE=Release \
  -DENABLE_DPDK=OFF -DENABLE_UHD=OFF -DENABLE_ZEROMQ=OFF \
  -DBUILD_TESTING=ON \
  -DENABLE_WERROR=OFF -DENABLE_PLUGINS=OFF >&2
nice -n 19 cmake --build "$build_dir" --target ru_emulator -- "$jobs" >&2

binary=$(cd "$build_dir" && pwd)/apps/examples/ofh/ru_emulator
if [ ! -x "$binary" ]; then
  echo "$0: the build finished but $binary is missing" >&2
  exit 1
fi
echo "$binary"
