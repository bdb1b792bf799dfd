#!/usr/bin/env bash
# tests/csv_smoke.sh: `--data FILE.csv` end to end, on scikit-learn's bundled CSV files (Debian's
# python3-sklearn) and on hostile files:
#   - train a 30-8-2 autoencoder on breast_cancer.csv (its first line is a count line:
#     --skip-rows 1; labels in the last column), outputs exist, metrics finite, the
#     reconstruction figure skipped with a note (30 features are not an image); eval of the saved
#     model without --data is refused (exit 2), with the same data options reproduces the test MSE;
#   - pca on wine_data.csv standardized: pca.csv finite, PC1+PC2 explain 50-60% (scikit-learn
#     on the whole set: 55.4%);
#   - the same file without --skip-rows, ragged, NaN, inf, empty-cell, empty, binary, >64 MiB,
#     too-wide and decimal-comma files: exit 1, and stderr names the file and the row / column;
#     an IDX file claiming 10^9 images in 100 bytes: exit 1; bad options: exit 2;
#   - a small labelled file written here (header, label column by name): train works;
#   - aelab classify on the built-in tables breast-cancer and wine (a data dir laid out as
#     scripts/setup makes it: tabular/*.csv): the split sizes (427/142, 133/45), test accuracy
#     and ROC AUC above floors, split.csv a partition, the codes of the 30-8-2 model above;
#     hostile: an unknown set, --on codes without --model, a model of the wrong input size,
#     pca:0, pca:999, an unknown feature set, --label-col with a built-in table, a missing table;
#     the CLI recipe course-breast-cancer (raw and pca:2 rows), an unknown recipe.
#   Without python3-sklearn (AELAB_SETUP_PACKAGES=minimal) the scikit-learn runs are skipped.
#
#   tests/csv_smoke.sh          uses build/native/native/aelab
#   AELAB_BIN=path AELAB_SKLEARN_DATA=dir tests/csv_smoke.sh
#
# Called by scripts/test after the native build. Takes a few seconds.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SK="${AELAB_SKLEARN_DATA:-/usr/lib/python3/dist-packages/sklearn/datasets/data}"
source "$ROOT/tests/lib/smoke.bash"  # smoke_init, PASS/FAIL, ok, bad
smoke_init csv_smoke --no-data        # BIN, T (removed on exit); binary checked
cd "$T"

