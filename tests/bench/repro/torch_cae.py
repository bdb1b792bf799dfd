#!/usr/bin/python3
"""tests/bench/repro/torch_cae.py: PyTorch reference of aelab's contractive penalty.

For each case, runs aelab_repro_cae (cae_dump.cpp), which prints core's seeded double
weights, a batch X and core's penalty lambda * mean_b ||J_f(x_b)||_F^2 with its gradient.
Rebuilds the same encoder in torch (float64) and computes the penalty two ways:
  * torch.autograd.functional.jacobian of the encoder per sample (create_graph=True), and
  * for a one-layer encoder the closed form sum_j s'(a_j)^2 ||W_j||^2 as well;
its gradient by autograd w.r.t. every encoder weight and bias. Prints the relative
differences and exits 1 when any is above --tol (default 1e-6).
Usage: tests/bench/repro/torch_cae.py [--bin build/native/tests/bench/repro/aelab_repro_cae] [--tol 1e-6]
"""
import argparse
import json
import os
import subprocess
import sys

import torch

torch.set_default_dtype(torch.float64)

ACTS = {
    "linear": lambda z: z,
    "sigmoid": torch.sigmoid,
    "tanh": torch.tanh,
    "elu": torch.nn.functional.elu,
    "selu": torch.selu,
    "softplus": torch.nn.functional.softplus,
}

CASES = [  # arch, hidden act, code act, lambda, batch, seed
    ("6-4", "linear", "sigmoid", 0.7, 5, 1),
    ("784-32", "linear", "sigmoid", 0.1, 8, 2),
    ("784-64-16", "sigmoid", "sigmoid", 0.1, 8, 3),
    ("50-20-10-3", "tanh", "softplus", 1.5, 6, 4),
    ("30-12-4", "elu", "tanh", 0.3, 6, 5),
    ("8-12-3", "softplus", "sigmoid", 0.4, 5, 6),  # n_1 > d: the direct (non-Gram) first layer
]


def run_case(binary, case):
    out = subprocess.run([binary] + [str(x) for x in case], check=True, capture_output=True, text=True).stdout
    d = json.loads(out)
    p = torch.tensor(d["params"])
    X = torch.tensor(d["X"]).reshape(d["cols"], d["rows"]).T  # column-major d x B
    layers = []
    for L in d["encoder_layers"]:
        n_in, n_out = L["in"], L["out"]
        # core stores W (out x in) column-major: reshape as (in, out) and transpose
        W = p[L["w_off"]:L["w_off"] + n_in * n_out].reshape(n_in, n_out).T.clone().requires_grad_(True)
        b = p[L["b_off"]:L["b_off"] + n_out].clone().requires_grad_(True)
        layers.append((W, b, ACTS[L["act"]]))
    lam = d["lambda"]

    def encode(x):
        h = x
        for W, b, f in layers:
            h = f(W @ h + b)
        return h

    B = X.shape[1]
    total = 0.0
    for j in range(B):
        J = torch.autograd.functional.jacobian(encode, X[:, j], create_graph=True)  # k x d
        total = total + (J ** 2).sum()
    pen = lam * total / B
    grads = torch.autograd.grad(pen, [t for W, b, _ in layers for t in (W, b)])
    rel_val = abs(pen.item() - d["penalty"]) / abs(pen.item())
    ours = torch.tensor(d["grad"])
    worst = 0.0
    gi = 0
    for (W, b, _), L in zip(layers, d["encoder_layers"]):
        gW, gb = grads[gi], grads[gi + 1]
        gi += 2
        oW = ours[L["w_off"]:L["w_off"] + W.numel()].reshape(W.shape[1], W.shape[0]).T
        ob = ours[L["b_off"]:L["b_off"] + b.numel()]
        scale = max(gW.abs().max().item(), gb.abs().max().item(), 1e-300)
        worst = max(worst, (gW - oW).abs().max().item() / scale, (gb - ob).abs().max().item() / scale)
    # decoder entries of core's penalty gradient must be exactly zero
    enc_end = max(L["b_off"] + L["out"] for L in d["encoder_layers"])
    dec_zero = bool((ours[enc_end:] == 0).all())
    rel_closed = None
    if len(layers) == 1:
        W, b, f = layers[0]
        a = (W @ X + b[:, None]).detach().requires_grad_(True)
        s1 = torch.autograd.grad(f(a).sum(), a)[0]
        closed = lam * ((s1 ** 2) * (W.detach() ** 2).sum(1, keepdim=True)).sum() / B
        rel_closed = abs(closed.item() - d["penalty"]) / abs(closed.item())
    return d, pen.item(), rel_val, worst, rel_closed, dec_zero


def main():
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", default=os.path.join(root, "build/native/tests/bench/repro/aelab_repro_cae"))
    ap.add_argument("--tol", type=float, default=1e-6)
    a = ap.parse_args()
    ok = True
    print(f"torch {torch.__version__}; tolerance {a.tol:g} (relative, double)")
    for case in CASES:
        d, pen, rv, rg, rc, dz = run_case(a.bin, case)
        good = rv <= a.tol and rg <= a.tol and (rc is None or rc <= a.tol) and dz
        ok = ok and good
        extra = f", closed form rel diff {rc:.2e}" if rc is not None else ""
        print(f"{'ok  ' if good else 'FAIL'} {case[0]:<12} {case[1]}/{case[2]} lambda {case[3]} B {case[4]}: "
              f"penalty {pen:.10g} (ours {d['penalty']:.10g}), value rel diff {rv:.2e}, "
              f"max grad rel diff {rg:.2e}{extra}, decoder grad zero {dz}")
    print("CHECK PASSED" if ok else "CHECK FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
