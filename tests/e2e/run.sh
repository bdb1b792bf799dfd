#!/usr/bin/env bash
# tests/e2e/run.sh: browser end-to-end tests of the playground in Debian's headless Chromium.
# Needs: scripts/setup (npm install here) and the web-release build (build/web/playground).
# Runs every tests/e2e/*.mjs test (smoke.mjs first); screenshots land in artifacts/e2e/.
# soak.mjs trains for AELAB_SOAK_SECONDS (default 600, what CI runs; e.g. 120 for a quick look)
# and gets that long plus 5 minutes; recipes.mjs (every recipe in turn) 15 minutes; ux_layout.mjs
# (messages, layout, share, PNG at six sizes) 8 minutes; every other test 5 minutes.
# AELAB_E2E_ONLY="soak" runs only the named tests; AELAB_E2E_SKIP="soak" runs all but them
# (scripts/test runs the soak beside the native smoke tests, then the rest). Each test's wall
# time is printed.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
WEB_DIR="${AELAB_WEB_DIR:-$ROOT/build/web/playground}"
[[ -f $WEB_DIR/index.html ]] || { echo "[e2e] no $WEB_DIR/index.html: build the web-release preset first" >&2; exit 1; }
[[ -d $HERE/node_modules/playwright-core ]] || { echo "[e2e] playwright-core missing: run scripts/setup" >&2; exit 1; }
export AELAB_SOAK_SECONDS="${AELAB_SOAK_SECONDS:-600}"
cd "$ROOT"
status=0
for t in "$HERE"/smoke.mjs $(ls "$HERE"/*.mjs | grep -v '/smoke.mjs$' | sort); do
  [[ -f $t ]] || continue
  # Helper modules (lib*.mjs, *.lib.mjs) are imported by tests, not run.
  case "$(basename "$t")" in lib*.mjs|*.lib.mjs) continue ;; esac
  name=$(basename "$t" .mjs)
  [[ -z ${AELAB_E2E_ONLY:-} || " $AELAB_E2E_ONLY " == *" $name "* ]] || continue
  [[ " ${AELAB_E2E_SKIP:-} " == *" $name "* ]] && continue
  limit=300
  [[ $(basename "$t") == soak.mjs ]] && limit=$(( ${AELAB_SOAK_SECONDS:-600} + 300 ))
  [[ $(basename "$t") == recipes.mjs ]] && limit=900  # 24 recipes, each until its loss falls (~450 s measured)
  [[ $(basename "$t") == ux_layout.mjs ]] && limit=480  # 16 pages at 6 sizes (3.5-4 min measured)
  echo "[e2e] running $(basename "$t") (time limit ${limit} s)"
  t0=$SECONDS
  if ! timeout "$limit" node "$t" "$WEB_DIR"; then
    echo "[e2e] FAILED $(basename "$t") ($((SECONDS - t0)) s)" >&2
    status=1
  else
    echo "[e2e] $(basename "$t"): $((SECONDS - t0)) s"
  fi
done
exit $status
