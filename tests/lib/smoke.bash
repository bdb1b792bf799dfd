# tests/lib/smoke.bash: what the CLI smoke scripts (tests/*_smoke.sh) share; sourced, not run.
#   ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
#   source "$ROOT/tests/lib/smoke.bash"
#   smoke_init cli_smoke            the prologue: BIN, DATA, T, SECONDS, checks (below)
#   smoke_init csv_smoke --no-data  the same without requiring MNIST
#   smoke_cleanup() { ...; }        optional, defined by the script: runs on exit before T goes
#   ok "what held"; bad "what failed"       count into PASS / FAIL and print one line each
#   run NAME RC aelab-args...       runs $BIN, keeps $T/NAME.{out,err}, checks the exit code
#   check WHAT EXPR DIR             a Python expression on j = DIR/metrics.json (f = j['final'])
#   grep_ok WHAT PATTERN FILE       PATTERN is in FILE
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

# run NAME EXPECTED_RC ARGS...: runs "$BIN" ARGS with stdout/stderr in $T/NAME.{out,err};
# ok when the exit code is the expected one, else bad with the tail of stderr. Returns 0/1.
run() {
  local name=$1 want=$2; shift 2
  "$BIN" "$@" >"$T/$name.out" 2>"$T/$name.err"
  local rc=$?
  if [[ $rc -eq $want ]]; then ok "$name (exit $rc)"; return 0; fi
  bad "$name: exit $rc, expected $want: aelab $*"; sed 's/^/       | /' "$T/$name.err" | tail -n 8
  return 1
}
# check WHAT PYTHON-EXPRESSION DIR: the expression, on j = DIR/metrics.json and f = j['final']
# (json, math and sys imported), must be true.
check() {
  if /usr/bin/python3 -c "import json,math,sys; j=json.load(open('$3/metrics.json')); f=j.get('final',{}); sys.exit(0 if ($2) else 1)"; then ok "$1"
  else bad "$1 ($2 is false in $3/metrics.json)"; fi
}
# grep_ok WHAT PATTERN FILE
grep_ok() {
  if grep -q -- "$2" "$3"; then ok "$1"; else bad "$1: no '$2' in $(basename "$3")"; fi
}
