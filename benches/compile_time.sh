#!/usr/bin/env bash
# The crate's own build time and rustc's peak memory, dependencies already built.
#
#   benches/compile_time.sh [dev|release] [cargo feature flags...]
#       build the dependencies, `cargo clean -p pinterest-v5`, then time `cargo build --lib`
#   benches/compile_time.sh --pair REV [dev|release]
#       the same for this tree and for git revision REV (checked out beside it), both builds
#       run at the same time, each in its own target dir: the ratio of the two is steadier than
#       either figure on a machine whose speed drifts from run to run
#
# Figures in benches/README.md come from this script. It uses its own target
# dirs under target/compile-time (or $COMPILE_TIME_DIR), with incremental compilation off.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${COMPILE_TIME_DIR:-$root/target/compile-time}
export CARGO_INCREMENTAL=0
# The description both trees generate from (a revision checked out elsewhere finds no
# ../shared beside it): the one this tree would use.
if [ -z "${PINTEREST_V5_OPENAPI:-}" ]; then
  version=$(sed -n 's/.*"version": *"\([^"]*\)".*/\1/p' "$root/openapi/pin.json")
  for f in "$root/openapi/pinterest-v5.json" "$root/../shared/openapi/pinterest-v5.$version.json"; do
    [ -f "$f" ] && export PINTEREST_V5_OPENAPI="$f" && break
  done
fi

build() { # tree target profile [features...]
  local tree=$1 target=$2 profile=$3; shift 3
  local flag=(); [ "$profile" = release ] && flag=(--release)
  (cd "$tree" && CARGO_TARGET_DIR="$target" cargo build -q --lib "${flag[@]}" "$@" \
    && CARGO_TARGET_DIR="$target" cargo clean -q -p pinterest-v5 "${flag[@]}")
}

timed() { # label tree target profile [features...]
  local label=$1 tree=$2 target=$3 profile=$4; shift 4
  local flag=(); [ "$profile" = release ] && flag=(--release)
  (cd "$tree" && CARGO_TARGET_DIR="$target" /usr/bin/time \
    -f "$label $profile: wall %e s, user %U s, rustc peak %M KB" \
    cargo build -q --lib "${flag[@]}" "$@" 2>&1 | tail -1)
}

if [ "${1:-}" = --pair ]; then
  rev=${2:?--pair needs a git revision}; profile=${3:-dev}
  base="$out/base-tree"
  rm -rf "$base" && mkdir -p "$base"
  git -C "$root" archive "$rev" | tar -xf - -C "$base"
  build "$base" "$out/base" "$profile"
  build "$root" "$out/tree" "$profile"
  timed "base $rev" "$base" "$out/base" "$profile" > "$out/base.txt" &
  timed "this tree" "$root" "$out/tree" "$profile" > "$out/tree.txt"
  wait
  cat "$out/base.txt" "$out/tree.txt"
else
  profile=${1:-dev}; shift || true
  build "$root" "$out/tree" "$profile" "$@"
  timed "this tree" "$root" "$out/tree" "$profile" "$@"
fi
