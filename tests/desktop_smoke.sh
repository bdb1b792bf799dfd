#!/usr/bin/env bash
# tests/desktop_smoke.sh: the desktop playground runs presets under Xvfb.
# Runs build/native/native/aelab_desktop in a virtual 1280x800 X server:
#   1. --preset course-curved3d (generated data) for 150 frames,
#   2. --preset nonlinear-mnist (MNIST subset read from data/; skipped if scripts/setup has
#      not fetched MNIST) for 150 frames,
# saves each last frame (glReadPixels) to artifacts/desktop/*.png, and checks that the app
# reports a built model (ready 1) that trained (step > 0) and that the pictures are not blank
# (ImageMagick counts their colours).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN="${AELAB_DESKTOP_BIN:-$ROOT/build/native/native/aelab_desktop}"
OUT="$ROOT/artifacts/desktop"
FRAMES="${AELAB_SMOKE_FRAMES:-150}"
[[ -x $BIN ]] || { echo "[desktop] no $BIN: build the native-release preset first" >&2; exit 1; }
mkdir -p "$OUT"

run_preset() {
  local preset=$1 png=$2
  rm -f "$OUT/$png"
  echo "[desktop] xvfb-run $(basename "$BIN") --preset $preset --frames $FRAMES"
  # -a picks a free display number; software GL (Mesa llvmpipe) provides OpenGL 3.3 core.
  local log
  log=$(timeout 180 xvfb-run -a -s "-screen 0 1280x800x24" \
    "$BIN" --preset "$preset" --frames "$FRAMES" --size 1280x800 --screenshot "$OUT/$png" 2>&1) || {
    echo "$log" >&2; echo "[desktop] FAIL: $preset exited non-zero" >&2; return 1; }
  echo "$log" | sed 's/^/[desktop]   /'
  [[ -s $OUT/$png ]] || { echo "[desktop] FAIL: no screenshot for $preset" >&2; return 1; }
  grep -q "ready 1" <<<"$log" || { echo "[desktop] FAIL: $preset never got a model (ready 0)" >&2; return 1; }
  grep -Eq "training: step [1-9]" <<<"$log" || { echo "[desktop] FAIL: $preset did not train" >&2; return 1; }
  local colours size
  colours=$(identify -format '%k' "$OUT/$png")
  size=$(identify -format '%wx%h' "$OUT/$png")
  echo "[desktop] screenshot artifacts/desktop/$png: $size, $colours distinct colours"
  if (( colours < 50 )); then echo "[desktop] FAIL: $png looks blank" >&2; return 1; fi
}

run_preset course-curved3d smoke.png
cp "$OUT/smoke.png" "$OUT/course-curved3d.png"
DATA_DIR="${AELAB_DATA_DIR:-$ROOT/data}"
if [[ -f $DATA_DIR/mnist/train-images-idx3-ubyte ]]; then
  run_preset nonlinear-mnist nonlinear-mnist.png
else
  echo "[desktop] MNIST not in $DATA_DIR: nonlinear-mnist run skipped (scripts/setup fetches it)"
fi
echo "[desktop] PASS smoke"
