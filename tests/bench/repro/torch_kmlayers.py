#!/usr/bin/python3
"""tests/bench/repro/torch_kmlayers.py: PyTorch reference of aelab's KernelML layers.

For each case, runs aelab_repro_kml (kml_dump.cpp), which prints a layer graph's seeded
double weights (raw alpha and beta moved off their initial values), a batch X and core's
loss (MSE or BCE-from-logits, mean over all entries) with its gradient w.r.t. every
parameter. Rebuilds the same model in torch (float64) from those weights:
  kp  y = s(alpha * (W x + b)) ** beta          (s softplus or sigmoid)
  km  y = act(A - 0.5 * beta * alpha * mean_j A_j),  A = W x + b
  with alpha = T(u_alpha), beta = T(u_beta), T none | softplus | exp (u clamped to +-80) |
  lo + (hi - lo) * sigmoid(u);
computes the loss and its gradient by autograd w.r.t. every raw parameter, and prints the
relative differences; exits 1 when any is above --tol (default 1e-6).
Usage: tests/bench/repro/torch_kmlayers.py [--bin build/native/tests/bench/repro/aelab_repro_kml] [--tol 1e-6]
"""
import argparse
import json
import os
import subprocess
import sys

import torch

torch.set_default_dtype(torch.float64)
F = torch.nn.functional

ACTS = {
    "linear": lambda z: z,
    "sigmoid": torch.sigmoid,
    "tanh": torch.tanh,
    "relu": torch.relu,
    "elu": F.elu,
    "selu": torch.selu,
    "softplus": F.softplus,
}

CASES = [  # arch, input dim, loss, batch, seed
    ("kp6-softplus[alpha=exp,beta=sig(0.2,3)],km3-tanh[alpha=sig(0,2),beta=softplus]|km6-elu[beta=exp],d8-sigmoid",
     8, "bce", 5, 1),
    ("kp6-softplus[alpha=exp,beta=sig(0.2,3)],km3-tanh[alpha=sig(0,2),beta=softplus]|km6-elu[beta=exp],d8-sigmoid",
     8, "mse", 5, 2),
    ("kp16-sigmoid[alpha=softplus,beta=exp],km4[alpha=none,beta=none]|kp16-softplus,d30", 30, "mse", 7, 3),
    ("km12-selu[alpha=exp],kp3-softplus[beta=none]|km12-tanh[alpha=sig(-1,3),beta=sig(0,4)],d10-sigmoid",
     10, "bce", 6, 4),
]

# ParamTransform::Kind: None, Softplus, Exp, Sigmoid
def transform(tf, u):
    kind, lo, hi = tf
    if kind == 0:
        return u
    if kind == 1:
        return F.softplus(u)
    if kind == 2:
        return torch.exp(torch.clamp(u, -80.0, 80.0))
    return lo + (hi - lo) * torch.sigmoid(u)


def run_case(binary, case):
    out = subprocess.run([binary] + [str(x) for x in case], check=True, capture_output=True, text=True).stdout
    d = json.loads(out)
    p = torch.tensor(d["params"]).requires_grad_(True)
    X = torch.tensor(d["X"]).reshape(d["cols"], d["rows"]).T  # column-major d x B
    h = X
    logits = None
    for L in d["layers"]:
        n_in, n_out, off = L["in"], L["out"], L["off"]
        # core stores W (out x in) column-major: reshape as (in, out) and transpose
        W = p[off:off + n_in * n_out].reshape(n_in, n_out).T
        b = p[off + n_in * n_out:off + n_in * n_out + n_out]
        A = W @ h + b[:, None]
        if L["kind"] == "dense":
            logits = A
            h = ACTS[L["act"]](A)
        elif L["kind"] in ("kp", "km"):
            ua = p[off + n_in * n_out + n_out]
            ub = p[off + n_in * n_out + n_out + 1]
            alpha, beta = transform(L["alpha_tf"], ua), transform(L["beta_tf"], ub)
            if L["kind"] == "kp":
                s = ACTS[L["base"]](alpha * A)
                h = torch.clamp(s, min=1e-30) ** beta
                logits = None
            else:
                Z = A - 0.5 * beta * alpha * A.mean(dim=0, keepdim=True)
                logits = Z
                h = ACTS[L["act"]](Z)
        else:
            raise SystemExit("torch_kmlayers.py: unsupported layer " + L["kind"])
    if d["loss_kind"] == "bce":
        loss = F.binary_cross_entropy_with_logits(logits, X)
    else:
        loss = ((h - X) ** 2).mean()
    loss.backward()
    g_core = torch.tensor(d["grad"])
    rel_loss = abs(loss.item() - d["loss"]) / max(abs(d["loss"]), 1e-300)
    rel_grad = ((p.grad - g_core).norm() / g_core.norm()).item()
    worst_coord = ((p.grad - g_core).abs() / (p.grad.abs() + g_core.abs()).clamp(min=1e-3)).max().item()
    return d["arch"], loss.item(), rel_loss, rel_grad, worst_coord, p.numel()


def main():
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=os.path.join(root, "build/native/tests/bench/repro/aelab_repro_kml"))
    ap.add_argument("--tol", type=float, default=1e-6)
    a = ap.parse_args()
    worst = 0.0
    print("%-6s %-5s %8s %14s %12s %12s %12s" % ("case", "loss", "params", "loss value", "rel loss", "rel grad", "worst coord"))
    for i, case in enumerate(CASES):
        arch, lv, rl, rg, wc, n = run_case(a.bin, case)
        worst = max(worst, rl, rg, wc)
        print("%-6d %-5s %8d %14.9g %12.3g %12.3g %12.3g   %s" % (i + 1, case[2], n, lv, rl, rg, wc, arch))
    ok = worst <= a.tol
    print("worst relative difference %.3g (tolerance %g): %s" % (worst, a.tol, "OK" if ok else "FAIL"))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
