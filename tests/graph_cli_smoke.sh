#!/usr/bin/env bash
# tests/graph_cli_smoke.sh: layer-graph models (conv AE, VAE) in the CLI, end to end.
#   * the course's conv AE (graph --arch) trains a few steps with BCE; metrics.json says
#     model_kind graph; `aelab eval` of its model file gives the same test MSE; `aelab encode`
#     writes its 576-D codes;
#   * a dense VAE (--model vae --arch 784-64-2) with --iwae and --snapshots: the JSON fields
#     test_elbo_mean, test_elbo, test_recon, test_kl, iwae (and ELBO = -(recon + KL)), the
#     figures prior_samples.png, latent_traversal.png, snapshots.png; `aelab eval --iwae`;
#   * an interrupted-and-resumed VAE (10 + 10 steps through --save / --resume) ends with the
#     same parameters (FNV-1a of the bytes, from `aelab eval`) as 20 steps in one run;
#   * hostile architecture strings and absurd values exit 2 with a message naming the problem;
#   * KernelML's kp/km layers train on breast-cancer: final.extra_params (constrained alpha,
#     beta), the summary's table, the model file's round-trip through `aelab eval`, and
#     hostile transforms (unknown, lo >= hi, a non-positive power base) exit 2;
#   * the recipes vae-paper-k5 and course-conv-ae give the models and optimizers of models10.md;
#   * `aelab compare --models linear,vae` has a VAE row with its ELBO and snapshot montages.
#
#   tests/graph_cli_smoke.sh      uses build/native/native/aelab and data/ (scripts/setup)
#   AELAB_BIN=path AELAB_DATA_DIR=dir tests/graph_cli_smoke.sh
# Called by scripts/test after the native build. Takes about a minute on a loaded machine.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/tests/lib/smoke.bash"  # smoke_init, PASS/FAIL, ok, bad
smoke_init graph_cli_smoke            # BIN, DATA, T (removed on exit); binary and MNIST checked
PY=/usr/bin/python3
CONV='r1x28x28,c16k3same-selu,p2,c32k3same-selu,p2,c64k3same-selu,p2|t32k3s2valid-selu,t16k3s2same-selu,t1k3s2same-sigmoid,flatten'
SMALL=(--limit-train 500 --limit-test 200 --quiet)

files_ok() {  # files_ok WHAT DIR FILE...
  local what=$1 dir=$2 missing=""; shift 2
  for f in "$@"; do [[ -s $dir/$f ]] || missing+=" $f"; done
  [[ -z $missing ]] && ok "$what" || bad "$what: missing$missing"
}

# ---- the course's conv AE ------------------------------------------------------------------
if run conv 0 train --arch "$CONV" --loss bce --opt sgd --lr 1 --batch 32 --steps 4 "${SMALL[@]}" --out "$T/conv"; then
  check "conv AE: model_kind graph, the canonical arch, BCE mean per value, finite test MSE" \
    "j['config']['model_kind']=='graph' and j['config']['arch'].startswith('r1x28x28,c16k3s1same-selu') and j['config']['model']['recon_reduction']=='mean_per_value' and math.isfinite(f['test_mse'])" "$T/conv"
  files_ok "conv AE: model file, curves, reconstructions, latent scatter, filters and feature maps" "$T/conv" model.aelab curves.csv reconstructions.png latent.png filters.png feature_maps.png filters.svg feature_maps.svg
  if run conv-eval 0 eval "$T/conv/model.aelab" "${SMALL[@]}" --out "$T/conv-eval"; then
    "$PY" -c "import json,sys; a=json.load(open('$T/conv/metrics.json'))['final']; b=json.load(open('$T/conv-eval/metrics.json'))['final']; sys.exit(0 if abs(a['test_mse']-b['test_mse'])<=1e-9*max(1,a['test_mse']) else 1)" \
      && ok "conv AE: aelab eval of the saved file gives the training run's test MSE" || bad "conv AE: eval's test MSE differs from train's"
  fi
  if run conv-encode 0 encode "$T/conv/model.aelab" "${SMALL[@]}" --out "$T/conv-enc"; then
    head -n 1 "$T/conv-enc/codes.csv" | grep -q ',z576$' && ok "conv AE: encode writes 576-D codes" || bad "conv AE: codes.csv header is $(head -c 80 "$T/conv-enc/codes.csv")"
  fi
fi

