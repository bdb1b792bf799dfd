#!/usr/bin/env bash
# tests/repro_graph_smoke.sh: the reproduction's graph-model twins (tests/bench/repro/, issue 10).
#   * for the course conv AE, the seed-003 VAE (k = 2) and the conv VAE: `aelab_repro_graph dump`
#     then `torch_graph.py --check`: PyTorch's initial weights (aelab_ref.init_graph) are
#     bit-identical to Graph::init_params, the batch order across a reshuffle and every eps
#     block are identical, the forward pass of 16 test images agrees to 1e-5;
#   * the k = 2 VAE trained 30 steps on both sides (on 2,000 training images): the step-0
#     ELBO agrees to 1e-6 relative and the trained ELBO, recon and KL to 1e-3 relative;
#   * hostile input: an unknown layer token, --vae on a plain AE and a missing option exit 2
#     with a message.
# Skips (exit 0, saying so) when /usr/bin/python3 lacks torch (AELAB_SETUP_PACKAGES=base).
#   tests/repro_graph_smoke.sh     uses build/native/tests/bench/repro/aelab_repro_graph and data/
#   AELAB_REPRO_GRAPH=path AELAB_DATA_DIR=dir tests/repro_graph_smoke.sh
# Called by scripts/test after the native build. About 30-60 s idle (151 s measured at load 5).
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/tests/lib/smoke.bash"  # smoke_init, PASS/FAIL, ok, bad
AELAB_BIN="${AELAB_REPRO_GRAPH:-$ROOT/build/native/tests/bench/repro/aelab_repro_graph}"
smoke_init repro_graph_smoke          # BIN (the tool), DATA, T (removed on exit)
PY=/usr/bin/python3
TG="$ROOT/tests/bench/repro/torch_graph.py"
if ! "$PY" -c 'import torch' 2>/dev/null; then
  echo "repro_graph_smoke: SKIPPED ($PY has no torch: apt-get install python3-torch)"; exit 0
fi
[[ -f $DATA/fashion/train-images-idx3-ubyte ]] || { echo "repro_graph_smoke: no Fashion-MNIST in $DATA/fashion"; exit 1; }
export OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 OMP_WAIT_POLICY=PASSIVE
CAE='r1x28x28,c16k3same-selu,p2,c32k3same-selu,p2,c64k3same-selu,p2|t32k3s2valid-selu,t16k3s2same-selu,t1k3s2same-sigmoid,flatten'
VAE='d500-elu,d500-elu,g2|d500-elu,d500-elu,d784-sigmoid'
CVAE='r1x28x28,c32k3s2-relu,c64k3s2-relu,d16-relu,g2|d3136-relu,r64x7x7,t64k3s2-relu,t32k3s2-relu,t1k3-sigmoid,flatten'

check() {  # NAME ARCH DATA BATCH STEPS TRAIN_N [--vae]
  local name=$1 arch=$2 data=$3 batch=$4 steps=$5 n=$6 vae=${7:-}
  mkdir -p "$T/$name"
  if ! "$BIN" dump --arch "$arch" --seed 3 --data "$DATA/$data" --n 16 --batch "$batch" --steps "$steps" \
      --train-n "$n" --out-dir "$T/$name" >"$T/$name.dump" 2>&1; then
    bad "$name: dump failed"; sed 's/^/       | /' "$T/$name.dump"; return
  fi
  if "$PY" "$TG" --arch "$arch" $vae --data "$data" --data-dir "$DATA" --seed 3 --check "$T/$name" \
      --out-json "$T/$name/check.json" >"$T/$name.check" 2>&1 && grep -q "CHECK PASSED" "$T/$name.check"; then
    ok "$name: $(grep -c . "$T/$name.check") checks: $(tr '\n' ';' < "$T/$name.check" | sed 's/;CHECK PASSED;//')"
  else
    bad "$name: torch_graph.py --check failed"; sed 's/^/       | /' "$T/$name.check" | tail -n 8
  fi
}
# 2,000 / 32 = 62 steps per pass: 70 steps cross one reshuffle; the VAEs cross one too.
check conv_ae "$CAE" fashion 32 70 2000
check vae_k2 "$VAE" mnist 100 25 2000 --vae
check conv_vae "$CVAE" mnist 128 17 2000 --vae

# both sides trained briefly: step-0 and trained ELBO agree
M="--vae --loss bce --beta 1 --opt adam --lr 0.001 --batch 100 --steps 30 --train-n 2000 --seed 3 --eval-seed 5"
# shellcheck disable=SC2086
"$BIN" train --arch "$VAE" $M --data "$DATA/mnist" --out-json "$T/ours.json" >"$T/ours.log" 2>&1 || bad "aelab_repro_graph train failed"
# shellcheck disable=SC2086
"$PY" "$TG" --arch "$VAE" $M --data mnist --data-dir "$DATA" --out-json "$T/ref.json" >"$T/ref.log" 2>&1 || bad "torch_graph.py train failed"
if [[ -f $T/ours.json && -f $T/ref.json ]]; then
  if msg=$("$PY" - "$T/ours.json" "$T/ref.json" <<'EOF'
import json, sys
o, r = (json.load(open(p)) for p in sys.argv[1:3])
d0 = abs(o["step0"]["elbo_mean"] / r["step0"]["elbo_mean"] - 1)
d = {k: abs(o["final"][k] / r["final"][k] - 1) for k in ("elbo_mean", "recon", "kl", "elbo_sampled")}
print(f"step-0 ELBO {o['step0']['elbo_mean']:.4f} vs {r['step0']['elbo_mean']:.4f} (rel {d0:.1e}); after 30 steps "
      + ", ".join(f"{k} {o['final'][k]:.4f} vs {r['final'][k]:.4f} (rel {v:.1e})" for k, v in d.items()))
sys.exit(0 if d0 <= 1e-6 and max(d.values()) <= 1e-3 else 1)
EOF
  ); then ok "VAE k=2, 30 steps on both sides: $msg"; else bad "VAE k=2 sides differ: $msg"; fi
fi

# hostile input
expect2() {  # NAME WANT_TEXT ARGS...
  local name=$1 want=$2; shift 2
  "$BIN" "$@" >"$T/$name.out" 2>"$T/$name.err"
  local rc=$?
  if [[ $rc -eq 2 ]] && grep -q -- "$want" "$T/$name.err"; then ok "$name: exit 2, '$(head -c 120 "$T/$name.err")'"
  else bad "$name: exit $rc, stderr: $(head -c 200 "$T/$name.err")"; fi
}
expect2 bad_token "not understood\|expected\|unknown" train --arch "d500-elu,x7,g2" --vae --data "$DATA/mnist" --out-json "$T/x.json"
expect2 vae_on_ae "--vae needs an arch with a Gaussian code" train --arch "d64-elu,d2|d64-elu,d784-sigmoid" --vae --data "$DATA/mnist" --out-json "$T/x.json"
expect2 no_out "missing option --out-json" train --arch "$VAE" --vae --data "$DATA/mnist" --steps 1
echo "repro_graph_smoke: $PASS passed, $FAIL failed ($SECONDS s)"
[[ $FAIL -eq 0 ]]