# run NAME EXPECTED_RC PATTERN... : runs "$BIN ${CMD[@]}", checks the exit code and that stderr
# holds every PATTERN (fixed strings).
run() {
  local name=$1 want=$2; shift 2
  "$BIN" "${CMD[@]}" >out.txt 2>err.txt
  local rc=$?
  if [[ $rc -ne $want ]]; then
    bad "$name: exit $rc, expected $want"; sed 's/^/       | /' err.txt | tail -n 5; return
  fi
  local p
  for p in "$@"; do
    if ! grep -qF -- "$p" err.txt; then
      bad "$name: stderr lacks '$p'"; sed 's/^/       | /' err.txt | tail -n 5; return
    fi
  done
  ok "$name (exit $rc${*:+; stderr: $(grep -m1 -F -- "${!#}" err.txt | cut -c1-150)})"
}
# finite_json FILE KEY: "KEY": <number> is present and no value of KEY is null (non-finite).
finite_json() {
  grep -qE "\"$2\": -?[0-9]" "$1" && ! grep -qE "\"$2\": null" "$1"
}

BC="$SK/breast_cancer.csv"
if [[ -f $BC && -f $SK/wine_data.csv ]]; then
# ---- breast cancer: train, eval -------------------------------------------------------------
CMD=(train --data "$BC" --skip-rows 1 --label-col last --arch 30-8-2 --epochs 20 --out bc)
run "train 30-8-2 on breast_cancer.csv" 0 "569 rows x 30 features" "455 train / 114 test" "reconstructions.png skipped"
if [[ -f bc/model.aelab && -f bc/curves.csv && -f bc/latent.png && ! -e bc/reconstructions.png ]]; then
  ok "train wrote model.aelab curves.csv latent.png, no reconstructions.png"
else bad "train outputs: $(ls bc 2>&1 | tr '\n' ' ')"; fi
if finite_json bc/metrics.json test_mse && finite_json bc/metrics.json train_mse && finite_json bc/metrics.json knn_accuracy &&
   ! tail -n +3 bc/curves.csv | grep -qiE 'nan|inf'; then  # row 0 (step 0) has no training loss yet: nan by design
  ok "metrics.json and curves.csv (after step 0) numbers finite (test MSE $(grep -m1 -oE '"test_mse": [0-9.e-]+' bc/metrics.json | cut -d' ' -f2))"
else bad "non-finite or missing metrics"; fi
CMD=(eval bc/model.aelab --out ev)
run "eval of a CSV model without --data refused" 2 "was trained on the file $BC"
CMD=(eval bc/model.aelab --data "$BC" --skip-rows 1 --label-col last --out ev)
run "eval with the same data options" 0 "455 train / 114 test"
CMD=(train --resume bc/model.aelab --epochs 30 --out bc30)
run "resume of a CSV model without --data refused" 2 "was trained on the file $BC"
CMD=(train --resume bc/model.aelab --data "$BC" --skip-rows 1 --label-col last --epochs 30 --out bc30)
run "resume with the same data options (to 30 epochs)" 0 "455 train / 114 test"
t1=$(grep -m1 -oE '"test_mse": [0-9.e-]+' bc/metrics.json); t2=$(grep -m1 -oE '"test_mse": [0-9.e-]+' ev/metrics.json)
if [[ -n $t1 && $t1 == "$t2" ]]; then ok "eval reproduces the training run's $t1"; else bad "eval test MSE '$t2' != train '$t1'"; fi
CMD=(train --data "$BC" --label-col last --arch 30-8-2 --epochs 1 --out bc0)
run "breast_cancer.csv without --skip-rows (its count line)" 1 "$BC: row 2 has 31 fields, but row 1 has 4" "--skip-rows N"

# ---- wine: pca ----------------------------------------------------------------------------------
CMD=(pca --data "$SK/wine_data.csv" --skip-rows 1 --label-col last --scale standard --out wine)
run "pca on wine_data.csv (standardized)" 0 "178 rows x 13 features" "3 classes" "eigendigits.png and reconstructions.png skipped"
if [[ -f wine/pca.csv && -f wine/spectrum.csv ]] && ! grep -qiE 'nan|inf' wine/pca.csv wine/spectrum.csv; then
  ok "pca.csv and spectrum.csv written, finite (k = $(cut -d, -f2 wine/pca.csv | tail -n +2 | tr '\n' ' '))"
else bad "pca outputs"; fi
evr2=$(awk -F, '$1 == "2" { print $3 }' wine/pca.csv)
if awk -v v="$evr2" 'BEGIN { exit !(v > 0.50 && v < 0.60) }'; then ok "PC1+PC2 explain $evr2 of the standardized wine variance"
else bad "PC1+PC2 explained variance '$evr2' not in (0.50, 0.60)"; fi

# ---- aelab classify on the built-in tables (a data dir laid out as scripts/setup makes it) ------
mkdir -p dd/tabular && cp "$BC" "$SK/wine_data.csv" dd/tabular/
# csv_value FILE ROW-NAME COLUMN-NAME: one cell of classify.csv
csv_value() { awk -F, -v r="$2" -v c="$3" 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next } $1 == r { print $col[c] }' "$1"; }
# at_least V LO: V is a number >= LO
at_least() { awk -v v="$1" -v lo="$2" 'BEGIN { exit !(v != "" && v + 0 >= lo) }'; }
CMD=(classify --data breast-cancer --data-dir dd --scale minmax --on raw,pca:2,codes --model bc/model.aelab --out cls)  # the model was trained on minmax-scaled data
run "classify breast-cancer on raw, pca:2 and a 30-8-2 model's codes" 0 "breast-cancer = dd/tabular/breast_cancer.csv: 569 rows x 30 features" "427 train / 142 test (test fraction 0.25, split seed 1, stratified), scaling minmax"
a_raw=$(csv_value cls/classify.csv raw test_accuracy); u_raw=$(csv_value cls/classify.csv raw test_roc_auc)
a_pca=$(csv_value cls/classify.csv pca:2 test_accuracy); a_codes=$(csv_value cls/classify.csv codes test_accuracy)
if at_least "$a_raw" 0.95 && at_least "$u_raw" 0.98 && at_least "$a_pca" 0.90 && at_least "$a_codes" 0.80; then
  ok "breast-cancer test accuracy raw $a_raw (AUC $u_raw), pca:2 $a_pca, codes $a_codes"
else bad "breast-cancer accuracies raw '$a_raw' AUC '$u_raw' pca:2 '$a_pca' codes '$a_codes' below 0.95 / 0.98 / 0.90 / 0.80"; fi
if [[ $(grep -c '^train,' cls/split.csv) -eq 427 && $(grep -c '^test,' cls/split.csv) -eq 142 ]] &&
   [[ $(tail -n +2 cls/split.csv | cut -d, -f2 | sort -n | uniq | wc -l) -eq 569 ]] && grep -q '"coef"' cls/metrics.json; then
  ok "split.csv: 427 train + 142 test indices, a partition of the 569 rows; coefficients in metrics.json"
else bad "split.csv / metrics.json"; fi
CMD=(classify --data wine --data-dir dd --out clw)  # default scaling: standard
run "classify wine (3 classes)" 0 "178 rows x 13 features" "133 train / 45 test" "scaling standard fitted on the training split"
a_w=$(csv_value clw/classify.csv raw test_accuracy); u_w=$(csv_value clw/classify.csv raw test_roc_auc)
if at_least "$a_w" 0.90 && at_least "$u_w" 0.98 && grep -q "one-vs-rest macro" clw/metrics.json; then ok "wine raw test accuracy $a_w, one-vs-rest macro AUC $u_w"
else bad "wine accuracy '$a_w' / AUC '$u_w'"; fi
CMD=(classify --data wine --data-dir dd --on codes --model bc/model.aelab --out o)
run "codes of a 30-input model on wine (13 features)" 1 "takes inputs of size 30, but wine samples have 13 features"
CMD=(classify --data breast-cancer --data-dir dd --on codes --out o); run "--on codes without --model" 2 "--on codes needs --model"
CMD=(classify --data breast-cancer --data-dir dd --on pca:0 --out o); run "--on pca:0" 2 "pca:K needs"
CMD=(classify --data breast-cancer --data-dir dd --on pca:999 --out o); run "--on pca:999" 2 "larger than min(features, training samples) = 30"
CMD=(classify --data breast-cancer --data-dir dd --on raw,tsne --out o); run "--on tsne" 2 "unknown feature set 'tsne'"
CMD=(classify --data iris --data-dir dd --out o); run "unknown set --data iris" 2 "neither a data set" "breast-cancer, wine"
CMD=(classify --data breast-cancer --label-col 3 --data-dir dd --out o); run "--label-col with a built-in table" 2 "does not apply to the built-in table breast-cancer"
CMD=(classify --recipe course-breast-cancer --data-dir dd --out clr)
run "CLI recipe course-breast-cancer (standardize, PCA-2, logistic regression)" 0 "scaling standard"
if [[ $(cut -d, -f1 clr/classify.csv | tr '\n' ' ') == "features raw pca:2 " ]] && at_least "$(csv_value clr/classify.csv pca:2 test_accuracy)" 0.90; then
  ok "the recipe's rows: raw and pca:2 (test accuracy $(csv_value clr/classify.csv raw test_accuracy) -> $(csv_value clr/classify.csv pca:2 test_accuracy))"
else bad "recipe rows: $(cut -d, -f1 clr/classify.csv | tr '\n' ' ')"; fi
CMD=(classify --recipe nosuch --out o); run "unknown CLI recipe" 2 "unknown classify recipe 'nosuch' (valid: course-breast-cancer)"
CMD=(classify --recipe kernelml-breast-cancer --out o); run "a train recipe given to classify" 2 "recipe 'kernelml-breast-cancer' is for aelab train, not aelab classify"
CMD=(train --recipe kernelml-breast-cancer --data-dir dd --steps 300 --out kml)
run "CLI recipe kernelml-breast-cancer (KernelML power layer, Monte Carlo search)" 0 "breast-cancer"
if grep -q "layer1.alpha" kml/mc_intervals.csv && grep -q "layer1.beta" kml/mc_intervals.csv && grep -q '"extra_params"' kml/metrics.json; then
  ok "its intervals track the power layer's alpha and beta (mc_intervals.csv), metrics.json has extra_params"
else bad "kernelml recipe outputs: $(head -3 kml/mc_intervals.csv 2>/dev/null | tr '\n' ' ')"; fi
CMD=(train --recipe kernelml-breast-cancer --opt adam --lr 0.01 --data-dir dd --steps 200 --out kmla)
run "the KernelML recipe by back-propagation: --opt adam drops the recipe's --mc-* options" 0 "breast-cancer"
CMD=(recipes --cli); "$BIN" "${CMD[@]}" >out.txt 2>err.txt
if grep -qx "kernelml-breast-cancer  KernelML AE, Monte Carlo  (aelab train)" out.txt && grep -q "^course-breast-cancer .*(aelab classify)$" out.txt; then
  ok "aelab recipes --cli lists the CLI recipes with their commands"
else bad "aelab recipes --cli: $(tr '\n' '|' <out.txt)"; fi
CMD=(classify --data wine --data-dir nowhere --out o); run "built-in table missing" 1 "nowhere/tabular/wine_data.csv, which does not exist: run scripts/setup"
else
  echo "  skip scikit-learn's breast_cancer.csv / wine_data.csv runs: not in $SK (Debian package python3-sklearn;"
  echo "       scripts/setup installs it unless AELAB_SETUP_PACKAGES=minimal)"
fi

# ---- a small labelled file of our own (always) ----------------------------------------------
awk 'BEGIN { srand(3); print "x1,x2,x3,x4,kind";
  for (i = 0; i < 200; i++) { c = i % 2; printf "%.4f,%.4f,%.4f,%.4f,%s\n", c + rand(), rand(), 2 * c - rand(), rand() * 3, (c ? "yes" : "no") } }' >own.csv