# ---- a dense VAE with --iwae and --snapshots -------------------------------------------------
if run vae 0 train --model vae --arch 784-64-2 --steps 10 --iwae 5 --snapshots 5,10 "${SMALL[@]}" --out "$T/vae"; then
  check "VAE: the mirrored arch, kind vae, recon summed per image" \
    "j['config']['arch']=='d64-elu,g2|d64-elu,d784-sigmoid' and j['config']['model_kind']=='vae' and j['config']['model']['recon_reduction']=='sum_per_image'" "$T/vae"
  check "VAE: test_elbo_mean = -(recon + KL) of the mean code, sampled ELBO, KL > 0, recon in nats (> 10)" \
    "abs(f['test_elbo_mean'] + f['test_recon_mean_code'] + f['test_kl_mean_code']) < 1e-6*abs(f['test_elbo_mean']) and abs(f['test_elbo'] + f['test_recon'] + f['test_kl']) < 1e-6*abs(f['test_elbo']) and f['test_kl'] > 0 and f['test_recon'] > 10" "$T/vae"
  check "VAE: iwae with K = 5 present, timed, and not below the sampled ELBO by more than 1 nat" \
    "f['iwae_k']==5 and f['iwae_seconds']>=0 and f['iwae'] > f['test_elbo'] - 1" "$T/vae"
  check "VAE: snapshots taken at steps 5 and 10" "f['snapshot_steps']==[5,10]" "$T/vae"
  files_ok "VAE: prior_samples.png, latent_traversal.png, snapshots.png (and SVGs)" "$T/vae" \
    prior_samples.png latent_traversal.png snapshots.png prior_samples.svg latent_traversal.svg snapshots.svg
  grep_ok "VAE: the summary table prints ELBO, recon, KL" "one sampled code per image" "$T/vae.out"
  if run vae-embed 0 embed --method pca --of codes --model "$T/vae/model.aelab" "${SMALL[@]}" --out "$T/vae-embed"; then
    files_ok "VAE: aelab embed --of codes reads a graph model file (its mean codes)" "$T/vae-embed" embedding.csv embedding.png
  fi
  if run vae-eval 0 eval "$T/vae/model.aelab" --iwae 3 "${SMALL[@]}" --out "$T/vae-eval"; then
    check "VAE: aelab eval reports the same mean-code ELBO and an IWAE bound" \
      "abs(f['test_elbo_mean'] - json.load(open('$T/vae/metrics.json'))['final']['test_elbo_mean']) < 1e-9*abs(f['test_elbo_mean']) and f['iwae_k']==3" "$T/vae-eval"
  fi
fi

# ---- exact resume of a VAE (eps drawn from the trainer's stream must replay) ---------------------
V=(--model vae --arch 784-32-2 --batch 50 "${SMALL[@]}")
run vae-20 0 train "${V[@]}" --steps 20 --out "$T/v20"
run vae-10 0 train "${V[@]}" --steps 10 --save "$T/v10.aelab" --out "$T/v10"
run vae-resume 0 train --resume "$T/v10.aelab" --steps 20 "${SMALL[@]}" --out "$T/vres"
run vae-fp-a 0 eval "$T/v20/model.aelab" "${SMALL[@]}" --out "$T/fpa"
run vae-fp-b 0 eval "$T/vres/model.aelab" "${SMALL[@]}" --out "$T/fpb"
if [[ -s $T/fpa/metrics.json && -s $T/fpb/metrics.json ]]; then
  a=$("$PY" -c "import json; print(json.load(open('$T/fpa/metrics.json'))['config']['params_fnv1a64'])")
  b=$("$PY" -c "import json; print(json.load(open('$T/fpb/metrics.json'))['config']['params_fnv1a64'])")
  [[ $a == "$b" ]] && ok "VAE: 10 + 10 resumed steps end bitwise equal to 20 steps ($a)" || bad "VAE resume not exact: $a vs $b"
fi
run resume-change 2 train --resume "$T/v10.aelab" --arch 784-16-2 --model vae --steps 20 "${SMALL[@]}" --out "$T/vbad"
grep_ok "resume with another architecture: says so" "describe another one" "$T/resume-change.err"

# ---- hostile architecture strings and values -------------------------------------------------
hostile() {  # hostile NAME PATTERN-IN-STDERR ARGS...
  local name=$1 pat=$2; shift 2
  if run "$name" 2 train "$@" --steps 1 "${SMALL[@]}" --out "$T/$name"; then grep_ok "$name: message" "$pat" "$T/$name.err"; fi
}
hostile bad-kernel "k99" --arch 'r1x28x28,c16k99'
hostile bad-token "zz9" --arch 'r1x28x28,zz9,flatten'
hostile empty-token "arch" --arch 'd5,,d3'
hostile huge-layer "d2000000000" --arch 'd2000000000,d784'
hostile wrong-reshape "r2x28x28" --arch 'r2x28x28,c1k3-sigmoid,flatten'
hostile vae-without-code "Gaussian code" --model vae --arch "$CONV"
hostile ae-with-code "use --model vae" --model ae --arch 'd16-elu,g2|d16-elu,d784-sigmoid'
hostile tied-graph "belongs to dense" --arch "$CONV" --tied
hostile noise-vae "belongs to dense" --model vae --noise gaussian
hostile beta-ae "no Gaussian code" --arch "$CONV" --beta 2
hostile beta-range "beta" --model vae --beta 1e9
hostile beta-dense "KL weight" --arch 784-32-2 --beta 2
hostile iwae-dense "needs a VAE" --iwae 5
hostile iwae-zero "iwae" --model vae --iwae 0
hostile snapshots-zero "snapshots" --model vae --snapshots 0,5
hostile bce-linear-out "sigmoid" --arch 'd32-elu|d784' --loss bce

