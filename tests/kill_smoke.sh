#!/usr/bin/env bash
# tests/kill_smoke.sh: crash safety and exact resume of `aelab train`, process-level.
#
# 1. Exact resume: `train --steps N` vs `train --steps M` then `train --resume --steps N`
#    give bitwise-equal parameters (the FNV-1a fingerprint `aelab eval` prints) and the same
#    curves.csv.
# 2. Kill chain: training on a small subset that saves a checkpoint every few steps
#    (--checkpoint-every; a 1.3 MB model file written with fsync, so that kills land inside
#    saves) is killed with SIGKILL at KILLS random moments (the first before any save; the
#    others once the run is training, at a random delay of 0..1 s, a third at once inside a
#    save). After each kill the model file is absent (killed before or inside the first save)
#    or a complete, valid checkpoint (`aelab eval` loads it and it holds a multiple of the
#    checkpoint interval in steps); a leftover temporary file (a kill inside a save) is
#    counted and never taken for the model; the next run resumes from the file. At the end
#    the chain is resumed to a final step count F and compared bitwise with an uninterrupted
#    run of F steps: the kills and resumes changed nothing.
# 3. Hostile metadata: a model file whose saved batch / seed / eval interval is out of range
#    (rewritten and resealed here) is refused by --resume with a message naming the value.
# 4. Full disk (where a tmpfs can be mounted): --out / --save on a full or too small disk
#    are refused before any training.
#
#   tests/kill_smoke.sh                 uses build/native/native/aelab and data/
#   KILLS=20 KILL_SEED=7 AELAB_BIN=... AELAB_DATA_DIR=... tests/kill_smoke.sh
#
# Called by scripts/test after the native build. About 90 s of CPU (user + sys); measured
# 4:20 wall on 2 cores at load average 8.5 (other builds running), fsync-bound when idle.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
KILLS="${KILLS:-20}"
KILL_SEED="${KILL_SEED:-7}"
CHILD=""
MOUNTED=""
smoke_cleanup() {  # before smoke_init removes $T
  [[ -n $CHILD ]] && kill -9 "$CHILD" 2>/dev/null
  [[ -n $MOUNTED ]] && umount "$MOUNTED" 2>/dev/null
  return 0
}
source "$ROOT/tests/lib/smoke.bash"  # smoke_init, PASS/FAIL, ok, bad
smoke_init kill_smoke                 # BIN, DATA, T (removed on exit); binary and MNIST checked
cd "$T"
# Every run of this script trains the same model the same way; only the step counts differ.
COMMON=(--limit-train 2000 --limit-test 500 --arch 784-64-16 --act elu --opt adam --lr 0.002 --batch 50
        --seed 3 --eval-every 20 --eval-max 500 --quiet)

# fingerprint FILE: the parameters' FNV-1a 64 as printed by `aelab eval` ("" if it fails).
fingerprint() {
  "$BIN" eval "$1" --limit-train 2000 --limit-test 500 --out "$T/eval-tmp" 2>"$T/eval.err" |
    sed -n 's/.*FNV-1a 64 of their bytes \(0x[0-9a-f]*\).*/\1/p'
}
# steps_in FILE: the step count `aelab eval` reports ("trained N steps").
steps_in() {
  "$BIN" eval "$1" --limit-train 2000 --limit-test 500 --out "$T/eval-tmp" 2>"$T/eval.err" |
    sed -n 's/.*trained \([0-9]*\) steps.*/\1/p'
}

echo "== exact resume: 90 steps straight vs 35 + --resume to 90"
"$BIN" train "${COMMON[@]}" --steps 90 --out "$T/a" --save "$T/a.aelab" >/dev/null 2>"$T/a.err" ||
  bad "straight run failed: $(tail -n 3 "$T/a.err")"
"$BIN" train "${COMMON[@]}" --steps 35 --out "$T/b1" --save "$T/b.aelab" >/dev/null 2>"$T/b1.err" ||
  bad "first half failed: $(tail -n 3 "$T/b1.err")"
"$BIN" train --resume "$T/b.aelab" --quiet --limit-train 2000 --limit-test 500 --steps 90 --out "$T/b2" \
  --save "$T/b.aelab" >/dev/null 2>"$T/b2.err" || bad "resume failed: $(tail -n 3 "$T/b2.err")"
FA=$(fingerprint "$T/a.aelab"); FB=$(fingerprint "$T/b.aelab")
if [[ -n $FA && $FA == "$FB" ]]; then ok "parameters bitwise equal (fingerprint $FA)"; else bad "parameters differ: straight $FA, resumed $FB"; fi
if cmp -s "$T/a/curves.csv" "$T/b2/curves.csv"; then
  ok "curves.csv identical ($(($(wc -l <"$T/a/curves.csv") - 1)) points, steps 0..90)"
