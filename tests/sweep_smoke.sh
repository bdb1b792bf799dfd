#!/usr/bin/env bash
# tests/sweep_smoke.sh: `aelab sweep` end to end on a tiny grid (k 2,5 x act relu,elu x seed
# 1,2 = 8 runs of 150 steps on 1000 MNIST images):
#   (a) as 2 shards in 2 concurrent processes into one directory, (b) as 1 shard with --jobs 2
#   into another; both --collect tables must be identical once the timing columns
#   (train_seconds, samples_per_second) are dropped; a rerun skips every finished run;
#   --dry-run lists them as finished; a grid with a bad option name is refused before
#   anything runs (exit 2, line number); a run that fails reports its exit code and log, the
#   sweep exits 1 and a rerun retries only that run; a grid changed under a finished
#   directory is refused; Ctrl-C stops the running runs (exit 130, no completion marker).
#
#   tests/sweep_smoke.sh          uses build/native/native/aelab and data/ (scripts/setup)
#   AELAB_BIN=path AELAB_DATA_DIR=dir tests/sweep_smoke.sh
#
# Called by scripts/test after the native build. Takes about 30-60 s on 2 cores.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
smoke_cleanup() {  # before smoke_init removes $T: stop the runs still going
  local p
  for p in $(jobs -p); do kill "$p" 2>/dev/null; done
  wait 2>/dev/null
  return 0
}
source "$ROOT/tests/lib/smoke.bash"  # smoke_init, PASS/FAIL, ok, bad
smoke_init sweep_smoke                # BIN, DATA, T (removed on exit); binary and MNIST checked
cd "$T"
# The same OpenBLAS thread count in every run: the last digits of a product may depend on it,
# and (a) and (b) must agree to the byte. One thread also suits 2 runs at once on 2 cores.
export OPENBLAS_NUM_THREADS=1

# expect NAME RC FILE: the exit code of the last command (in $rc) is RC, else show FILE.
expect() {
  if [[ $rc -eq $2 ]]; then ok "$1 (exit $rc)"; else bad "$1: exit $rc, expected $2"; sed 's/^/       | /' "$3" | tail -n 10; fi
}
contains() {  # contains FILE TEXT WHAT
  if grep -qF -- "$2" "$1"; then ok "$3"; else bad "$3: '$2' not in $(basename "$1")"; sed 's/^/       | /' "$1" | tail -n 8; fi
}
markers() { find "$1" -name sweep.done | wc -l; }
# CSV without the timing columns (picked by header name).
untimed() {
  awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) drop[i] = ($i == "train_seconds" || $i == "samples_per_second") }
           { out = ""; for (i = 1; i <= NF; i++) if (!drop[i]) out = out (out == "" ? "" : ",") $i; print out }' "$1"
}

cat >grid.txt <<'EOF'
# tiny sweep for the smoke test
command = train
base = --data mnist --steps 150 --limit-train 1000 --limit-test 300 --eval-max 300 --arch 784-32-{k}
k = 2, 5
act = relu, elu
seed = 1, 2
EOF

echo "== help"
"$BIN" help >h.out 2>&1; rc=$?; expect "aelab help" 0 h.out
contains h.out "  sweep     a grid of runs" "the overview lists sweep"
"$BIN" help sweep >hs.out 2>&1; rc=$?; expect "aelab help sweep" 0 hs.out
contains hs.out "(0-based, round robin" "help sweep documents the shard numbering"
contains hs.out "--shard \$SLURM_ARRAY_TASK_ID/8" "help sweep has the Slurm example"

