#!/usr/bin/env bash
# Compares this checkout's generator with an earlier one, side by side on this machine in
# one run, on the whole 2023-01-01 spec: the generated crate's lines and bytes, codegen CPU,
# a clean build of the crate alone (its dependencies built) and a rebuild after a touch.
# Each row gives both figures and their ratio (this checkout / the base), since absolute
# times differ from one machine to another. See BENCHMARKS.md, "Against the previous
# generator".
#
# Usage: xtask/compare-generators.sh [BASE_REVISION] [CODEGEN_RUNS] [BUILD_RUNS]
#   BASE_REVISION  a git revision of this repository (default 9be730e, before the shared
#                  runtime machinery)
#   CODEGEN_RUNS   codegen runs per side, after a warm-up run (default 5; the median is kept)
#   BUILD_RUNS     clean and touch builds per side (default 1; the median is kept)
# Environment:
#   COMPARE_DIR    where to work (default: a new temporary directory); kept afterwards, with
#                  the two crates, their target directories and report.md
#   BUILDS=0       skip the crate builds (only lines, bytes and codegen)
#   INSTRUCTIONS=1 also count codegen's instructions once per side with valgrind's
#                  callgrind (stable on a loaded machine; slow)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
base=${1:-9be730e}
codegen_runs=${2:-5}
build_runs=${3:-1}
work=${COMPARE_DIR:-$(mktemp -d)}
mkdir -p "$work"
spec=$root/specs/atlas/openapi-2023-01-01.json
package=openapi-2023-01-01

median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", (b == 0) ? 0 : a/b}'; }

echo "==> building the generators (base: $base)" >&2
rm -rf "$work/base-src"
mkdir -p "$work/base-src"
git -C "$root" archive "$base" | tar -x -C "$work/base-src"
(cd "$root" && cargo build --release --quiet -p xtask)
(cd "$work/base-src" && CARGO_TARGET_DIR="$work/base-xtask-target" cargo build --release --quiet -p xtask)
declare -A xtask=([base]="$work/base-xtask-target/release/xtask" [new]="$root/target/release/xtask")
# Each generator with the configuration of its own revision: a newer configuration may have
# keys an older generator refuses.
declare -A configs=([base]="$work/base-src/specs/codegen.yaml" [new]="$root/specs/codegen.yaml")

declare -A lines bytes library cpu wall instructions clean clean_cpu touch
for side in base new; do
  out="$work/crate-$side"
  echo "==> $side: codegen, $codegen_runs runs" >&2
  rm -rf "$out"
  "${xtask[$side]}" codegen --spec "$spec" --config "${configs[$side]}" --out "$out" 2>/dev/null >&2
  : >"$work/codegen-$side.txt"
  for _ in $(seq "$codegen_runs"); do
    rm -rf "$work/scratch"
    /usr/bin/time -f "%U %S %e" -a -o "$work/codegen-$side.txt" \
      "${xtask[$side]}" codegen --spec "$spec" --config "${configs[$side]}" --out "$work/scratch" >/dev/null 2>&1
  done
  cpu[$side]=$(awk '{print $1 + $2}' "$work/codegen-$side.txt" | median)
  wall[$side]=$(awk '{print $3}' "$work/codegen-$side.txt" | median)
  if [ "${INSTRUCTIONS:-0}" = 1 ]; then
    rm -rf "$work/scratch"
    instructions[$side]=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null \
      "${xtask[$side]}" codegen --spec "$spec" --config "${configs[$side]}" --out "$work/scratch" 2>&1 |
      sed -n 's/.*Collected : \([0-9]*\).*/\1/p')
  fi
  # Every source file, the tags' modules under src/models/ and src/operations/ too; and
  # the library alone: without the command line (cli.rs, cli_support.rs, main.rs).
  lines[$side]=$(find "$out/src" -name '*.rs' -exec cat {} + | wc -l)
  bytes[$side]=$(find "$out/src" -name '*.rs' -exec cat {} + | wc -c)
  library[$side]=$(find "$out/src" -name '*.rs' ! -path "$out/src/cli.rs" ! -path "$out/src/cli_support.rs" \
    ! -path "$out/src/main.rs" -exec cat {} + | wc -l)

  [ "${BUILDS:-1}" = 0 ] && continue
  echo "==> $side: building the crate" >&2
  cp "$root/Cargo.lock" "$out/Cargo.lock"
  target="$work/target-$side"
  # Dependencies first, not measured.
  CARGO_TARGET_DIR="$target" cargo build --lib --quiet --manifest-path "$out/Cargo.toml"
  : >"$work/clean-$side.txt"
  : >"$work/touch-$side.txt"
  for _ in $(seq "$build_runs"); do
    # The crate alone from scratch: its incremental cache gone and a source touched.
    rm -rf "$target/debug/incremental/${package//-/_}"-*
    touch "$out/src/lib.rs"
    CARGO_TARGET_DIR="$target" /usr/bin/time -f "%e %U %S" -a -o "$work/clean-$side.txt" \
      cargo build --lib --quiet --manifest-path "$out/Cargo.toml"
    touch "$out/src/lib.rs"
    CARGO_TARGET_DIR="$target" /usr/bin/time -f "%e %U %S" -a -o "$work/touch-$side.txt" \
      cargo build --lib --quiet --manifest-path "$out/Cargo.toml"
  done
  clean[$side]=$(awk '{print $1}' "$work/clean-$side.txt" | median)
  clean_cpu[$side]=$(awk '{print $2 + $3}' "$work/clean-$side.txt" | median)
  touch[$side]=$(awk '{print $1}' "$work/touch-$side.txt" | median)
done

row() { printf '| %s | %s | %s | %s× |\n' "$1" "$2" "$3" "$(ratio "$3" "$2")"; }
{
  echo "Base: $base; this checkout: $(git -C "$root" rev-parse --short HEAD)$(git -C "$root" diff --quiet || echo ' (modified)'); load average: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
  echo "| whole 2023-01-01 crate | previous generator | this generator | ratio |"
  echo "| --- | --- | --- | --- |"
  row "lines (src/**/*.rs)" "${lines[base]}" "${lines[new]}"
  row "library lines (src/**/*.rs but cli.rs, cli_support.rs, main.rs)" "${library[base]}" "${library[new]}"
  row "bytes (src/**/*.rs)" "${bytes[base]}" "${bytes[new]}"
  row "codegen CPU, user + sys (s)" "${cpu[base]}" "${cpu[new]}"
  row "codegen wall (s)" "${wall[base]}" "${wall[new]}"
  if [ "${INSTRUCTIONS:-0}" = 1 ]; then
    row "codegen instructions (callgrind)" "${instructions[base]}" "${instructions[new]}"
  fi
  if [ "${BUILDS:-1}" != 0 ]; then
    row "clean crate build, wall (s)" "${clean[base]}" "${clean[new]}"
    row "clean crate build, CPU (s)" "${clean_cpu[base]}" "${clean_cpu[new]}"
    row "touch rebuild, wall (s)" "${touch[base]}" "${touch[new]}"
  fi
} | tee "$work/report.md"
echo "(kept in $work)" >&2