else
  bad "curves.csv differ"; diff "$T/a/curves.csv" "$T/b2/curves.csv" | head -n 6 | sed 's/^/       | /'
fi
TA=$(sed -n 's/.*"test_mse": \([0-9.e-]*\).*/\1/p' "$T/a/metrics.json" | tail -n 1)
TB=$(sed -n 's/.*"test_mse": \([0-9.e-]*\).*/\1/p' "$T/b2/metrics.json" | tail -n 1)
[[ -n $TA && $TA == "$TB" ]] && ok "final test MSE equal to all printed digits ($TA)" || bad "final test MSE $TA vs $TB"

echo "== kill chain: $KILLS x SIGKILL at random moments (seed $KILL_SEED), checkpoint every 3 steps"
RANDOM=$KILL_SEED
M="$T/m.aelab"
absent=0 valid=0 in_save=0 resumed=0 broken=0
for i in $(seq 1 "$KILLS"); do
  args=("${COMMON[@]}" --steps 1000000 --checkpoint-every 3 --out "$T/k" --save "$M")
  if [[ -f $M ]]; then args=(--resume "$M" --quiet --limit-train 2000 --limit-test 500 --steps 1000000
                             --checkpoint-every 3 --out "$T/k" --save "$M"); fi
  "$BIN" train "${args[@]}" >/dev/null 2>"$T/k.err" &
  CHILD=$!
  if (( i == 1 )); then
    sleep 0.05  # the first kill comes early, before anything is saved
  else
    # Wait until this run is training (its first save has begun: a temporary file exists),
    # then a random moment 0..1 s later; a third of the kills come at once, inside that save.
    for _ in $(seq 1 1500); do compgen -G "$M.tmp*" >/dev/null && break; sleep 0.02; done
    (( RANDOM % 3 )) && sleep "$(printf '0.%03d' $((RANDOM % 1000)))"
  fi
  kill -9 "$CHILD" 2>/dev/null
  wait "$CHILD" 2>/dev/null
  CHILD=""
  tmps=$(ls "$M".tmp* 2>/dev/null | wc -l)
  if (( tmps > 0 )); then in_save=$((in_save + 1)); rm -f "$M".tmp*; fi
  if [[ ! -e $M ]]; then
    absent=$((absent + 1)); echo "  kill $i: no model file yet (killed before or inside the first save)"; continue
  fi
  s=$(steps_in "$M")
  if [[ -n $s ]] && (( s % 3 == 0 )); then
    valid=$((valid + 1))
    echo "  kill $i: model file valid at step $s$( (( tmps > 0 )) && echo ", killed inside a save (temporary file left)")"
  else
    broken=$((broken + 1)); bad "kill $i: the model file is not a valid checkpoint: $(tail -n 2 "$T/eval.err")"
  fi
  [[ $i -gt 1 ]] && resumed=$((resumed + 1))
done
(( broken == 0 )) && ok "after every kill the model file was absent ($absent) or a whole valid checkpoint ($valid)"
(( in_save > 0 )) && ok "$in_save of $KILLS kills landed inside a save (temporary file left, model file intact)" ||
  echo "  note: no kill landed inside a save this time"

echo "== the kill chain ends bitwise equal to an uninterrupted run"
if [[ -f $M ]]; then
  C=$(steps_in "$M"); F=$((C + 12))
  "$BIN" train --resume "$M" --quiet --limit-train 2000 --limit-test 500 --steps "$F" --out "$T/kend" --save "$M" \
    >/dev/null 2>"$T/kend.err" && ok "resume from the last kill's file runs (step $C -> $F)" ||
    bad "resume after the last kill failed: $(tail -n 3 "$T/kend.err")"
  "$BIN" train "${COMMON[@]}" --steps "$F" --out "$T/ref" --save "$T/ref.aelab" >/dev/null 2>"$T/ref.err" ||
    bad "reference run failed"
  FK=$(fingerprint "$M"); FR=$(fingerprint "$T/ref.aelab")
  [[ -n $FK && $FK == "$FR" ]] && ok "after $KILLS kills and resumes: parameters bitwise equal to a straight $F-step run ($FK)" ||
    bad "kill chain $FK vs straight run $FR"
  cmp -s "$T/kend/curves.csv" "$T/ref/curves.csv" && ok "and the same loss history (curves.csv, $(($(wc -l <"$T/ref/curves.csv") - 1)) points)" ||
    bad "loss history differs after the kill chain"
