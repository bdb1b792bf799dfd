#!/usr/bin/env bash
# tests/bench/run_all.sh — README's benchmark table in one command.
#
# Builds aelab_bench natively (OpenBLAS products, build/bench-native) and to WebAssembly
# (build/bench-web, when emcc is installed), then runs, side by side on this machine:
#   aelab native   training nets 1 and 4 at 1 and 2 threads, GEMM bound, PCA, peak memory
#   aelab wasm     training nets 4 and 1 under node --no-experimental-fetch (1 thread)
#   PyTorch 1.13   nets 1 and 4 at 1 and 2 threads (OMP_WAIT_POLICY=PASSIVE,
#                  OPENBLAS_NUM_THREADS = threads), OPENBLAS_CORETYPE unset and Haswell
#   scikit-learn   PCA full / randomized k=5 / arpack k=5 / IncrementalPCA k=30, 1 thread,
#                  OPENBLAS_CORETYPE unset and Haswell
#   TensorFlow.js  4.22 wasm backend (SIMD), net 4, under node
# and issue 10's conv/VAE rows (aelab_conv_bench, torch_conv_bench.py, tfjs_conv_bench.mjs):
#   aelab native   course conv AE (batch 32, SGD) and seed-003 VAE k=2 (batch 100, Adam)
#                  at 1 and 2 threads; aelab wasm: the conv AE (1 thread)
#   PyTorch 1.13   the same two models at 1 and 2 threads, OPENBLAS_CORETYPE unset and Haswell
#   TensorFlow.js  the conv AE on the wasm backend (it lacks Conv2DBackpropFilter: training
#                  throws, its forward pass is timed) and on the cpu backend (the fallback),
#                  once (a cpu training step takes tens of seconds)
# and writes results/bench/bench.md (markdown table with ratios against issue 4's targets)
# and results/bench/bench.json (every figure, with threads and OPENBLAS_CORETYPE), plus the
# raw per-run JSON in results/bench/raw/.
# With --tsne-web it then runs the browser t-SNE benchmark (tests/bench/tsne_web_bench.sh: aelab's
# WASM t-SNE against tsne-js and umap-js in headless Chromium), which writes tsne_web.md/.json
# beside bench.md. The native t-SNE / kernel PCA benchmark is tests/bench/embed_bench.sh.
#
# The training runs are interleaved over --rounds rounds (aelab, PyTorch, aelab, ...) and
# the report takes the median over rounds of each run's median-of-repeats, so that a burst
# of load from another process does not favour one side. The machine has 2 cores: run it
# on an otherwise idle machine (the load average at start and end is recorded).
#
# OPENBLAS_CORETYPE: this machine kind exports OPENBLAS_CORETYPE=Haswell. This script sets
# it explicitly for every run (`env -u OPENBLAS_CORETYPE` for "unset"); aelab_bench itself
# does not re-exec. aelab's own figures use "unset" (AVX-512 kernels), and the 1-thread
# training is also shown under Haswell.
#
# Usage: tests/bench/run_all.sh [--rounds N] [--quick] [--out DIR] [--no-wasm] [--no-build]
#                               [--wait-idle MINUTES] [--conv-only | --no-conv]
#                               [--native-build DIR] [--web-build DIR] [--tsne-web]
#   --quick: 1 round, short repeats (a few minutes less; noisier). Default: 3 rounds.
#   --conv-only / --no-conv: only issue 10's conv/VAE rows / everything but them.
#   --native-build / --web-build: build directories (default build/bench-native, build/bench-web;
#   e.g. build/native and build/web of the presets, with --no-build).
#   --wait-idle M: before measuring, wait up to M minutes for the 1-minute load average
#   to fall below 0.3 (other builds finished), and again before each round.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BENCH="$ROOT/tests/bench"
OUT="$ROOT/results/bench"
ROUNDS=3
SECONDS_PER=1.0
REPEATS=3
WASM=1
BUILD=1
WAIT_IDLE=0
PY=/usr/bin/python3   # Debian's interpreter: python3-torch / python3-sklearn live there
CONV=1
DENSE=1
NATIVE_DIR="$ROOT/build/bench-native"
TSNE_WEB=0
WEB_DIR="$ROOT/build/bench-web"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --rounds) ROUNDS="$2"; shift 2 ;;
    --quick) ROUNDS=1; SECONDS_PER=0.7; shift ;;
    --out) mkdir -p "$2"; OUT="$(cd "$2" && pwd)"; shift 2 ;;  # absolute: tfjs runs from tests/bench
    --no-wasm) WASM=0; shift ;;
    --no-build) BUILD=0; shift ;;
    --wait-idle) WAIT_IDLE="$2"; shift 2 ;;
    --conv-only) DENSE=0; CONV=1; shift ;;
    --no-conv) CONV=0; DENSE=1; shift ;;
    --native-build) NATIVE_DIR="$(cd "$2" && pwd)"; shift 2 ;;
    --web-build) WEB_DIR="$(cd "$2" && pwd)"; shift 2 ;;
    --tsne-web) TSNE_WEB=1; shift ;;
    -h|--help) sed -n '2,46p' "$0"; exit 0 ;;
    *) echo "run_all.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
