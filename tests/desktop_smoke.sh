#!/usr/bin/env bash
# tests/desktop_smoke.sh: the desktop playground runs every recipe under Xvfb.
# Runs build/native/native/aelab_desktop in a virtual 1280x800 X server with --preset KEY for
# every recipe `aelab recipes` lists (the same embedded assets/recipes as the desktop app;
# the image recipes are skipped if scripts/setup has not fetched MNIST / Fashion-MNIST), for
# 150 frames each, saves each last frame (glReadPixels) to artifacts/desktop/KEY.png (the
# first, curved-band3d, also as smoke.png), and checks that the app
# reports a built model (ready 1) that trained (step > 0) and that the pictures are not blank
# (ImageMagick counts their colours).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN="${AELAB_DESKTOP_BIN:-$ROOT/build/native/native/aelab_desktop}"
OUT="$ROOT/artifacts/desktop"
FRAMES="${AELAB_SMOKE_FRAMES:-150}"
[[ -x $BIN ]] || { echo "[desktop] no $BIN: build the native-release preset first" >&2; exit 1; }
mkdir -p "$OUT"

# The data set a recipe trains on: dataset= of the "query:" line of assets/recipes/KEY.txt.
recipe_dataset() {
  sed -n 's/^query:.*dataset=\([a-z0-9]*\).*/\1/p' "$ROOT/assets/recipes/$1.txt"
}

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

CLI="${AELAB_BIN:-$ROOT/build/native/native/aelab}"
[[ -x $CLI ]] || { echo "[desktop] no $CLI (it lists the recipes): build the native-release preset first" >&2; exit 1; }
mapfile -t KEYS < <("$CLI" recipes | awk '{print $1}')
(( ${#KEYS[@]} >= 6 )) || { echo "[desktop] FAIL: aelab recipes listed ${#KEYS[@]} recipes" >&2; exit 1; }
run_preset curved-band3d smoke.png
cp "$OUT/smoke.png" "$OUT/curved-band3d.png"
DATA_DIR="${AELAB_DATA_DIR:-$ROOT/data}"
ran=1 skipped=0
for key in "${KEYS[@]}"; do
  [[ $key == curved-band3d ]] && continue
  set_dir=""
  case "$(recipe_dataset "$key")" in
    mnist) set_dir=mnist ;;
    fashion) set_dir=fashion ;;
  esac
  if [[ -n $set_dir && ! -f $DATA_DIR/$set_dir/train-images-idx3-ubyte ]]; then
    echo "[desktop] $set_dir not in $DATA_DIR: $key skipped (scripts/setup fetches it)"
    skipped=$((skipped + 1))
    continue
  fi
  run_preset "$key" "$key.png"
  ran=$((ran + 1))
done
echo "[desktop] PASS smoke: $ran recipes ran, $skipped skipped"