else
  bad "no model file after $KILLS kills (raise the kill delays?)"
fi

echo "== hostile metadata in a model file: --resume range-checks batch and seed like the options"
# set_meta IN OUT KEY VALUE: rewrites one meta.KEY line of the config text and reseals the
# container (section length, total size, FNV-1a 64 checksum), as a hostile editor would.
set_meta() {
  python3 - "$@" <<'PY'
import struct, sys
src, dst, key, val = sys.argv[1:5]
b = open(src, 'rb').read()
assert b[:8] == b'AELABCK1' and b[24:28] == b'CONF'
n = struct.unpack_from('<Q', b, 28)[0]
conf = b[36:36 + n].decode()
lines = [('meta.%s=%s' % (key, val)) if l.startswith('meta.%s=' % key) else l for l in conf.split('\n')]
conf2 = '\n'.join(lines).encode()
body = bytearray(b[:28] + struct.pack('<Q', len(conf2)) + conf2 + b[36 + n:-8])
struct.pack_into('<Q', body, 16, len(body) + 8)
h = 0xcbf29ce484222325
for x in body:
    h = ((h ^ x) * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
open(dst, 'wb').write(bytes(body) + struct.pack('<Q', h))
PY
}
"$BIN" train --limit-train 2000 --limit-test 500 --arch 784-4-2 --batch 50 --steps 3 --quiet --out "$T/s" \
  --save "$T/small.aelab" >/dev/null 2>"$T/s.err" || bad "small model: $(tail -n 2 "$T/s.err")"
for kv in "batch 99999999999" "seed -5" "batch 0" "eval-every 1e99"; do
  set -- $kv
  set_meta "$T/small.aelab" "$T/hostile.aelab" "$1" "$2"
  "$BIN" train --resume "$T/hostile.aelab" --quiet --limit-train 2000 --limit-test 500 --steps 100 --out "$T/h" \
    >/dev/null 2>"$T/h.err"; rc=$?
  if [[ $rc -ne 0 ]] && grep -q "saved $1 = '$2' is not an integer in" "$T/h.err"; then ok "meta $1=$2 refused (exit $rc): $(head -c 120 "$T/h.err")"
  else bad "meta $1=$2: exit $rc, $(head -c 200 "$T/h.err")"; fi
done
set_meta "$T/small.aelab" "$T/hostile.aelab" batch 99999999999
"$BIN" train --resume "$T/hostile.aelab" --batch 50 --quiet --limit-train 2000 --limit-test 500 --steps 5 --out "$T/h2" \
  >/dev/null 2>"$T/h2.err" && ok "an explicit --batch overrides a hostile saved batch" || bad "--batch override: $(head -c 200 "$T/h2.err")"

echo "== a full disk is refused before any training (needs a 64 KiB tmpfs: root with mount rights)"
mkdir -p "$T/tiny"
if mount -t tmpfs -o size=64k tmpfs "$T/tiny" 2>/dev/null; then
  MOUNTED="$T/tiny"
  "$BIN" train "${COMMON[@]}" --steps 5 --out "$T/tiny/out" >/dev/null 2>"$T/full1.err"; rc=$?
  [[ $rc -eq 2 ]] && grep -q "not enough free space" "$T/full1.err" && [[ ! -e $T/tiny/out/model.aelab ]] &&
    ok "--out on a 64 KiB disk: refused before training: $(head -c 100 "$T/full1.err")" || bad "nearly full --out: exit $rc, $(cat "$T/full1.err")"
  dd if=/dev/zero of="$T/tiny/fill" bs=4k 2>/dev/null
  "$BIN" train "${COMMON[@]}" --steps 5 --out "$T/ok" --save "$T/tiny/m.aelab" >/dev/null 2>"$T/full2.err"; rc=$?
  [[ $rc -eq 2 ]] && grep -q "No space left on device" "$T/full2.err" && ! compgen -G "$T/tiny/.aelab*" >/dev/null &&
    ok "--save on a full disk: refused before loading data, no stray file: $(head -c 100 "$T/full2.err")" || bad "full --save: exit $rc, $(cat "$T/full2.err")"
  umount "$T/tiny" && MOUNTED=""
else
  echo "  skip (cannot mount a tmpfs here)"
fi

echo
echo "kill_smoke: $KILLS kills: $absent before the first save, $valid valid model files, $in_save inside a save, $broken broken; $PASS passed, $FAIL failed (${SECONDS}s)"
[[ $FAIL -eq 0 ]]