RAW="$OUT/raw"
rm -rf "$RAW"
mkdir -p "$RAW"
say() { printf '[bench] %s\n' "$*"; }
NATIVE_BIN="$NATIVE_DIR/tests/bench/aelab_bench"
WASM_JS="$WEB_DIR/tests/bench/aelab_bench.js"
CONV_BIN="$NATIVE_DIR/tests/bench/aelab_conv_bench"
CONV_JS="$WEB_DIR/tests/bench/aelab_conv_bench.js"
export NODE_PATH=/usr/share/nodejs
# --tsne-web: the browser t-SNE benchmark after the report (same web build directory, same OUT).
tsne_web_tail() {
  [[ $TSNE_WEB == 1 ]] || return 0
  say "browser t-SNE: aelab WASM vs tsne-js vs umap-js (tsne_web_bench.sh)"
  local b=(); [[ $BUILD == 1 ]] || b=(--no-build)
  "$BENCH/tsne_web_bench.sh" --web-build "$WEB_DIR" --out "$OUT" "${b[@]}" | sed 's/^/  /'
}

# ---- build -------------------------------------------------------------------------------
if [[ $BUILD == 1 ]]; then
  say "building native aelab_bench, aelab_conv_bench ($NATIVE_DIR, AELAB_BLAS=openblas)"
  cmake -S "$ROOT" -B "$NATIVE_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DAELAB_BUILD_APPS=OFF -DAELAB_BLAS=openblas >/dev/null
  cmake --build "$NATIVE_DIR" --target aelab_bench aelab_conv_bench >/dev/null
  if [[ $WASM == 1 ]] && command -v emcmake >/dev/null; then
    say "building WASM aelab_bench, aelab_conv_bench ($WEB_DIR)"
    emcmake cmake -S "$ROOT" -B "$WEB_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release \
      -DAELAB_BUILD_APPS=OFF "-DCMAKE_CROSSCOMPILING_EMULATOR=node;--no-experimental-fetch" >/dev/null
    cmake --build "$WEB_DIR" --target aelab_bench aelab_conv_bench >/dev/null
  fi
fi
if [[ $DENSE == 1 ]]; then
  [[ -x $NATIVE_BIN ]] || { echo "run_all.sh: $NATIVE_BIN missing (run without --no-build)" >&2; exit 1; }
  [[ -f $WASM_JS ]] || WASM=0
fi
if [[ $CONV == 1 ]]; then
  [[ -x $CONV_BIN ]] || { echo "run_all.sh: $CONV_BIN missing (run without --no-build)" >&2; exit 1; }
  [[ -f $CONV_JS ]] || WASM=0
fi
HAVE_TFJS=0
if [[ $WASM == 1 ]]; then
  if [[ ! -d $BENCH/node_modules/@tensorflow/tfjs-backend-wasm ]]; then
    say "npm install (tests/bench: @tensorflow/tfjs 4.22.0, tfjs-backend-wasm 4.22.0)"
    (cd "$BENCH" && npm ci --no-audit --no-fund >/dev/null 2>&1 || npm install --no-audit --no-fund >/dev/null)
  fi
  [[ -d $BENCH/node_modules/@tensorflow/tfjs-backend-wasm ]] && HAVE_TFJS=1
fi
HAVE_TORCH=0; $PY -c 'import torch' 2>/dev/null && HAVE_TORCH=1
HAVE_SKLEARN=0; $PY -c 'import sklearn' 2>/dev/null && HAVE_SKLEARN=1
[[ $HAVE_TORCH == 1 ]] || say "PyTorch missing (apt-get install python3-torch): no PyTorch figures"
[[ $HAVE_SKLEARN == 1 ]] || say "scikit-learn missing (apt-get install python3-sklearn): no scikit-learn figures"

