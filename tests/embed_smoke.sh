#!/usr/bin/env bash
# tests/embed_smoke.sh: `aelab embed` end to end on small MNIST subsets:
#   t-SNE, kernel PCA (exact and Nystrom) and PCA of 600 test images' pixels, and t-SNE of
#   the codes of a 784-32-2 model trained for 60 steps by `aelab train`: exit 0, the CSV has
#   a header and one row per point, the PNG and SVG exist and the PNG starts with the PNG
#   signature, metrics.json has the KL divergence, kl_exact and the 5-NN accuracy; t-SNE of
#   separable pixels scores above 0.7; the same seed gives byte-identical CSVs; bad options
#   exit 2 with a message (unknown method, --of codes without --model, perplexity above the
#   number of points, --components 3 with tsne, a model file that is not a model: exit 1).
#
#   tests/embed_smoke.sh          uses build/native/native/aelab and data/ (scripts/setup)
#   AELAB_BIN=path AELAB_DATA_DIR=dir tests/embed_smoke.sh
#
# Called by scripts/test after the native build. Takes about 15-30 s on 2 cores.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/tests/lib/smoke.bash"  # smoke_init, PASS/FAIL, ok, bad
smoke_init embed_smoke                # BIN, DATA, T (removed on exit)
export OPENBLAS_NUM_THREADS=1
SMALL=(--quiet --limit-test 600 --limit-train 1000)

# run NAME EXPECTED_RC ARGS...: runs aelab embed, checks the exit code
run() {
  local name=$1 want=$2; shift 2
  "$BIN" embed "$@" >"$T/$name.out" 2>"$T/$name.err"
  local rc=$?
  if [[ $rc -eq $want ]]; then ok "$name: exit $rc"; else bad "$name: exit $rc, expected $want"; tail -n 5 "$T/$name.err" | sed 's/^/       | /'; fi
}
# outputs DIR N: the files of a successful run
outputs() {
  local d=$1 n=$2
  if [[ -f $d/embedding.csv && $(head -n 1 "$d/embedding.csv") == index,label,c1,c2* ]]; then ok "$d: CSV header"; else bad "$d: CSV header"; fi
  local rows; rows=$(($(wc -l <"$d/embedding.csv") - 1))
  if [[ $rows -eq $n ]]; then ok "$d: $rows rows"; else bad "$d: $rows rows, expected $n"; fi
  if [[ $(head -c 4 "$d/embedding.png" | od -An -tx1 | tr -d ' ') == 89504e47 ]]; then ok "$d: PNG"; else bad "$d: embedding.png is not a PNG"; fi
  if grep -q "<svg" "$d/embedding.svg" 2>/dev/null; then ok "$d: SVG"; else bad "$d: no embedding.svg"; fi
  if grep -q '"knn_accuracy"' "$d/metrics.json"; then ok "$d: metrics.json has knn_accuracy"; else bad "$d: metrics.json"; fi
}
json_num() { /usr/bin/python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['result'][sys.argv[2]])" "$1" "$2"; }

run tsne 0 "${SMALL[@]}" --method tsne --perplexity 20 --iters 400 --thumbnails 20 --out "$T/tsne"
outputs "$T/tsne" 600
acc=$(json_num "$T/tsne/metrics.json" knn_accuracy)
kl=$(json_num "$T/tsne/metrics.json" kl_divergence)
exact=$(json_num "$T/tsne/metrics.json" kl_exact)
if /usr/bin/python3 -c "import sys; sys.exit(0 if float('$acc') > 0.7 and 0 < float('$kl') < 5 else 1)"; then
  ok "tsne of pixels: 5-NN accuracy $acc > 0.7, KL $kl (exact normaliser: $exact)"
else bad "tsne of pixels: 5-NN accuracy $acc, KL $kl"; fi
if grep -q "thumbnails" "$T/tsne.out"; then ok "thumbnails drawn ($(grep -o '[0-9]* thumbnails' "$T/tsne.out"))"; else bad "no thumbnails reported"; fi
run tsne_again 0 "${SMALL[@]}" --method tsne --perplexity 20 --iters 400 --out "$T/tsne2"
if cmp -s "$T/tsne/embedding.csv" "$T/tsne2/embedding.csv"; then ok "same seed: identical embedding.csv"; else bad "same seed gave different CSVs"; fi

run kpca 0 "${SMALL[@]}" --method kpca --kernel rbf --gamma 0.02 --components 3 --out "$T/kpca"
outputs "$T/kpca" 600
if [[ $(head -n 1 "$T/kpca/embedding.csv") == index,label,c1,c2,c3 ]]; then ok "kpca: 3 components"; else bad "kpca: header $(head -n 1 "$T/kpca/embedding.csv")"; fi
run nystrom 0 "${SMALL[@]}" --method kpca --nystrom 200 --out "$T/ny"
if grep -q nystrom_trace_error "$T/ny/metrics.json"; then ok "nystrom: trace error $(json_num "$T/ny/metrics.json" nystrom_trace_error) stated"; else bad "nystrom: no trace error"; fi
run pca 0 "${SMALL[@]}" --method pca --split train --out "$T/pca"
outputs "$T/pca" 1000

"$BIN" train --quiet --limit-train 1000 --limit-test 600 --arch 784-32-2 --steps 60 --out "$T/train" --save "$T/m.aelab" >/dev/null 2>"$T/train.err"
if [[ $? -eq 0 && -f $T/m.aelab ]]; then ok "aelab train wrote a model"; else bad "aelab train failed"; tail -n 5 "$T/train.err"; fi
run codes 0 "${SMALL[@]}" --method tsne --of codes --model "$T/m.aelab" --perplexity 15 --iters 300 --out "$T/codes"
outputs "$T/codes" 600
if grep -q '"input_dim": 2' "$T/codes/metrics.json"; then ok "codes: t-SNE ran on the 2-D codes"; else bad "codes: input_dim is not 2"; fi

run bad_method 2 "${SMALL[@]}" --method umap --out "$T/x1"
run codes_without_model 2 "${SMALL[@]}" --of codes --out "$T/x2"
run perplexity_too_large 2 --quiet --limit-test 50 --perplexity 60 --out "$T/x3"
if grep -q "perplexity" "$T/perplexity_too_large.err"; then ok "the message names the perplexity"; else bad "no perplexity message"; fi
run tsne_3d 2 "${SMALL[@]}" --components 3 --out "$T/x4"
run bad_kernel 2 "${SMALL[@]}" --method kpca --kernel gauss --out "$T/x5"
echo "not a model" >"$T/junk.aelab"
run junk_model 1 "${SMALL[@]}" --of codes --model "$T/junk.aelab" --out "$T/x6"
if grep -q "cannot load model" "$T/junk_model.err"; then ok "junk model: 'cannot load model'"; else bad "junk model message"; fi
run help 0 --help
if grep -q "perplexity" "$T/help.out"; then ok "aelab embed --help lists --perplexity"; else bad "help text"; fi

echo "embed_smoke: $PASS passed, $FAIL failed (${SECONDS}s)"
[[ $FAIL -eq 0 ]]
