#!/usr/bin/python3
"""PyTorch twin of aelab_conv_bench (issue 10 item 7): the same models, shapes, losses,
optimizers and batch sizes, timed the same way (median of R repeats of the mean of N
iterations after 5 warm-up steps) on synthetic uniform [0, 1) images:

  conv-ae   the course conv AE (Geron ch. 17), BCE mean over entries, SGD lr 1.0, batch 32
  vae-k2    seed-003 VAE 784-500-500-(2)-500-500-784, ELU, BCE summed per image + analytic KL
            with eps ~ N(0, I) drawn every step, Adam lr 1e-3, batch 100     (vae-k5: k = 5)
  conv-vae  Keras' conv VAE, BCE summed + KL, Adam lr 1e-3, batch 128

The twin is exact in geometry: Keras/TensorFlow SAME padding puts the odd extra pixel after
(bottom/right) while PyTorch's `padding` is symmetric, so
  - a strided SAME conv pads explicitly (F.pad right/bottom) and then convolves VALID;
  - a SAME transposed conv (k3 s2: 7 -> 14, 14 -> 28) runs VALID (7 -> 15, 14 -> 29) and keeps
    the first 14 / 28 rows and columns, which is TensorFlow's crop (0 before, 1 after).
So every layer has aelab's shapes, FLOPs and values' alignment (init differs: timing only).
A training step = (VAE: torch.randn eps) + forward + backward + optimizer step, as aelab's.

Usage: OMP_WAIT_POLICY=PASSIVE OMP_NUM_THREADS=T OPENBLAS_NUM_THREADS=T \
         /usr/bin/python3 torch_conv_bench.py [--threads T] [--models conv-ae,vae-k2] [--batch B]
         [--repeats R] [--iters N] [--json out.json]
"""
import argparse
import json
import os
import subprocess
import time

import torch
import torch.nn.functional as F
from torch import nn


class PadRB(nn.Module):
    """Pads p pixels right and bottom (TensorFlow's SAME for a strided conv with an odd total)."""

    def __init__(self, p):
        super().__init__()
        self.p = p

    def forward(self, x):
        return F.pad(x, (0, self.p, 0, self.p))


class CropTo(nn.Module):
    """Keeps the first h x w pixels (TensorFlow's SAME crop of a transposed conv's full output)."""

    def __init__(self, h):
        super().__init__()
        self.h = h

    def forward(self, x):
        return x[:, :, : self.h, : self.h]


def course_conv_ae():
    selu = nn.SELU
    return nn.Sequential(
        nn.Unflatten(1, (1, 28, 28)),
        nn.Conv2d(1, 16, 3, padding=1), selu(), nn.MaxPool2d(2),   # 28 -> 14
        nn.Conv2d(16, 32, 3, padding=1), selu(), nn.MaxPool2d(2),  # 14 -> 7
        nn.Conv2d(32, 64, 3, padding=1), selu(), nn.MaxPool2d(2),  # 7 -> 3
        nn.ConvTranspose2d(64, 32, 3, stride=2), selu(),           # VALID: 3 -> 7
        nn.ConvTranspose2d(32, 16, 3, stride=2), CropTo(14), selu(),  # SAME: 7 -> 15 -> 14
        nn.ConvTranspose2d(16, 1, 3, stride=2), CropTo(28),        # SAME: 14 -> 29 -> 28 (logits)
        nn.Flatten())


class VAE(nn.Module):
    """Encoder -> (mu, logvar) heads as one linear of 2k outputs (aelab's g<k>) -> z -> decoder
    returning logits. forward(x, eps) returns (logits, mu, logvar)."""

    def __init__(self, enc, dec, k):
        super().__init__()
        self.enc, self.dec, self.k = enc, dec, k

    def forward(self, x, eps):
        h = self.enc(x)
        mu, lv = h[:, : self.k], h[:, self.k:]
        z = mu + torch.exp(0.5 * lv) * eps
        return self.dec(z), mu, lv


def paper_vae(k):
    enc = nn.Sequential(nn.Linear(784, 500), nn.ELU(), nn.Linear(500, 500), nn.ELU(), nn.Linear(500, 2 * k))
    dec = nn.Sequential(nn.Linear(k, 500), nn.ELU(), nn.Linear(500, 500), nn.ELU(), nn.Linear(500, 784))
    return VAE(enc, dec, k)


def conv_vae():
    enc = nn.Sequential(
        nn.Unflatten(1, (1, 28, 28)),
        PadRB(1), nn.Conv2d(1, 32, 3, stride=2), nn.ReLU(),    # SAME s2: 28 -> 14
        PadRB(1), nn.Conv2d(32, 64, 3, stride=2), nn.ReLU(),   # SAME s2: 14 -> 7
        nn.Flatten(), nn.Linear(3136, 16), nn.ReLU(), nn.Linear(16, 4))
    dec = nn.Sequential(
        nn.Linear(2, 3136), nn.ReLU(), nn.Unflatten(1, (64, 7, 7)),
        nn.ConvTranspose2d(64, 64, 3, stride=2), CropTo(14), nn.ReLU(),  # 7 -> 14
        nn.ConvTranspose2d(64, 32, 3, stride=2), CropTo(28), nn.ReLU(),  # 14 -> 28
        nn.ConvTranspose2d(32, 1, 3, padding=1),                         # s1 SAME: 28 -> 28 (logits)
        nn.Flatten())
    return VAE(enc, dec, 2)