# ---- KernelML's parametric layers (kp power form, km mean-coupled form) on breast-cancer ------------
KML='kp16-softplus[alpha=exp],km4[beta=sig(0,4)]|km16-elu[alpha=softplus],d30'
if run kml 0 train --data breast-cancer --arch "$KML" --steps 40 --batch 32 --quiet --out "$T/kml"; then
  check "kml: canonical arch kept; final.extra_params has layer1..3 alpha/beta with their transforms, finite and in range" \
    "j['config']['arch']=='$KML' and [e['name'] for e in f['extra_params']]==['layer1.alpha','layer1.beta','layer2.alpha','layer2.beta','layer3.alpha','layer3.beta'] and f['extra_params'][0]['transform']=='exp' and f['extra_params'][0]['value']>0 and 0<f['extra_params'][3]['value']<4 and f['extra_params'][4]['value']>0 and all(math.isfinite(e['value']) for e in f['extra_params']) and math.isfinite(f['test_mse'])" "$T/kml"
  grep_ok "kml: the summary prints the extra-parameter table" "layer2   beta   sig(0,4)" "$T/kml.out"
  if run kml-eval 0 eval "$T/kml/model.aelab" --data breast-cancer --quiet --out "$T/kml-eval"; then
    "$PY" -c "import json,sys; a=json.load(open('$T/kml/metrics.json'))['final']; b=json.load(open('$T/kml-eval/metrics.json'))['final']; sys.exit(0 if abs(a['test_mse']-b['test_mse'])<=1e-9*max(1,a['test_mse']) else 1)" \
      && ok "kml: the saved model file loads (arch string re-parsed) and gives the training run's test MSE" || bad "kml: eval's test MSE differs from train's"
  fi
fi
hostile kml-transform "unknown transform 'cube'" --data breast-cancer --arch 'kp8-softplus[alpha=cube],d30'
hostile kml-bounds "needs lo < hi" --data breast-cancer --arch 'km8[beta=sig(2,1)],d30'
hostile kml-base "softplus or sigmoid" --data breast-cancer --arch 'kp8-tanh,d30'

# ---- the graph recipes map to the models of models10.md ------------------------------------------
if run recipe-vae 0 train --recipe vae-paper-k5 --steps 2 "${SMALL[@]}" --out "$T/rvae"; then
  check "recipe vae-paper-k5: d500-elu,d500-elu,g5|..., BCE summed, Adam lr 0.001, batch 100" \
    "j['config']['arch']=='d500-elu,d500-elu,g5|d500-elu,d500-elu,d784-sigmoid' and j['config']['model']['loss']=='bce' and j['config']['model']['recon_reduction']=='sum_per_image' and j['config']['optimizer']['opt']=='adam' and j['config']['optimizer']['lr']==0.001 and j['config']['batch']==100" "$T/rvae"
fi
if run recipe-conv-ae 0 train --recipe course-conv-ae --steps 2 "${SMALL[@]}" --out "$T/rconv"; then
  check "recipe course-conv-ae: the course's graph on Fashion-MNIST, SGD lr 1, batch 32, 5,000 validation images" \
    "j['config']['arch'].startswith('r1x28x28,c16k3s1same-selu') and j['data']['set']=='fashion' and j['config']['optimizer']['opt']=='sgd' and j['config']['optimizer']['lr']==1 and j['config']['batch']==32 and j['config']['valid']==5000" "$T/rconv"
fi

# ---- compare with the VAE row ------------------------------------------------------------------
if run compare 0 compare --models linear,vae --hidden 32 --k 2 --steps 20 --snapshots 10,20 "${SMALL[@]}" --out "$T/cmp"; then
  "$PY" -c "
import json,sys
rows=json.load(open('$T/cmp/metrics.json'))['rows']
v=[r for r in rows if r['model']=='VAE (ELU)']
sys.exit(0 if len(rows)==3 and len(v)==1 and v[0]['arch']=='d32-elu,g2|d32-elu,d784-sigmoid' and v[0]['test_elbo_mean']<0 and v[0]['test_mse']>0 else 1)" \
    && ok "compare: PCA, linear and VAE rows; the VAE's arch, ELBO and test MSE" || bad "compare: the VAE row is missing or wrong"
  files_ok "compare: snapshot montages per model" "$T/cmp" snapshots-linear.png snapshots-vae.png
  grep_ok "compare: the table prints the VAE's ELBO" "ELBO (mean code)" "$T/compare.out"
fi

echo "graph_cli_smoke: $PASS passed, $FAIL failed (${SECONDS}s)"
[[ $FAIL -eq 0 ]]