CMD=(train --data own.csv --label-col kind --scale standard --arch 4-3-2 --epochs 5 --batch 20 --out own)
run "train 4-3-2 on a labelled file with a header, label column by name" 0 "200 rows x 4 features" "header row 1" "'kind' (2 classes)" "160 train / 40 test"
if finite_json own/metrics.json test_mse && [[ -f own/latent.png ]]; then ok "own.csv: finite test MSE, latent.png"; else bad "own.csv outputs"; fi

# ---- hostile files ------------------------------------------------------------------------------
printf 'a,b\n1,2\n3\n' >ragged.csv
printf 'a,b\n1,2\n3,NaN\n' >nan.csv
printf 'a,b\n1,inf\n3,4\n' >inf.csv
printf 'a,b\n1,\n3,4\n' >emptycell.csv
: >empty.csv
printf 'a;b\n1;2,5\n3;4\n' >decimalcomma.csv
head -c 3000 "$BIN" >binary.csv
truncate -s 65M huge.csv   # sparse: the size alone is over the limit, nothing is read
awk 'BEGIN { for (i = 0; i < 20000; i++) printf "%s1", (i ? "," : ""); print "" }' >wide.csv
CMD=(pca --data ragged.csv --out o); run "ragged rows" 1 "ragged.csv: row 3 has 1 fields, but row 1 has 2"
CMD=(pca --data nan.csv --out o); run "NaN cell" 1 "nan.csv: row 3, column 2: 'NaN' is not a finite number"
CMD=(pca --data inf.csv --out o); run "inf cell" 1 "inf.csv: row 2, column 2: 'inf' is not a finite number"
CMD=(pca --data emptycell.csv --out o); run "empty cell" 1 "emptycell.csv: row 2, column 2: empty cell"
CMD=(pca --data empty.csv --out o); run "empty file" 1 "empty.csv: the file is empty"
CMD=(pca --data decimalcomma.csv --out o); run "decimal comma" 1 "decimalcomma.csv: row 2, column 2: '2,5' is not a number (write a decimal point"
CMD=(pca --data binary.csv --out o); run "binary file" 1 "binary.csv: row 1, column 1: control character"
CMD=(pca --data huge.csv --out o); run "65 MiB file (size claim over the limit)" 1 "huge.csv: the file has 68157440 bytes; the CSV limit is 64 MiB"
CMD=(pca --data wide.csv --out o); run "20,000 fields in a row" 1 "wide.csv: row 1 has more than 10000 fields"
printf '1,2,0\n3,4,1\n5,6,1\n' >noheader.csv
CMD=(train --data noheader.csv --label-col diagnosis --arch 2-1 --out o); run "label column name without a header" 1 "noheader.csv: label column 'diagnosis' is a name, but the file has no header row"
CMD=(train --data own.csv --label-col species --arch 4-2 --out o); run "label column name not in the header" 1 "own.csv: no column named 'species' in the header ('x1', 'x2'"
printf '\0\0\x08\x03\x3b\x9a\xca\x00\0\0\0\x1c\0\0\0\x1c' >claim-images-idx3-ubyte
head -c 84 /dev/zero >>claim-images-idx3-ubyte
CMD=(pca --data claim-images-idx3-ubyte --out o); run "IDX file claiming 10^9 images in 100 bytes" 1 "claim-images-idx3-ubyte:"
CMD=(train --data own.csv --test-fraction 0 --out o); run "--test-fraction 0" 2 "--test-fraction"
CMD=(train --data own.csv --scale zscore --out o); run "--scale zscore" 2 "--scale"
CMD=(train --data notes.txt --out o); run "--data notes.txt" 2 "neither a data set"
CMD=(train --label-col 1 --out o); run "--label-col with MNIST" 2 "--label-col applies to a data file"
if [[ -e o/model.aelab ]]; then bad "a refused run wrote a model"; else ok "no refused run wrote a model"; fi

echo "csv_smoke: $PASS passed, $FAIL failed in ${SECONDS}s"
[[ $FAIL -eq 0 ]]
