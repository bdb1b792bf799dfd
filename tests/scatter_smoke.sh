#!/usr/bin/env bash
# tests/scatter_smoke.sh: the GL scatter renderer and image textures render under Xvfb.
# Runs build/native/native/aelab_scatter_demo (tests/scatter_demo.cpp): 70k labelled points
# through ScatterRenderer, the ScatterWidget with axes and hover, an ImageTexture grid;
# writes artifacts/scatter/{scatter_labels,scatter_values,scatter_widget}.png, prints render
# timings (software GL: Mesa llvmpipe), cross-checks nearest() against brute force.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN="${AELAB_SCATTER_DEMO_BIN:-$ROOT/build/native/native/aelab_scatter_demo}"
[[ -x $BIN ]] || { echo "[scatter] no $BIN: build the native-release preset first" >&2; exit 1; }
mkdir -p "$ROOT/artifacts/scatter"
timeout 300 xvfb-run -a -s "-screen 0 1280x800x24" "$BIN" --out "$ROOT/artifacts/scatter" --frames 20
echo "[scatter] PASS smoke"
