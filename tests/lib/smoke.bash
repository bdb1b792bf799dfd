# tests/lib/smoke.bash: what the CLI smoke scripts (tests/*_smoke.sh) share; sourced, not run.
#   source "$ROOT/tests/lib/smoke.bash"     (after BIN and DATA are set)
#   require_bin_and_data cli_smoke          exits 1 with a hint when the binary or MNIST is missing
#   ok "what held"; bad "what failed"       count into PASS / FAIL and print one line each
PASS=0; FAIL=0
ok()  { PASS=$((PASS + 1)); echo "  ok   $*"; }
bad() { FAIL=$((FAIL + 1)); echo "  FAIL $*"; }
require_bin_and_data() {
  [[ -x $BIN ]] || { echo "$1: no aelab binary at $BIN (build with: cmake --build --preset native-release)"; exit 1; }
  [[ -f $DATA/mnist/train-images-idx3-ubyte ]] || { echo "$1: no MNIST in $DATA/mnist (run scripts/setup)"; exit 1; }
}
