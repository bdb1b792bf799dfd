#!/usr/bin/env bash
# tests/bench/tsne_web_bench.sh — issue 11's browser t-SNE benchmark in one command: aelab's
# t-SNE compiled to WebAssembly against the npm packages tsne-js 1.0.3 and umap-js 1.4.0, side
# by side in one headless Chromium page (Debian's chromium driven by playwright-core), 1 thread
# each, on the same input (PCA-50 of the first 2,000 MNIST test images). A sibling of
# run_all.sh and embed_bench.sh (run_all.sh --tsne-web calls it); a benchmark, not a test.
#
# Builds the web target aelab_tsne_web (tests/bench/tsne_web.cpp, emcmake, build/bench-web as
# run_all.sh), installs tests/bench's npm packages when missing (package.json: tsne-js,
# umap-js, esbuild, playwright-core), then runs tsne_web_bench.mjs, which writes
# OUT/tsne_web.md (the table) and OUT/tsne_web.json (every figure, KL curves, load average).
# What is timed and what "settled" means: tests/bench/tsne_web_page.js.
#
# Usage: nice -n 10 tests/bench/tsne_web_bench.sh [--n 2000] [--iters 1000] [--cap 240]
#            [--rounds 1] [--only aelab,tsne-js,umap-js] [--out DIR] [--no-build]
#   --cap S: stop a library's run after S seconds (tsne-js's exact O(N^2) iterations take
#            seconds each at N = 2,000; its rate is measured on the iterations that ran).
#   OUT defaults to results/bench. AELAB_CHROMIUM overrides /usr/bin/chromium.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BENCH="$ROOT/tests/bench"
WEB_DIR="$ROOT/build/bench-web"
BUILD=1
ARGS=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --no-build) BUILD=0; shift ;;
    --web-build) WEB_DIR="$(realpath -m "$2")"; shift 2 ;;
    --out) mkdir -p "$2"; ARGS+=(--out "$(cd "$2" && pwd)"); shift 2 ;;
    --n|--iters|--cap|--rounds|--only) ARGS+=("$1" "$2"); shift 2 ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "tsne_web_bench.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
export NODE_PATH=/usr/share/nodejs
say() { printf '[tsne-web] %s\n' "$*"; }

if [[ $BUILD == 1 ]]; then
  command -v emcmake >/dev/null || { echo "tsne_web_bench.sh: emcmake missing (apt-get install emscripten)" >&2; exit 1; }
  say "building the WASM module aelab_tsne_web ($WEB_DIR)"
  emcmake cmake -S "$ROOT" -B "$WEB_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DAELAB_BUILD_APPS=OFF "-DCMAKE_CROSSCOMPILING_EMULATOR=node;--no-experimental-fetch" >/dev/null
  cmake --build "$WEB_DIR" --target aelab_tsne_web >/dev/null
fi
[[ -f $WEB_DIR/tests/bench/aelab_tsne_web.js ]] ||
  { echo "tsne_web_bench.sh: $WEB_DIR/tests/bench/aelab_tsne_web.js missing (run without --no-build)" >&2; exit 1; }
[[ -x ${AELAB_CHROMIUM:-/usr/bin/chromium} ]] ||
  { echo "tsne_web_bench.sh: no chromium (apt-get install chromium, or set AELAB_CHROMIUM)" >&2; exit 1; }
need=0
for p in tsne-js umap-js esbuild playwright-core; do [[ -d $BENCH/node_modules/$p ]] || need=1; done
if [[ $need == 1 ]]; then
  say "npm install (tests/bench: tsne-js, umap-js, esbuild, playwright-core, tfjs)"
  (cd "$BENCH" && { npm ci --no-audit --no-fund >/dev/null 2>&1 || npm install --no-audit --no-fund >/dev/null; })
fi
cd "$BENCH"
exec node tsne_web_bench.mjs --module "$WEB_DIR/tests/bench" "${ARGS[@]}"
