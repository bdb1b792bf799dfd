#!/usr/bin/env bash
# tests/recipes_smoke.sh: the recipes (assets/recipes/*.txt) in the CLI, end to end.
#   * `aelab recipes` lists every recipe file, one per line, key first, then the title;
#   * `aelab train --recipe course-geron3d` trains Géron's 3-2-3 linear AE on his 60 points
#     (SGD lr 1.5, batch 32, 20 epochs) and lands near PCA's MSE; explicit options override
#     the recipe; the old key course-curved3d still works with a note;
#   * `--recipe nosuch` exits 2 listing the valid keys; `--recipe` twice exits 2;
#   * the stacked SELU and the Gaussian denoising recipes on a small part of Fashion-MNIST
#     (1 epoch): the course's validation split, the rounded accuracy, noisy-input figures;
#   * the course's 2-D Gaussian: numpy's np.random.seed(0) sample (eigenvalues 5.1835, 0.7425),
#     --mu / --cov / --npseed change it (and the printed eigenvalues, as numpy's), bad ones exit 2;
#   * every recipe trains 2 steps on a tiny subset through `aelab train --recipe`.
#
#   tests/recipes_smoke.sh        uses build/native/native/aelab and data/ (scripts/setup)
#   AELAB_BIN=path AELAB_DATA_DIR=dir tests/recipes_smoke.sh
# Called by scripts/test after the native build. Takes a few seconds.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/tests/lib/smoke.bash"  # smoke_init, PASS/FAIL, ok, bad
smoke_init recipes_smoke              # BIN, DATA, T (removed on exit); binary and MNIST checked
[[ -f $DATA/fashion/train-images-idx3-ubyte ]] || { echo "recipes_smoke: no Fashion-MNIST in $DATA/fashion (run scripts/setup)"; exit 1; }
PY=/usr/bin/python3


