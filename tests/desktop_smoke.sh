#!/usr/bin/env bash
# tests/desktop_smoke.sh: the desktop playground renders under Xvfb.
# Runs build/native/native/aelab_desktop for 60 frames in a virtual 1280x800 X server,
# saves the last frame (glReadPixels) to artifacts/desktop/smoke.png, and checks that
# the picture is not blank (ImageMagick counts its colours).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN="${AELAB_DESKTOP_BIN:-$ROOT/build/native/native/aelab_desktop}"
OUT="$ROOT/artifacts/desktop"
FRAMES="${AELAB_SMOKE_FRAMES:-60}"
[[ -x $BIN ]] || { echo "[desktop] no $BIN: build the native-release preset first" >&2; exit 1; }
mkdir -p "$OUT"
rm -f "$OUT/smoke.png"
echo "[desktop] xvfb-run $(basename "$BIN") --frames $FRAMES"
# -a picks a free display number; software GL (Mesa llvmpipe) provides OpenGL 3.3 core.
timeout 120 xvfb-run -a -s "-screen 0 1280x800x24" \
  "$BIN" --frames "$FRAMES" --size 1280x800 --screenshot "$OUT/smoke.png"
[[ -s $OUT/smoke.png ]] || { echo "[desktop] FAIL: no screenshot" >&2; exit 1; }
colours=$(identify -format '%k' "$OUT/smoke.png")
size=$(identify -format '%wx%h' "$OUT/smoke.png")
echo "[desktop] screenshot artifacts/desktop/smoke.png: $size, $colours distinct colours"
if (( colours < 8 )); then echo "[desktop] FAIL: screenshot looks blank" >&2; exit 1; fi
echo "[desktop] PASS smoke"