echo "== (a) 2 shards in 2 concurrent processes"
"$BIN" sweep grid.txt --shard 0/2 --out A >a0.out 2>a0.err & P0=$!
"$BIN" sweep grid.txt --shard 1/2 --out A >a1.out 2>a1.err & P1=$!
wait $P0; rc=$?; expect "shard 0/2" 0 a0.err
wait $P1; rc=$?; expect "shard 1/2" 0 a1.err
contains a0.out "4 runs: 4 ran ok" "shard 0/2 ran its 4 runs"
contains a1.out "4 runs: 4 ran ok" "shard 1/2 ran its 4 runs"
[[ $(markers A) -eq 8 ]] && ok "8 completion markers in A" || bad "$(markers A) completion markers in A, expected 8"
contains "A/runs/k=5,act=elu,seed=2/run.log" "outputs in" "a run's log holds its stdout"
[[ -s A/runs/k=2,act=relu,seed=1/metrics.json ]] && ok "a run writes into DIR/runs/<name>/" || bad "no A/runs/k=2,act=relu,seed=1/metrics.json"

echo "== (b) 1 shard, --jobs 2"
"$BIN" sweep grid.txt --jobs 2 --out B >b.out 2>b.err; rc=$?; expect "--jobs 2" 0 b.err
contains b.out "8 runs: 8 ran ok" "--jobs 2 ran all 8 runs"
contains b.err "2 at a time" "--jobs 2 runs two at a time"

echo "== collect"
"$BIN" sweep grid.txt --collect --out A >ca.out 2>ca.err; rc=$?; expect "collect A" 0 ca.err
"$BIN" sweep grid.txt --collect --out B >cb.out 2>cb.err; rc=$?; expect "collect B" 0 cb.err
[[ $(wc -l <A/sweep.csv) -eq 9 ]] && ok "sweep.csv: header + 8 rows" || bad "sweep.csv has $(wc -l <A/sweep.csv) lines"
contains A/sweep.csv "k,act,seed,status,step,epoch,train_mse,test_mse" "sweep.csv header: swept keys, status, metrics"
if cmp -s <(untimed A/sweep.csv) <(untimed B/sweep.csv); then ok "sweep.csv identical for 2 shards and --jobs 2 (timing columns dropped)"
else bad "sweep.csv differs between (a) and (b)"; diff <(untimed A/sweep.csv) <(untimed B/sweep.csv) | head -n 6; fi
contains A/sweep.md "8 of 8 runs finished" "sweep.md counts the runs"
contains A/sweep.md "| k   | act  | seeds |" "sweep.md groups over k and act, counts seeds"
contains A/sweep.md " ± " "sweep.md has mean ± sd"
[[ $(grep -c '^| [25] ' A/sweep.md) -eq 4 ]] && ok "sweep.md: 4 groups of 2 seeds" || bad "sweep.md groups"; 
contains ca.out "| seeds |" "collect prints the table"
"$BIN" sweep grid.txt --collect --out B --metrics test_mse,knn_accuracy >cm.out 2>&1; rc=$?; expect "collect --metrics" 0 cm.out
contains cm.out "| test_mse " "--metrics picks the columns"
"$BIN" sweep grid.txt --collect --out B --metrics nope >cn.out 2>&1; rc=$?; expect "collect --metrics nope" 1 cn.out
contains cn.out "no metric 'nope'" "an unknown metric is named"

echo "== rerun skips finished runs"
before=$(stat -c %Y B/runs/*/sweep.done | sort | md5sum)
"$BIN" sweep grid.txt --jobs 2 --out B >r.out 2>r.err; rc=$?; expect "rerun" 0 r.err
contains r.out "0 ran ok, 8 finished before, 0 failed" "rerun skips all 8"
[[ "$(stat -c %Y B/runs/*/sweep.done | sort | md5sum)" == "$before" ]] && ok "markers untouched" || bad "markers rewritten"
"$BIN" sweep grid.txt --shard 1/2 --out A >r1.out 2>&1; rc=$?; expect "shard rerun" 0 r1.out
contains r1.out "0 ran ok, 4 finished before" "shard rerun skips its 4"
"$BIN" sweep grid.txt --dry-run --out A >d.out 2>&1; rc=$?; expect "dry-run" 0 d.out
[[ $(grep -c ' finished ' d.out) -eq 8 ]] && ok "dry-run lists 8 finished runs" || bad "dry-run listing"; 
contains d.out "train --out A/runs/k=5,act=relu,seed=2 --data mnist" "dry-run shows each run's command"