# ---- aelab recipes ----------------------------------------------------------------------
if run recipes 0 recipes; then
  n_files=$(ls "$ROOT"/assets/recipes/*.txt | wc -l)
  n_lines=$(wc -l <"$T/recipes.out")
  [[ $n_files -eq $n_lines ]] && ok "one line per recipe file ($n_lines)" || bad "$n_lines lines for $n_files recipe files"
  missing=""
  for f in "$ROOT"/assets/recipes/*.txt; do
    key=$(basename "$f" .txt)
    title=$(sed -n 's/^title: *//p' "$f")
    grep -qxF -- "$key  $title" "$T/recipes.out" || missing+=" $key"
  done
  [[ -z $missing ]] && ok "every line is 'key  title' of its file" || bad "lines missing or wrong for:$missing"
fi

# ---- Géron's linear AE on his 3-D data ------------------------------------------------------
if run geron 0 train --recipe course-geron3d --out "$T/geron"; then
  check "course-geron3d: 3-2-3, sgd lr 1.5, batch 32, seed 42, 20 epochs = 20 steps of 60 points" \
    "j['config']['arch']=='3-2-3' and j['config']['optimizer']['opt']=='sgd' and j['config']['optimizer']['lr']==1.5 and j['config']['batch']==32 and j['config']['seed']==42 and j['final']['step']==20 and j['data']['train_size']==60" "$T/geron"
  # PCA's best plane leaves MSE 0.003390 (sklearn on the same 60 points); 20 SGD steps come within 15%.
  check "course-geron3d: test MSE in [0.00339, 0.0039] (PCA's bound 0.00339)" \
    "0.00339 <= j['final']['test_mse'] <= 0.0039" "$T/geron"
  [[ -s $T/geron/latent.png ]] && ok "course-geron3d: codings plot latent.png" || bad "no latent.png"
fi
if run override 0 train --recipe course-geron3d --epochs 3 --lr 0.5 --out "$T/over"; then
  check "explicit --epochs 3 --lr 0.5 override the recipe (3 steps, lr 0.5, still sgd)" \
    "j['final']['step']==3 and j['config']['optimizer']['lr']==0.5 and j['config']['optimizer']['opt']=='sgd'" "$T/over"
fi
if run alias 0 train --recipe=course-curved3d --epochs 1 --out "$T/alias"; then
  grep_ok "old key course-curved3d: a note names the new key" "now called 'curved-band3d'" "$T/alias.err"
  check "old key course-curved3d trains the curved band (2000 points, 3-2-3)" \
    "j['data']['train_size']==2000 and j['config']['arch']=='3-2-3'" "$T/alias"
fi

# ---- the course's 2-D Gaussian: numpy's sample, --mu / --cov / --npseed ------------------------
# np.random.seed(0); X = np.random.multivariate_normal((-1, 2), [[4, 2], [2, 2]], 10000):
# np.linalg.eigvalsh(np.cov(X.T)) = 0.7425, 5.1835; with seed 42 and cov [[4, -1], [-1, 1]],
# mean (0, 0): 0.6878, 4.3998 (numbers from /usr/bin/python3 numpy, checked below when numpy runs).
if run gauss 0 train --recipe course-gauss2d --epochs 1 --out "$T/gauss"; then
  grep_ok "course-gauss2d prints the course's np.random.seed(0) sample" "np.random.seed(0); np.random.multivariate_normal((-1, 2), \[\[4, 2\], \[2, 2\]\], 10000)" "$T/gauss.out"
  grep_ok "course-gauss2d: eigenvalues 5.1835, 0.7425 (numpy's)" "eigenvalues       5.1835, 0.7425" "$T/gauss.out"
  check "metrics.json data.gauss2d: npseed 0, eigenvalues 5.1835, 0.7425" \
    "j['data']['gauss2d']['npseed']==0 and abs(j['data']['gauss2d']['eigenvalues'][0]-5.18353)<1e-4 and abs(j['data']['gauss2d']['eigenvalues'][1]-0.742521)<1e-4" "$T/gauss"
fi
if run gauss_cov 0 train --recipe course-gauss2d --epochs 1 --mu 0,0 --cov 4,-1,-1,1 --npseed 42 --out "$T/gauss_cov"; then
  grep_ok "--mu 0,0 --cov 4,-1,-1,1 --npseed 42 reach the sample" "np.random.seed(42); np.random.multivariate_normal((0, 0), \[\[4, -1\], \[-1, 1\]\], 10000)" "$T/gauss_cov.out"
  grep_ok "--cov changes the printed eigenvalues (4.3998, 0.6878)" "eigenvalues       4.3998, 0.6878" "$T/gauss_cov.out"
  grep_ok "--cov: PC1 slope negative" "PC1 slope -0.3011" "$T/gauss_cov.out"
fi
if "$PY" -c "import numpy" 2>/dev/null; then
  want=$("$PY" -c "
import numpy as np
np.random.seed(42); X = np.random.multivariate_normal((0, 0), [[4, -1], [-1, 1]], 10000)
w = np.linalg.eigvalsh(np.cov(X.T)); print('eigenvalues       %.4f, %.4f' % (w[1], w[0]))")
  grep_ok "numpy itself prints the same eigenvalues ($want)" "$want" "$T/gauss_cov.out"
fi
run gauss_asym 2 train --recipe course-gauss2d --epochs 1 --cov 4,2,1,2 --out "$T/gauss_asym" &&
  grep_ok "--cov 4,2,1,2: not symmetric" "must be symmetric" "$T/gauss_asym.err"
run gauss_notpsd 2 train --recipe course-gauss2d --epochs 1 --cov 1,2,1 --out "$T/gauss_notpsd" &&
  grep_ok "--cov 1,2,1: not a covariance (|correlation| > 1)" "not a covariance" "$T/gauss_notpsd.err"
run gauss_nan 2 train --recipe course-gauss2d --epochs 1 --mu nan,1 --out "$T/gauss_nan" &&
  grep_ok "--mu nan,1 refused" "the mean is two numbers" "$T/gauss_nan.err"
run gauss_other 2 train --recipe course-geron3d --epochs 1 --cov 1,0,1 --out "$T/gauss_other" &&
  grep_ok "--cov with another data set: refused" "sets the 2-D Gaussian of --data gauss2d, not of geron3d" "$T/gauss_other.err"

# ---- bad usage ----------------------------------------------------------------------------------
if run nosuch 2 train --recipe nosuch --out "$T/nosuch"; then
  grep_ok "--recipe nosuch: message lists the valid keys" "unknown recipe 'nosuch' (valid: linear-mnist, " "$T/nosuch.err"
  grep_ok "--recipe nosuch: course-geron3d among them" "course-geron3d" "$T/nosuch.err"
  [[ ! -e $T/nosuch ]] && ok "--recipe nosuch: nothing written" || bad "--recipe nosuch created $T/nosuch"
fi
run twice 2 train --recipe course-geron3d --recipe swissroll --out "$T/twice" && grep_ok "--recipe twice: said so" "given twice" "$T/twice.err"
run novalue 2 train --recipe && grep_ok "--recipe without a key: said so" "needs a value" "$T/novalue.err"
run help 0 help train && grep_ok "aelab help train documents --recipe" "--recipe KEY" "$T/help.out"

# ---- Fashion-MNIST course recipes, small ------------------------------------------------------
SMALL=(--limit-train 2000 --limit-test 500 --epochs 1)
if run selu 0 train --recipe course-stacked-selu "${SMALL[@]}" --out "$T/selu"; then
  check "stacked SELU: 784-100-30-100-784, bce, sgd lr 1.5, validation split 5000 (limited to 500)" \
    "j['config']['arch']=='784-100-30-100-784' and j['config']['model']['loss']=='bce' and j['config']['optimizer']['lr']==1.5 and j['config']['valid']==5000 and j['data']['test_size']==500 and j['data']['train_size']==2000" "$T/selu"
  check "stacked SELU: rounded accuracy reported, in (0.5, 1]" \
    "0.5 < j['final']['test_rounded_accuracy'] <= 1 and 0.5 < j['final']['train_rounded_accuracy'] <= 1" "$T/selu"
  grep_ok "stacked SELU: the summary names the validation set" "rounded accuracy (round(x) == round(x_hat)): train" "$T/selu.out"
  grep_ok "stacked SELU: the split is announced" "validation split: the first 55000 training images train" "$T/selu.err"
fi
# The CLI-only layer-wise recipe (assets/cli-recipes/layerwise-mnist.txt), on a subset: 3
# phases of 1 epoch, then 1 epoch of fine-tuning (explicit --epochs wins, pretraining stays).
if run layerwise 0 train --recipe layerwise-mnist --limit-train 2000 --limit-test 500 --epochs 4 --out "$T/layerwise"; then
  check "layer-wise recipe: 784-256-64-2, 3 pretraining phases of 1 epoch, 1 epoch of fine-tuning" \
    "j['config']['arch']=='784-256-64-2-64-256-784' and j['pretrain']['method']=='layerwise' and len(j['pretrain']['phases'])==3 and j['pretrain']['finetune_epochs']==1 and math.isfinite(f['test_mse'])" "$T/layerwise"
fi
if run denoise 0 train --recipe course-denoise-gauss "${SMALL[@]}" --out "$T/denoise"; then
  check "denoising: gaussian noise 0.2, sgd lr 1" \
    "j['config']['model']['noise']=='gaussian' and j['config']['model']['noise_level']==0.2 and j['config']['optimizer']['lr']==1" "$T/denoise"
  [[ -s $T/denoise/reconstructions.png ]] && ok "denoising: reconstructions.png (with the noisy inputs)" || bad "no reconstructions.png"
fi

# ---- every recipe runs in the CLI (2 steps on a tiny subset; a table's whole split) ----------------
failed=""
n=0
for f in "$ROOT"/assets/recipes/*.txt; do
  key=$(basename "$f" .txt); n=$((n + 1))
  # A layer-wise recipe counts its budget in epochs (--steps is refused with --pretrain): 3
  # phases and 1 fine-tuning epoch of 2 steps each on the 200 images.
  budget=(--steps 2); grep -q 'pretrain=layerwise' "$f" && budget=(--epochs 4)
  # The tables (breast cancer: 427 training rows) are small: a table recipe may take them all in
  # one batch, so it runs on its whole split.
  limits=(--limit-train 200 --limit-test 100); grep -Eq 'dataset=(breast-cancer|wine)' "$f" && limits=()
  "$BIN" train --recipe "$key" "${budget[@]}" "${limits[@]}" --quiet --out "$T/all-$key" \
    >"$T/all-$key.out" 2>"$T/all-$key.err" && [[ -s $T/all-$key/metrics.json ]] || failed+=" $key"
done
[[ -z $failed ]] && ok "every recipe ($n) trains 2 steps through aelab train --recipe" || bad "recipes that failed in the CLI:$failed"

echo "recipes_smoke: $PASS passed, $FAIL failed (${SECONDS}s)"
[[ $FAIL -eq 0 ]]
