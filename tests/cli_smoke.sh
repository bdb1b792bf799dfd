#!/usr/bin/env bash
# tests/cli_smoke.sh: a quick end-to-end run of every `aelab` CLI command on a small subset of
# MNIST (2000 train / 500 test images, a few dozen steps), checking exit codes and outputs;
# Ctrl-C during training (checkpoint + partial results, exit 130, then --resume); and hostile
# options (numbers in decimal notation only), missing data and corrupt model files (clear
# message, non-zero exit); eval of model files crafted so that their codes overflow float.
#
#   tests/cli_smoke.sh            uses build/native/native/aelab and data/ (scripts/setup)
#   AELAB_BIN=path AELAB_DATA_DIR=dir tests/cli_smoke.sh
#
# Called by scripts/test when present. Takes well under a minute on 2 cores.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/tests/lib/smoke.bash"  # smoke_init, PASS/FAIL, ok, bad
smoke_init cli_smoke                  # BIN, DATA, T (removed on exit); binary and MNIST checked
cd "$T"
SMALL=(--limit-train 2000 --limit-test 500)

have() {  # have DIR FILE...: every file exists and is not empty
  local dir=$1 f miss=""; shift
  for f in "$@"; do [[ -s $dir/$f ]] || miss+=" $f"; done
  if [[ -z $miss ]]; then ok "outputs in $(basename "$dir"): $*"; else bad "missing in $dir:$miss"; fi
}
contains() {  # contains FILE TEXT WHAT
  if grep -qF -- "$2" "$1"; then ok "$3"; else bad "$3: '$2' not in $(basename "$1")"; sed 's/^/       | /' "$1" | head -n 5; fi
}
png_ok() {  # the PNG signature
  local f
  for f in "$@"; do
    if [[ "$(head -c 8 "$f" | od -An -tx1 | tr -d ' \n')" == 89504e470d0a1a0a ]]; then :; else bad "$f is not a PNG"; return; fi
  done
  ok "PNG signatures ($#)"
}
svg_ok() {  # svg_ok FILE MIN_CIRCLES TEXT...: well-formed XML, >= MIN_CIRCLES points, each TEXT as a <text>
  local f=$1 min=$2 t n; shift 2
  if ! python3 -c 'import sys, xml.etree.ElementTree as E; E.parse(sys.argv[1])' "$f" 2>"$T/svg.err"; then
    bad "$(basename "$f") is not well-formed XML: $(head -c 200 "$T/svg.err")"; return
  fi
  n=$(grep -c '<circle' "$f")
  if (( n < min )); then bad "$(basename "$f") has $n points, want >= $min"; return; fi
  for t in "$@"; do grep -qF -- ">$t</text>" "$f" || { bad "$(basename "$f") has no text '$t'"; return; }; done
  ok "$(basename "$f"): well-formed SVG, $n points, texts: $*"
}

echo "== help"
run help 0 help && contains "$T/help.out" "compare" "help lists the commands"
run help-train 0 help train && contains "$T/help-train.out" "--out-act" "help train documents --out-act"
run train-dash-help 0 train --help

echo "== pca"
run pca 0 pca "${SMALL[@]}" --k 2,5,30 --variance 0.9 --out "$T/pca" --quiet
have "$T/pca" pca.csv spectrum.csv metrics.json eigendigits.png reconstructions.png
contains "$T/pca.out" "explained var" "pca prints its table"
png_ok "$T/pca/eigendigits.png" "$T/pca/reconstructions.png"
have "$T/pca" eigendigits.svg reconstructions.svg
svg_ok "$T/pca/eigendigits.svg" 0
[[ $(grep -c '<image' "$T/pca/eigendigits.svg") -eq 16 ]] && ok "eigendigits.svg has 16 component images (--show default)" \
  || bad "eigendigits.svg has $(grep -c '<image' "$T/pca/eigendigits.svg") images, want 16"