MODELS = {
    "conv-ae": dict(make=course_conv_ae, vae=False, opt="sgd", lr=1.0, batch=32),
    "vae-k2": dict(make=lambda: paper_vae(2), vae=True, opt="adam", lr=1e-3, batch=100),
    "vae-k5": dict(make=lambda: paper_vae(5), vae=True, opt="adam", lr=1e-3, batch=100),
    "conv-vae": dict(make=conv_vae, vae=True, opt="adam", lr=1e-3, batch=128),
}


def median_time(repeats, iters, f, runs=None):
    t = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        for _ in range(iters):
            f()
        t.append((time.perf_counter() - t0) / iters)
    if runs is not None:
        runs.extend(t)
    t.sort()
    return t[len(t) // 2]


def bench(key, batch, repeats, iters):
    spec = MODELS[key]
    torch.manual_seed(1)
    model = spec["make"]()
    n_par = sum(p.numel() for p in model.parameters())
    B = batch or spec["batch"]
    x = torch.rand(B, 784)
    if spec["opt"] == "sgd":
        opt = torch.optim.SGD(model.parameters(), lr=spec["lr"])
    else:
        opt = torch.optim.Adam(model.parameters(), lr=spec["lr"])
    last = [0.0]

    if spec["vae"]:
        k = model.k
        eps0 = torch.randn(B, k)

        def loss_of(eps):
            logits, mu, lv = model(x, eps)
            recon = F.binary_cross_entropy_with_logits(logits, x, reduction="sum") / B
            kl = 0.5 * (mu.square() + lv.exp() - 1.0 - lv).sum() / B
            return recon + kl

        def fwd():
            with torch.no_grad():
                loss_of(eps0)

        def fwd_bwd():
            model.zero_grad(set_to_none=True)
            loss_of(eps0).backward()

        def step():
            eps = torch.randn(B, k)
            opt.zero_grad(set_to_none=True)
            loss = loss_of(eps)
            loss.backward()
            opt.step()
            last[0] = loss.item()
    else:
        def fwd():
            with torch.no_grad():
                F.binary_cross_entropy_with_logits(model(x), x)

        def fwd_bwd():
            model.zero_grad(set_to_none=True)
            F.binary_cross_entropy_with_logits(model(x), x).backward()

        def step():
            opt.zero_grad(set_to_none=True)
            loss = F.binary_cross_entropy_with_logits(model(x), x)
            loss.backward()
            opt.step()
            last[0] = loss.item()

    for _ in range(5):
        step()
    tf = median_time(repeats, iters, fwd)
    tfb = median_time(repeats, iters, fwd_bwd)
    runs = []
    ts = median_time(repeats, iters, step, runs)
    us = 1e6 / B
    print(f"\nmodel {key}: batch {B}, {n_par} parameters, {spec['opt']} lr {spec['lr']}")
    print(f"{'':14s} {'ms/batch':>10s} {'us/sample':>12s}")
    print(f"{'forward':14s} {tf * 1e3:10.3f} {tf * us:12.1f}")
    print(f"{'fwd+bwd':14s} {tfb * 1e3:10.3f} {tfb * us:12.1f}")
    print(f"{'train step':14s} {ts * 1e3:10.3f} {ts * us:12.1f}   ({B / ts:.0f} samples/s; loss {last[0]:.4g})",
          flush=True)
    return {"model": key, "batch": B, "params": n_par, "samples_per_s": B / ts, "step_ms": ts * 1e3,
            "forward_ms": tf * 1e3, "fwd_bwd_ms": tfb * 1e3, "final_loss": last[0],
            "step_runs_ms": [r * 1e3 for r in runs]}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--models", default="conv-ae")
    ap.add_argument("--batch", type=int, default=0, help="override every model's batch")
    ap.add_argument("--repeats", type=int, default=7)
    ap.add_argument("--iters", type=int, default=20)
    ap.add_argument("--json")
    a = ap.parse_args()
    keys = a.models.split(",")
    for k in keys:
        if k not in MODELS:
            ap.error(f"unknown model {k!r} (one of {', '.join(MODELS)})")
    torch.set_num_threads(a.threads)
    try:  # Debian's build reports 1.13.0a0; the package version is the real one
        deb = subprocess.run(["dpkg-query", "-W", "-f=${Version}", "python3-torch"], capture_output=True,
                             text=True).stdout.strip() or None
    except OSError:
        deb = None
    res = {"tool": "pytorch", "version": torch.__version__, "debian_package": deb,
           "threads": torch.get_num_threads(), "repeats": a.repeats, "iters": a.iters,
           "env": {k: os.environ.get(k, "unset") for k in
                   ("OPENBLAS_CORETYPE", "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "OMP_WAIT_POLICY")},
           "openblas_coretype": os.environ.get("OPENBLAS_CORETYPE", "unset"),
           "mkldnn": torch.backends.mkldnn.is_available(), "conv": []}
    print(f"PyTorch {torch.__version__} (Debian {deb}), {res['threads']} thread(s), "
          f"OPENBLAS_CORETYPE={res['openblas_coretype']}, mkldnn {res['mkldnn']}")
    for k in keys:
        res["conv"].append(bench(k, a.batch, a.repeats, a.iters))
    if a.json:
        with open(a.json, "w") as f:
            json.dump(res, f, indent=1)
        print(f"wrote {a.json}")


if __name__ == "__main__":
    main()
