#!/usr/bin/python3
"""PyTorch twin of aelab_conv_bench: the course conv AE (Geron ch. 17) at a batch size, timed
the same way (median of R repeats of N iterations after a warm-up): forward + BCE, forward +
backward, and a training step (SGD). For cost only: PyTorch's padding=1 / output_padding=1
transposed convolutions have the same shapes and FLOPs as Keras' SAME ones (TensorFlow pads
the other side), so the values differ but the work is the same.

Usage: OMP_WAIT_POLICY=PASSIVE OPENBLAS_NUM_THREADS=T /usr/bin/python3 torch_conv_bench.py [--threads T] [--batch B]
"""
import argparse
import time

import torch
from torch import nn


def course_conv_ae():
    selu = nn.SELU
    return nn.Sequential(
        nn.Unflatten(1, (1, 28, 28)),
        nn.Conv2d(1, 16, 3, padding=1), selu(), nn.MaxPool2d(2),
        nn.Conv2d(16, 32, 3, padding=1), selu(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3, padding=1), selu(), nn.MaxPool2d(2),
        nn.ConvTranspose2d(64, 32, 3, stride=2), selu(),                                # 3 -> 7
        nn.ConvTranspose2d(32, 16, 3, stride=2, padding=1, output_padding=1), selu(),  # 7 -> 14
        nn.ConvTranspose2d(16, 1, 3, stride=2, padding=1, output_padding=1),           # 14 -> 28 (logits)
        nn.Flatten())


def median_time(repeats, iters, f):
    t = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        for _ in range(iters):
            f()
        t.append((time.perf_counter() - t0) / iters)
    t.sort()
    return t[len(t) // 2]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--repeats", type=int, default=7)
    ap.add_argument("--iters", type=int, default=20)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(1)
    model = course_conv_ae()
    n_par = sum(p.numel() for p in model.parameters())
    x = torch.rand(a.batch, 784)
    loss_fn = nn.BCEWithLogitsLoss()
    opt = torch.optim.SGD(model.parameters(), lr=1e-3)

    def fwd():
        with torch.no_grad():
            loss_fn(model(x), x)

    def fwd_bwd():
        model.zero_grad(set_to_none=True)
        loss_fn(model(x), x).backward()

    def step():
        opt.zero_grad(set_to_none=True)
        loss_fn(model(x), x).backward()
        opt.step()

    for _ in range(5):
        fwd_bwd()
    tf = median_time(a.repeats, a.iters, fwd)
    tfb = median_time(a.repeats, a.iters, fwd_bwd)
    ts = median_time(a.repeats, a.iters, step)
    us = 1e6 / a.batch
    print(f"PyTorch {torch.__version__}, {a.threads} thread(s), batch {a.batch}, {n_par} parameters")
    print(f"{'':14s} {'ms/batch':>10s} {'us/sample':>12s}")
    print(f"{'forward':14s} {tf * 1e3:10.3f} {tf * us:12.1f}")
    print(f"{'fwd+bwd':14s} {tfb * 1e3:10.3f} {tfb * us:12.1f}")
    print(f"{'train step':14s} {ts * 1e3:10.3f} {ts * us:12.1f}   ({a.batch / ts:.0f} samples/s)")


if __name__ == "__main__":
    main()