echo "== train / resume"
run train 0 train "${SMALL[@]}" --arch 784-64-2 --act relu --steps 40 --out "$T/train" --save "$T/m.aelab"
have "$T/train" model.aelab curves.csv metrics.json reconstructions.png latent.png
[[ -s $T/m.aelab ]] && ok "--save wrote m.aelab" || bad "--save did not write m.aelab"
contains "$T/train/curves.csv" "step,epoch,train_loss,train_mse,test_loss,test_mse" "curves.csv header"
contains "$T/train/metrics.json" '"status": "completed"' "metrics.json status"
contains "$T/train.err" "samples/s" "progress on stderr"
have "$T/train" curves.png curves.svg latent.svg reconstructions.svg
png_ok "$T/train/curves.png" "$T/train/latent.png"
# 500 test codes; the plot range keeps the 0.5%..99.5% quantiles (+5%), so a few may fall out.
svg_ok "$T/train/latent.svg" 490 z1 z2 0 9
svg_ok "$T/train/curves.svg" 0 step loss "train loss" "test loss"
run resume 0 train "${SMALL[@]}" --resume "$T/m.aelab" --steps 60 --out "$T/resume"
if awk -F, 'NR==2 {a=$1} END {exit !(a == 0 && $1 == 60)}' "$T/resume/curves.csv"; then ok "resumed run's curve holds the whole history, steps 0..60"; else bad "resumed curve does not continue the step count"; fi
run resume-change 2 train "${SMALL[@]}" --resume "$T/m.aelab" --act elu --steps 60 --out "$T/x1"
contains "$T/resume-change.err" "keeps the settings" "changing the architecture on resume is refused"

echo "== layer-wise pretraining (--pretrain layerwise)"
contains "$T/help-train.out" "--pretrain-epochs" "help train documents --pretrain-epochs"
# 3 phases x 1 epoch (10 steps of 200) then 4 - 3 = 1 fine-tuning epoch (10 steps).
run pretrain 0 train "${SMALL[@]}" --arch 784-32-8-2 --act sigmoid --out-act sigmoid --batch 200 --epochs 4 \
  --pretrain layerwise --pretrain-epochs 1 --out "$T/pre"
have "$T/pre" pretrain.csv metrics.json model.aelab
contains "$T/pretrain.err" "pretrain 2/3 32-8-32" "progress names the phase training"
contains "$T/pretrain.out" "8-2-8" "summary lists the phases"
check "metrics.json: 3 phases with finite final losses, 10 fine-tuning steps" \
  "len(j['pretrain']['phases']) == 3 and all(math.isfinite(p['final_test_loss']) for p in j['pretrain']['phases']) and f['step'] == 10" "$T/pre"
[[ $(wc -l <"$T/pre/pretrain.csv") -eq 4 ]] && ok "pretrain.csv: header + 3 phases" || bad "pretrain.csv has $(wc -l <"$T/pre/pretrain.csv") lines"
run pre-n0 2 train --arch 784-32-8-2 --pretrain layerwise --pretrain-epochs 0; contains "$T/pre-n0.err" "--pretrain-epochs" "--pretrain-epochs 0 refused"
run pre-1layer 2 train --arch 784-2 --pretrain layerwise; contains "$T/pre-1layer.err" "at least two encoder layers" "a one-layer model is refused"
run pre-budget 2 train --arch 784-32-8-2 --epochs 3 --pretrain layerwise; contains "$T/pre-budget.err" "no epoch for fine-tuning" "no fine-tuning budget refused"
run pre-graph 2 train --model vae --pretrain layerwise; contains "$T/pre-graph.err" "layer-graph" "graph models refused"
run pre-kind 2 train --pretrain greedy
run pre-steps 2 train --arch 784-32-8-2 --steps 50 --pretrain layerwise; contains "$T/pre-steps.err" "--epochs" "--steps with --pretrain refused"
run pre-alone 2 train --pretrain-epochs 2; contains "$T/pre-alone.err" "needs --pretrain" "--pretrain-epochs alone refused"

echo "== contractive AE (--contractive LAMBDA)"
CAE=(train "${SMALL[@]}" --arch 784-32 --act sigmoid --latent-act sigmoid --steps 40 --quiet)
run cae 0 "${CAE[@]}" --contractive 0.5 --out "$T/cae" --save "$T/cae.aelab"
run cae-plain 0 "${CAE[@]}" --out "$T/cae0"
check "CAE: lambda saved in metrics.json's config, penalty = lambda * mean ||J||^2" \
  "j['config']['model']['contractive'] == 0.5 and abs(f['test_contractive_penalty'] - 0.5 * f['test_jacobian_sqnorm']) < 1e-6 * f['test_jacobian_sqnorm']" "$T/cae"
if /usr/bin/python3 -c "import json,sys; a=json.load(open('$T/cae/metrics.json'))['final']; b=json.load(open('$T/cae0/metrics.json'))['final']; print(a['test_jacobian_sqnorm'], b['test_jacobian_sqnorm']); sys.exit(0 if a['test_jacobian_sqnorm'] < 0.8 * b['test_jacobian_sqnorm'] else 1)" >"$T/cae.cmp"; then
  ok "CAE's mean ||J_f||^2 on test < 0.8x the plain AE's (CAE, plain: $(cat "$T/cae.cmp"))"