echo "== hostile grids"
sed 's/--eval-max 300/--eval-max 300 --lrr 0.1/' grid.txt >badopt.txt
"$BIN" sweep badopt.txt --out E >e.out 2>&1; rc=$?; expect "bad option in base" 2 e.out
contains e.out "badopt.txt:3: base: unknown option --lrr" "the bad option is named with its line"
contains e.out "did you mean --lr" "with a hint"
[[ ! -e E ]] && ok "nothing ran" || bad "E was created"
printf 'command = train\nbase = --steps 5\nseed = 1, 2\nact = relu\nseed = 3\n' >dup.txt
"$BIN" sweep dup.txt --out E >e2.out 2>&1; rc=$?; expect "duplicate key" 2 e2.out
contains e2.out "dup.txt:5: key 'seed' given twice (first on line 3)" "duplicate key with both lines"
{ echo "command = train"; echo "a = $(seq -s, 1 101)"; echo "b = $(seq -s, 1 100)"; } >big.txt
"$BIN" sweep big.txt --out E >e3.out 2>&1; rc=$?; expect "10100 runs" 2 e3.out
contains e3.out "big.txt:3: the grid has more than 10000 runs (101 x 100)" "too many runs"
sed 's/--steps 150/--steps 160/' grid.txt >changed.txt
"$BIN" sweep changed.txt --out A >e4.out 2>&1; rc=$?; expect "grid changed under A" 1 e4.out
contains e4.out "was written for other arguments" "a finished run of other arguments is not overwritten"

echo "== a failing run"
cat >fail.txt <<'EOF'
command = train
base = --steps 20 --limit-train 1000 --limit-test 200 --eval-max 200 --arch 784-16-2
batch = 100, 5000
EOF
"$BIN" sweep fail.txt --jobs 2 --out F >f.out 2>f.err; rc=$?; expect "sweep with a failing run" 1 f.out
contains f.out "1 ran ok, 0 finished before, 1 failed" "summary counts the failure"
contains f.out "FAILED batch=5000: exit 2, log F/runs/batch=5000/run.log" "failed run: exit code and log path"
contains f.out "larger than the training set" "the log's last lines are shown"
[[ -f F/runs/batch=100/sweep.done && ! -f F/runs/batch=5000/sweep.done ]] && ok "marker only for the run that finished" || bad "markers in F"
"$BIN" sweep fail.txt --out F >f2.out 2>&1; rc=$?; expect "rerun with a failing run" 1 f2.out
contains f2.out "0 ran ok, 1 finished before, 1 failed" "rerun retries only the failed run"

echo "== Ctrl-C"
cat >long.txt <<'EOF'
command = train
base = --steps 1000000 --limit-train 1000 --limit-test 200 --eval-max 200 --arch 784-16-2
seed = 1, 2, 3
EOF
"$BIN" sweep long.txt --jobs 2 --out I >i.out 2>i.err & SP=$!
for _ in $(seq 1 300); do  # until both runs are training (at most 30 s)
  [[ $(cat I/runs/*/run.log 2>/dev/null | grep -c 'steps -> I/runs') -ge 2 ]] && break
  sleep 0.1
done
sleep 0.5
kill -INT $SP
wait $SP; rc=$?; expect "interrupted sweep" 130 i.out
contains i.out "2 stopped and 1 not started (interrupted)" "runs stopped, none started after Ctrl-C"
[[ $(markers I) -eq 0 ]] && ok "no completion marker for stopped runs" || bad "markers for stopped runs"
contains I/runs/seed=1/run.log "checkpoint saved" "a stopped train run saved its checkpoint"
if pgrep -f "out I/runs/" >/dev/null; then bad "runs still alive after the sweep exited"; else ok "no run left behind"; fi

echo "sweep_smoke: $PASS passed, $FAIL failed (${SECONDS}s)"
[[ $FAIL -eq 0 ]]
