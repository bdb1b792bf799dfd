#!/usr/bin/python3
"""PyTorch reference for aelab_bench's training workloads (tests/bench/run_all.sh runs it).

Same nets, batch sizes, optimizer and data as aelab_bench:
  net 1: 784-500-500-5-500-500-784, ELU hidden, linear code and output, MSE, Adam(1e-3), batch 100
  net 4: 784-256-128-256-784, sigmoid everywhere, MSE, Adam(1e-3), batch 128
Training samples/s after a warm-up: median of --repeats timed repeats, each at least
--seconds long. The caller sets the environment that matters and this script records it:
OMP_NUM_THREADS / torch.set_num_threads(--threads), OPENBLAS_NUM_THREADS (torch does not
limit OpenBLAS), OMP_WAIT_POLICY (PASSIVE is needed at 2 threads on Debian's build) and
OPENBLAS_CORETYPE (unset: AVX-512 kernels; Haswell: AVX2).
Usage: /usr/bin/python3 torch_bench.py --threads 1 --json out.json [--data data/mnist]
Use Debian's interpreter (/usr/bin/python3): python3-torch is installed for it.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time

import numpy as np
import torch


def load_idx_images(path):
    with open(path, "rb") as f:
        b = f.read()
    if b[2] != 8 or b[3] != 3:
        raise ValueError(f"{path}: not an unsigned-byte rank-3 IDX file")
    n, r, c = (int.from_bytes(b[4 + 4 * i: 8 + 4 * i], "big") for i in range(3))
    return np.frombuffer(b, dtype=np.uint8, offset=16).reshape(n, r * c).astype(np.float32) / 255.0


def load(data_dir):
    p = os.path.join(data_dir, "train-images-idx3-ubyte")
    if os.path.exists(p):
        return load_idx_images(p), "mnist"
    print(f"torch_bench: no MNIST in {data_dir}: random data of the same shape", file=sys.stderr)
    return np.random.default_rng(1).random((60000, 784), dtype=np.float32), "random"


def net(n):
    L, E, S = torch.nn.Linear, torch.nn.ELU, torch.nn.Sigmoid
    if n == 1:
        return torch.nn.Sequential(L(784, 500), E(), L(500, 500), E(), L(500, 5),
                                   L(5, 500), E(), L(500, 500), E(), L(500, 784)), 100
    if n == 4:
        return torch.nn.Sequential(L(784, 256), S(), L(256, 128), S(), L(128, 256), S(),
                                   L(256, 784), S()), 128
    raise ValueError(n)


def step_flops(model, B):
    lin = [m for m in model if isinstance(m, torch.nn.Linear)]
    return sum((2 if i == 0 else 3) * 2.0 * m.in_features * m.out_features * B for i, m in enumerate(lin))


def bench(n, X, seconds, repeats):
    torch.manual_seed(1)
    model, B = net(n)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    lossf = torch.nn.MSELoss()
    N = X.shape[0]
    g = torch.Generator().manual_seed(1)
    state = {"perm": torch.randperm(N, generator=g), "pos": 0}

    def steps(k):
        for _ in range(k):
            if state["pos"] + B > N:
                state["perm"] = torch.randperm(N, generator=g)
                state["pos"] = 0
            idx = state["perm"][state["pos"]: state["pos"] + B]
            state["pos"] += B
            xb = X[idx]
            opt.zero_grad(set_to_none=True)
            loss = lossf(model(xb), xb)
            loss.backward()
            opt.step()
        return float(loss)

    t0 = time.perf_counter()
    while time.perf_counter() - t0 < seconds:
        steps(3)
    runs = []
    for _ in range(repeats):
        k, a = 0, time.perf_counter()
        while True:
            last = steps(4)
            k += 4
            el = time.perf_counter() - a
            if el >= seconds:
                break
        runs.append(k * B / el)
    sps = statistics.median(runs)
    f = step_flops(model, B)
    return {"net": n, "batch": B, "samples_per_s": sps, "gflops": sps / B * f * 1e-9,
            "flops_per_step": f, "runs": runs, "final_loss": last}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--json")
    ap.add_argument("--data", default=os.path.join(os.path.dirname(__file__), "..", "..", "data", "mnist"))
    ap.add_argument("--nets", default="1,4")
    ap.add_argument("--seconds", type=float, default=1.0)
    ap.add_argument("--repeats", type=int, default=5)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    Xn, src = load(a.data)
    X = torch.from_numpy(Xn)
    try:  # Debian's build reports 1.13.0a0; the package version is the real one
        deb = subprocess.run(["dpkg-query", "-W", "-f=${Version}", "python3-torch"], capture_output=True,
                             text=True).stdout.strip() or None
    except OSError:
        deb = None
    res = {"tool": "pytorch", "version": torch.__version__, "debian_package": deb, "threads": torch.get_num_threads(),
           "data": src, "repeats": a.repeats, "seconds_per_repeat": a.seconds,
           "env": {k: os.environ.get(k, "unset") for k in
                   ("OPENBLAS_CORETYPE", "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "OMP_WAIT_POLICY")},
           "openblas_coretype": os.environ.get("OPENBLAS_CORETYPE", "unset"), "train": []}
    for n in [int(s) for s in a.nets.split(",")]:
        r = bench(n, X, a.seconds, a.repeats)
        res["train"].append(r)
        print(f"pytorch net{n} threads={res['threads']} coretype={res['openblas_coretype']}: "
              f"{r['samples_per_s']:.0f} samples/s, {r['gflops']:.1f} GFLOP/s", flush=True)
    if a.json:
        with open(a.json, "w") as f:
            json.dump(res, f, indent=1)


if __name__ == "__main__":
    main()