else bad "CAE's Jacobian norm is not smaller: $(cat "$T/cae.cmp")"; fi
contains "$T/cae.out" "encoder Jacobian, mean ||J_f(x)||_F^2" "summary prints the encoder's Jacobian norm"
run cae-eval 0 eval "$T/cae.aelab" "${SMALL[@]}" --out "$T/cae-eval"
run cae-resume-change 2 train "${SMALL[@]}" --resume "$T/cae.aelab" --contractive 0.1 --steps 60 --out "$T/x-cae"
contains "$T/cae-resume-change.err" "--contractive" "the model file keeps its lambda: changing it on --resume is refused"
run cae-neg 2 train --contractive -1;      contains "$T/cae-neg.err" "--contractive" "--contractive -1 is refused, naming the option"
run cae-nan 2 train --contractive nan;     contains "$T/cae-nan.err" "not a number" "--contractive nan is refused"
contains "$T/help-train.out" "--contractive" "help train documents --contractive"

echo "== Monte Carlo search (--opt mc --mc-*)"
run mc 0 train --data breast-cancer --arch 30-4 --batch 427 --opt mc --lr 0.05 --mc-pop 4 --mc-dist cauchy --mc-temp 1e-4 \
  --mc-bounds -3,3 --mc-tol 0.1 --mc-archive 500 --steps 150 --out "$T/mc" --save "$T/mc.aelab" --quiet
have "$T/mc" mc_intervals.csv metrics.json
contains "$T/mc.out" "weak confidence intervals" "mc prints its interval table"
check "mc: settings, 120 tracked (layer1.W) intervals in [-3, 3] with lo <= best <= hi, archive full" \
  "j['mc']['population'] == 4 and j['mc']['distribution'] == 'cauchy' and j['mc']['bounds'] == [-3, 3] and len(j['mc']['intervals']) == 120 and j['mc']['archived_samples'] == 500 and all(-3 <= r['lo'] <= r['best'] <= r['hi'] <= 3 for r in j['mc']['intervals']) and j['mc']['samples_within_tol'] >= 1 and f['train_loss'] < 1.0" "$T/mc"
[[ $(wc -l <"$T/mc/mc_intervals.csv") -eq 121 ]] && ok "mc_intervals.csv: header + 120 rows" || bad "mc_intervals.csv has $(wc -l <"$T/mc/mc_intervals.csv") lines, want 121"
run mc-resume 0 train --data breast-cancer --resume "$T/mc.aelab" --steps 160 --out "$T/mc2" --quiet
check "mc: --resume keeps the search's settings and its archive" "j['mc']['population'] == 4 and j['mc']['archived_samples'] == 500" "$T/mc2"
run mc-pop0 2 train --opt mc --mc-pop 0;           contains "$T/mc-pop0.err" "--mc-pop" "--mc-pop 0 is refused, naming the option"
run mc-dist 2 train --opt mc --mc-dist laplace;    contains "$T/mc-dist.err" "laplace" "--mc-dist laplace is refused"
run mc-box 2 train --opt mc --mc-bounds 1,-1;      contains "$T/mc-box.err" "LO < HI" "--mc-bounds 1,-1 is refused"
run mc-box1 2 train --opt mc --mc-bounds 1;        contains "$T/mc-box1.err" "LO,HI" "--mc-bounds 1 is refused"
run mc-boxnan 2 train --opt mc --mc-bounds nan,1;  contains "$T/mc-boxnan.err" "not a finite number" "--mc-bounds nan,1 is refused"
run mc-tol 2 train --opt mc --mc-tol 0;            contains "$T/mc-tol.err" "--mc-tol" "--mc-tol 0 is refused"
run mc-temp 2 train --opt mc --mc-temp -1;         contains "$T/mc-temp.err" "--mc-temp" "--mc-temp -1 is refused"
run mc-arch 2 train --opt mc --mc-archive 0;       contains "$T/mc-arch.err" "--mc-archive" "--mc-archive 0 is refused"
run mc-noopt 2 train --mc-pop 4;                   contains "$T/mc-noopt.err" "add --opt mc" "--mc-pop without --opt mc is refused"
contains "$T/help-train.out" "--mc-bounds" "help train documents --mc-bounds"