# Waits (at most WAIT_IDLE minutes in all) for the 1-minute load average to drop below 0.3.
IDLE_DEADLINE=$(( $(date +%s) + WAIT_IDLE * 60 ))
wait_idle() {
  [[ $WAIT_IDLE == 0 ]] && return 0
  local warned=0
  while awk '{exit !($1 >= 0.3)}' /proc/loadavg && (( $(date +%s) < IDLE_DEADLINE )); do
    [[ $warned == 1 ]] || say "waiting for an idle machine (load $(cut -d' ' -f1 /proc/loadavg))"
    warned=1
    sleep 10
  done
}
wait_idle
uptime | sed 's/^/[bench] load at start: /'
cat /proc/loadavg > "$RAW/load_start.txt"

# ct: "unset" or a core name; run_ct CT cmd... runs cmd with OPENBLAS_CORETYPE set accordingly.
run_ct() {
  local ct="$1"; shift
  if [[ $ct == unset ]]; then env -u OPENBLAS_CORETYPE "$@"; else env OPENBLAS_CORETYPE="$ct" "$@"; fi
}
common=(--repeats "$REPEATS" --seconds "$SECONDS_PER")

# ---- training, interleaved rounds ------------------------------------------------------------
for ((r = 1; r <= ROUNDS && DENSE == 1; ++r)); do
  wait_idle
  say "round $r/$ROUNDS: training (load $(cut -d' ' -f1-3 /proc/loadavg))"
  cut -d' ' -f1 /proc/loadavg >> "$RAW/load_rounds.txt"
  run_ct unset OPENBLAS_NUM_THREADS=1 "$NATIVE_BIN" train --threads 1 "${common[@]}" \
    --json "$RAW/aelab-native-t1-unset-r$r.json" | sed 's/^/  /'
  if [[ $HAVE_TORCH == 1 ]]; then
    for ct in unset Haswell; do
      run_ct $ct OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 OMP_WAIT_POLICY=PASSIVE \
        $PY "$BENCH/torch_bench.py" --threads 1 "${common[@]}" --json "$RAW/torch-t1-$ct-r$r.json" | sed 's/^/  /'
    done
  fi
  run_ct unset OPENBLAS_NUM_THREADS=2 "$NATIVE_BIN" train --threads 2 "${common[@]}" \
    --json "$RAW/aelab-native-t2-unset-r$r.json" | sed 's/^/  /'
  if [[ $HAVE_TORCH == 1 ]]; then
    for ct in unset Haswell; do
      run_ct $ct OMP_NUM_THREADS=2 OPENBLAS_NUM_THREADS=2 OMP_WAIT_POLICY=PASSIVE \
        $PY "$BENCH/torch_bench.py" --threads 2 "${common[@]}" --json "$RAW/torch-t2-$ct-r$r.json" | sed 's/^/  /'
    done
  fi
  run_ct Haswell OPENBLAS_NUM_THREADS=1 "$NATIVE_BIN" train --threads 1 "${common[@]}" \
    --json "$RAW/aelab-native-t1-Haswell-r$r.json" | sed 's/^/  /'
  if [[ $WASM == 1 ]]; then
    node --no-experimental-fetch "$WASM_JS" train --nets 4,1 "${common[@]}" \
      --json "$RAW/aelab-wasm-t1-r$r.json" | sed 's/^/  /'
    if [[ $HAVE_TFJS == 1 ]]; then
      (cd "$BENCH" && node tfjs_bench.mjs "${common[@]}" --json "$RAW/tfjs-wasm-r$r.json") | sed 's/^/  /'
    fi
  fi
done

