# tests/lib/smoke.bash: what the CLI smoke scripts (tests/*_smoke.sh) share; sourced, not run.
#   ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
#   source "$ROOT/tests/lib/smoke.bash"
#   smoke_init cli_smoke            the prologue: BIN, DATA, T, SECONDS, checks (below)
#   smoke_init csv_smoke --no-data  the same without requiring MNIST
#   smoke_cleanup() { ...; }        optional, defined by the script: runs on exit before T goes
#   ok "what held"; bad "what failed"       count into PASS / FAIL and print one line each
PASS=0; FAIL=0
ok()  { PASS=$((PASS + 1)); echo "  ok   $*"; }
bad() { FAIL=$((FAIL + 1)); echo "  FAIL $*"; }
require_bin_and_data() {
  [[ -x $BIN ]] || { echo "$1: no aelab binary at $BIN (build with: cmake --build --preset native-release)"; exit 1; }
  [[ -f $DATA/mnist/train-images-idx3-ubyte ]] || { echo "$1: no MNIST in $DATA/mnist (run scripts/setup)"; exit 1; }
}
_smoke_exit() {
  if declare -F smoke_cleanup >/dev/null; then smoke_cleanup; fi
  rm -rf "$T"
}
# smoke_init NAME [--no-data]: BIN = $AELAB_BIN or build/native/native/aelab; DATA =
# $AELAB_DATA_DIR or data/ (exported as AELAB_DATA_DIR for the binary); T = a fresh
# mktemp -d (aelab-NAME.XXXXXX, '_' as '-'), removed on exit after the script's
# smoke_cleanup if it defines one; SECONDS=0; exits 1 with a hint when the binary, or
# (without --no-data) MNIST, is missing.
smoke_init() {
  local name=$1
  BIN="${AELAB_BIN:-$ROOT/build/native/native/aelab}"
  DATA="${AELAB_DATA_DIR:-$ROOT/data}"
  T="$(mktemp -d "${TMPDIR:-/tmp}/aelab-${name//_/-}.XXXXXX")"
  trap _smoke_exit EXIT
  SECONDS=0
  if [[ ${2:-} == --no-data ]]; then
    [[ -x $BIN ]] || { echo "$name: no aelab binary at $BIN (build with: cmake --build --preset native-release)"; exit 1; }
  else
    require_bin_and_data "$name"
  fi
  export AELAB_DATA_DIR="$DATA"
}