echo "== eval / encode"
run eval 0 eval "$T/m.aelab" "${SMALL[@]}" --out "$T/eval"
have "$T/eval" metrics.json reconstructions.png latent.png
run encode 0 encode "$T/m.aelab" "${SMALL[@]}" --split test --out "$T/enc"
have "$T/enc" codes.csv latent.png
[[ $(wc -l <"$T/enc/codes.csv") -eq 501 ]] && ok "codes.csv has 500 rows + header" || bad "codes.csv has $(wc -l <"$T/enc/codes.csv") lines"

echo "== compare"
run compare 0 compare "${SMALL[@]}" --k 3 --hidden 128-128 --steps 30 --out "$T/cmp"
have "$T/cmp" results.csv curves.csv metrics.json reconstructions.png latent-pca.png latent-linear.png \
  latent-elu.png models/linear.aelab models/relu.aelab
contains "$T/compare.out" "PCA-3" "compare table has the PCA row"
contains "$T/compare.out" "principal angles" "compare reports principal angles"
png_ok "$T/cmp/reconstructions.png" "$T/cmp/latent-linear.png"
have "$T/cmp" curves.png curves.svg latent-pca.svg latent-elu.svg reconstructions.svg
svg_ok "$T/cmp/latent-pca.svg" 490 "PC1 of code" "PC2 of code"
svg_ok "$T/cmp/curves.svg" 0 step "test MSE" PCA-3 "linear AE" "ELU AE"

echo "== Ctrl-C during training"
"$BIN" train "${SMALL[@]}" --arch 784-64-2 --steps 1000000 --out "$T/intr" >"$T/intr.out" 2>"$T/intr.err" &
PID=$!
for _ in $(seq 1 100); do grep -q "step" "$T/intr.err" 2>/dev/null && break; sleep 0.1; done
sleep 0.5
kill -INT $PID
wait $PID; rc=$?
[[ $rc -eq 130 ]] && ok "SIGINT -> exit 130" || bad "SIGINT -> exit $rc (expected 130)"
have "$T/intr" model.aelab curves.csv metrics.json
contains "$T/intr/metrics.json" '"status": "interrupted"' "partial results marked interrupted"
contains "$T/intr.err" "--resume" "the interrupt message says how to resume"
run intr-resume 0 eval "$T/intr/model.aelab" "${SMALL[@]}" --out "$T/intr-eval"

echo "== hostile input"
run bad-lr 2 train --lr -1;                contains "$T/bad-lr.err" "--lr" "--lr -1 names the option"
run bad-batch 2 train --batch 0;           contains "$T/bad-batch.err" "--batch" "--batch 0 names the option"
run bad-k0 2 compare --k 0;                contains "$T/bad-k0.err" "--k" "--k 0 names the option"
run bad-kbig 2 pca --k 2,785;              contains "$T/bad-kbig.err" "1..784" "--k 785 gives the range"
run bad-num 2 train --steps 12abc;         contains "$T/bad-num.err" "not a number" "bad number"
run bad-opt 2 train --lrr 0.1;             contains "$T/bad-opt.err" "did you mean --lr" "unknown option hint"
run bad-cmd 2 frobnicate
run bad-act 2 train --act wiggly;          contains "$T/bad-act.err" "wiggly" "unknown activation named"
run bad-bce 2 train --loss bce;            contains "$T/bad-bce.err" "sigmoid" "bce needs a sigmoid output"
run bad-both 2 train --steps 5 --epochs 5
run bad-data 2 train --data cifar
run bad-batchbig 2 train "${SMALL[@]}" --batch 5000 --steps 1 --out "$T/x2"
run no-data 1 pca --data-dir "$T/nowhere" --k 2 --out "$T/x3"
contains "$T/no-data.err" "scripts/setup" "missing data names scripts/setup"
run no-model 2 eval
printf 'not a model' >"$T/junk.aelab"
run junk-model 1 eval "$T/junk.aelab" "${SMALL[@]}" --out "$T/x4"
head -c 5000 "$T/m.aelab" >"$T/trunc.aelab"
run trunc-model 1 eval "$T/trunc.aelab" "${SMALL[@]}" --out "$T/x5"
cp "$T/m.aelab" "$T/flip.aelab"; printf '\x7f' | dd of="$T/flip.aelab" bs=1 seek=3000 conv=notrunc 2>/dev/null
run flip-model 1 eval "$T/flip.aelab" "${SMALL[@]}" --out "$T/x6"
contains "$T/flip-model.err" "checksum" "a flipped byte is reported as a checksum mismatch"