# ---- conv AE and VAE (issue 10), interleaved rounds ---------------------------------------------
# aelab and PyTorch: median of 5 repeats x 10 steps per run; the report takes the median over rounds.
CONV_MODELS=conv-ae,vae-k2
conv_common=(--repeats 5 --iters 10)
for ((r = 1; r <= ROUNDS && CONV == 1; ++r)); do
  wait_idle
  say "round $r/$ROUNDS: conv AE / VAE training (load $(cut -d' ' -f1-3 /proc/loadavg))"
  cut -d' ' -f1 /proc/loadavg >> "$RAW/load_conv_rounds.txt"
  for th in 1 2; do
    run_ct unset OPENBLAS_NUM_THREADS=$th "$CONV_BIN" --model $CONV_MODELS --threads $th --no-layers \
      "${conv_common[@]}" --json "$RAW/conv-aelab-native-t$th-unset-r$r.json" | grep -E 'model|train step' | sed 's/^/  /'
    if [[ $HAVE_TORCH == 1 ]]; then
      for ct in unset Haswell; do
        run_ct $ct OMP_NUM_THREADS=$th OPENBLAS_NUM_THREADS=$th OMP_WAIT_POLICY=PASSIVE \
          $PY "$BENCH/torch_conv_bench.py" --threads $th --models $CONV_MODELS "${conv_common[@]}" \
          --json "$RAW/conv-torch-t$th-$ct-r$r.json" | grep -E 'PyTorch|model|train step' | sed 's/^/  /'
      done
    fi
  done
  if [[ $WASM == 1 ]]; then
    node --no-experimental-fetch "$CONV_JS" --model conv-ae --no-layers "${conv_common[@]}" \
      --json "$RAW/conv-aelab-wasm-t1-r$r.json" | grep -E 'model|forward|train step' | sed 's/^/  /'
    if [[ $HAVE_TFJS == 1 && $r == 1 ]]; then
      (cd "$BENCH" && node tfjs_conv_bench.mjs --backends wasm,cpu --repeats 3 --iters 1 \
        --json "$RAW/conv-tfjs-r$r.json") 2>"$RAW/conv-tfjs-r$r.log" | sed 's/^/  /' ||
        say "tfjs_conv_bench.mjs failed (exit $?; see $RAW/conv-tfjs-r$r.log): no tfjs conv figures"
    fi
  fi
done
[[ $DENSE == 1 ]] || {
  cat /proc/loadavg > "$RAW/load_end.txt"
  uptime | sed 's/^/[bench] load at end: /'
  $PY "$BENCH/make_report.py" "$RAW" "$OUT"
  say "wrote $OUT/bench.md and $OUT/bench.json"
  tsne_web_tail
  exit 0
}

# ---- PCA ---------------------------------------------------------------------------------------
wait_idle
say "PCA (1 thread)"
run_ct unset OPENBLAS_NUM_THREADS=1 "$NATIVE_BIN" pca --threads 1 --repeats 3 \
  --json "$RAW/aelab-native-pca-unset.json" | sed 's/^/  /'
if [[ $HAVE_SKLEARN == 1 ]]; then
  for ct in unset Haswell; do
    run_ct $ct OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 $PY "$BENCH/sklearn_bench.py" --threads 1 \
      --repeats 3 --json "$RAW/sklearn-pca-$ct.json" | sed 's/^/  /'
  done
fi

# ---- peak memory (own process) ------------------------------------------------------------------
say "peak memory of a net 1 training run on full MNIST"
run_ct unset OPENBLAS_NUM_THREADS=1 "$NATIVE_BIN" rss --json "$RAW/aelab-native-rss.json" | sed 's/^/  /'

# The CLI itself, when the full native build (preset native-release) has been built:
# peak RSS of `aelab train` (net 1, 300 steps, its default periodic and final evaluations).
CLI="${AELAB_CLI:-$ROOT/build/native/native/aelab}"
if [[ -x $CLI ]]; then
  say "peak memory of \`aelab train\` (net 1, 300 steps, full MNIST)"
  tmp=$(mktemp -d)
  if run_ct unset OPENBLAS_NUM_THREADS=1 /usr/bin/time -f '%M' -o "$tmp/maxrss" "$CLI" train \
       --arch 784-500-500-5 --act elu --steps 300 --quiet --data-dir "$ROOT/data" --out "$tmp/out" >/dev/null 2>"$tmp/err"; then
    printf '{"tool": "aelab-cli", "rss": {"peak_mib": %s, "data_mib": %s, "ratio": %s, "steps": 300, "measure": "aelab train, /usr/bin/time %%M (ru_maxrss)"}}\n' \
      "$(awk '{printf "%.1f", $1/1024}' "$tmp/maxrss")" "209.4" \
      "$(awk '{printf "%.3f", $1/1024/209.4}' "$tmp/maxrss")" > "$RAW/aelab-cli-rss.json"
    sed 's/^/  aelab train peak RSS (KiB): /' "$tmp/maxrss"
  else
    say "aelab train failed (see below); no CLI memory figure"; sed 's/^/  /' "$tmp/err" | tail -5
  fi
  rm -rf "$tmp"
fi

cat /proc/loadavg > "$RAW/load_end.txt"
uptime | sed 's/^/[bench] load at end: /'
$PY "$BENCH/make_report.py" "$RAW" "$OUT"
say "wrote $OUT/bench.md and $OUT/bench.json"
tsne_web_tail
