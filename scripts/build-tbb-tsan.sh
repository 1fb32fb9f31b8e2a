#!/usr/bin/env bash
# Builds oneTBB from Debian's source package with ThreadSanitizer, for the TSan lane.
# Debian's libtbb is not instrumented, so TSan would report false races inside it.
# Usage: scripts/build-tbb-tsan.sh PREFIX   (idempotent: does nothing if PREFIX is built)
set -euo pipefail
prefix=${1:?usage: build-tbb-tsan.sh PREFIX}
if [ -f "$prefix/.built" ]; then exit 0; fi
src_list=/etc/apt/sources.list.d/tutti-deb-src.sources
if ! apt-get source --print-uris onetbb >/dev/null 2>&1; then
  cat >"$src_list" <<'SRC'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
  apt-get update -qq
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && apt-get source -qq onetbb >/dev/null)
srcdir=$(find "$work" -maxdepth 1 -type d -name 'onetbb-*' | head -n1)
cmake -S "$srcdir" -B "$work/build" -G Ninja \
  -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTBB_SANITIZE=thread -DTBB_TEST=OFF \
  -DTBB_EXAMPLES=OFF -DTBB_STRICT=OFF -DCMAKE_INSTALL_PREFIX="$prefix" >/dev/null
cmake --build "$work/build" >/dev/null
cmake --install "$work/build" >/dev/null
touch "$prefix/.built"
