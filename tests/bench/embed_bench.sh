#!/usr/bin/env bash
# tests/bench/embed_bench.sh — issue 11's embedding benchmark in one command (t-SNE of
# 10,000 MNIST test images: aelab vs scikit-learn 1.2 vs Rtsne; rbf kernel PCA N = 5,000:
# aelab vs scikit-learn arpack / dense), every side at 1 thread, interleaved. Separate from
# run_all.sh because scikit-learn's t-SNE alone takes minutes. See embed_bench.py.
#
# Usage: tests/bench/embed_bench.sh [--rounds N] [--skip-rtsne] [--out DIR] [--no-build]
#   writes DIR/embed_bench.md (tables) and DIR/embed_bench.json (every run, with the load
#   average before and after it); DIR defaults to results/bench.
# Needs: the native build preset, python3-sklearn, and for Rtsne Debian's r-cran-rtsne.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="$ROOT/results/bench"
BUILD=1
ARGS=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --out) OUT="$2"; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    --rounds) ARGS+=(--rounds "$2"); shift 2 ;;
    --skip-rtsne) ARGS+=(--skip-rtsne); shift ;;
    *) echo "embed_bench.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
cd "$ROOT"
if [[ $BUILD -eq 1 ]]; then
  [[ -f build/native/CMakeCache.txt ]] || cmake --preset native-release >/dev/null
  cmake --build --preset native-release --target aelab_embed_bench -j2 >/dev/null
fi
exec /usr/bin/python3 "$ROOT/tests/bench/embed_bench.py" "$ROOT/build/native/tests/bench/aelab_embed_bench" \
  "${AELAB_DATA_DIR:-$ROOT/data}" "$OUT" "${ARGS[@]}"