echo "== a bad --out fails before the data is loaded (every data command)"
printf 'x' >"$T/afile"
for c in "pca --k 2" "train --steps 5" "compare --k 2 --steps 5"; do
  set -- $c; name="badout-$1"
  "$BIN" "$@" "${SMALL[@]}" --out "$T/afile/sub" >"$T/$name.out" 2>"$T/$name.err"; rc=$?
  if [[ $rc -eq 2 ]] && grep -q -- "--out\|directory" "$T/$name.err" && ! grep -q "loaded" "$T/$name.err"; then
    ok "$1 --out under a file: exit $rc before loading data: $(head -c 100 "$T/$name.err")"
  else bad "$1 --out under a file: exit $rc, $(head -c 200 "$T/$name.err")"; fi
done

echo "== numbers are decimal only"
run bad-hex 2 train --lr 0x10;             contains "$T/bad-hex.err" "'0x10' is not a number" "--lr 0x10 (hex) is refused"
run bad-hexint 2 train --steps 0x10;       contains "$T/bad-hexint.err" "not a number" "--steps 0x10 is refused"
run bad-inf 2 train --lr inf;              contains "$T/bad-inf.err" "not a number" "--lr inf is refused"
run bad-nan 2 train --lr nan;              contains "$T/bad-nan.err" "not a number" "--lr nan is refused"
run bad-exp 2 train --lr 1e;               contains "$T/bad-exp.err" "not a number" "--lr 1e is refused"
run bad-plus 2 train --lr +0.1;            contains "$T/bad-plus.err" "decimal" "--lr +0.1 is refused, saying how to write it"
run bad-huge 2 train --lr 1e999;           contains "$T/bad-huge.err" "range of a double" "--lr 1e999 is refused"
run ok-sci 0 train "${SMALL[@]}" --arch 784-8-2 --lr 2.5e-3 --steps 2 --out "$T/x7" --quiet

echo "== eval of a model whose codes overflow float"
# craft IN OUT MODE: rewrites the "params" array of a model file (checkpoint container, see
# core/aelab/checkpoint.hpp) and its FNV-1a checksum. MODE bias20: the code layer's bias of
# the 784-64-2 model = 1e20 (finite codes whose squares are inf); all19: every parameter 1e19
# (codes inf).
craft() {
  python3 - "$@" <<'PY'
import struct, sys
src, dst, mode = sys.argv[1:4]
b = bytearray(open(src, 'rb').read())
pos = 24
while True:
    tag = bytes(b[pos:pos + 4]); n = struct.unpack_from('<Q', b, pos + 4)[0]; body = pos + 12
    if tag == b'END!': break
    if tag == b'ARRF':
        ln = struct.unpack_from('<I', b, body)[0]; name = bytes(b[body + 4:body + 4 + ln])
        cnt = struct.unpack_from('<Q', b, body + 4 + ln)[0]; at = body + 12 + ln
        if name == b'params':
            if mode == 'all19':
                for i in range(cnt): struct.pack_into('<f', b, at + 4 * i, 1e19)
            else:  # 784-64-2: W1 64x784, b1 64, W2 2x64, then b2 (the code bias)
                off = 784 * 64 + 64 + 2 * 64
                for i in range(2): struct.pack_into('<f', b, at + 4 * (off + i), 1e20)
    pos = body + n
h = 0xcbf29ce484222325
for x in b[:-8]: h = ((h ^ x) * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
struct.pack_into('<Q', b, len(b) - 8, h)
open(dst, 'wb').write(b)
PY
}
if craft "$T/m.aelab" "$T/bias20.aelab" bias20 && craft "$T/m.aelab" "$T/all19.aelab" all19; then
  run eval-bias20 0 eval "$T/bias20.aelab" "${SMALL[@]}" --out "$T/x8"
  if grep -Eq 'accuracy on test codes: (0|1)\.[0-9]{4}' "$T/eval-bias20.out"; then
    ok "codes of 1e20: the k-NN accuracy is a number in [0, 1] ($(grep -o 'accuracy on test codes: [^ ]*' "$T/eval-bias20.out"))"
  else bad "codes of 1e20: no valid accuracy"; sed 's/^/       | /' "$T/eval-bias20.out" | tail -n 4; fi
  run eval-all19 0 eval "$T/all19.aelab" "${SMALL[@]}" --out "$T/x9"
  contains "$T/eval-all19.out" "not finite" "codes of inf: eval says the codes are not finite"
else
  bad "could not craft the overflowing model files (python3)"
fi

echo
echo "cli_smoke: $PASS passed, $FAIL failed (${SECONDS}s)"
[[ $FAIL -eq 0 ]]
