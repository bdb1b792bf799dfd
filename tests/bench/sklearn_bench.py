#!/usr/bin/python3
"""scikit-learn reference for aelab_bench's PCA workloads (tests/bench/run_all.sh runs it).

PCA fit time on the float32 60000 x 784 MNIST training set, median of --repeats fits:
  full        PCA(n_components=5, svd_solver="full")       (LAPACK gesdd of the whole matrix)
  randomized  PCA(n_components=5, svd_solver="randomized", random_state=0)
  arpack      PCA(n_components=5, svd_solver="arpack", random_state=0)
  incremental IncrementalPCA(n_components=30)               (batch_size 5 * 784, the default)
and the test MSE on the 10000 test images (mean over all entries of the squared
reconstruction error), to compare fits at the same accuracy. One thread via threadpoolctl
(BLAS and OpenMP pools) when available, and the caller's OPENBLAS_NUM_THREADS/OMP_NUM_THREADS
otherwise; OPENBLAS_CORETYPE is the caller's (recorded).
Usage: /usr/bin/python3 sklearn_bench.py --json out.json [--data data/mnist] [--repeats 3]
"""
import argparse
import json
import os
import statistics
import sys
import time

import numpy as np
import sklearn
from sklearn.decomposition import PCA, IncrementalPCA

try:
    from threadpoolctl import threadpool_info, threadpool_limits
except ImportError:  # pragma: no cover
    threadpool_limits = None


def load_idx_images(path):
    with open(path, "rb") as f:
        b = f.read()
    n, r, c = (int.from_bytes(b[4 + 4 * i: 8 + 4 * i], "big") for i in range(3))
    return np.frombuffer(b, dtype=np.uint8, offset=16).reshape(n, r * c).astype(np.float32) / 255.0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--json")
    ap.add_argument("--data", default=os.path.join(os.path.dirname(__file__), "..", "..", "data", "mnist"))
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--threads", type=int, default=1)
    a = ap.parse_args()
    p = os.path.join(a.data, "train-images-idx3-ubyte")
    if os.path.exists(p):
        Xtr = load_idx_images(p)
        Xte = load_idx_images(os.path.join(a.data, "t10k-images-idx3-ubyte"))
        src = "mnist"
    else:
        print(f"sklearn_bench: no MNIST in {a.data}: random data", file=sys.stderr)
        rng = np.random.default_rng(1)
        Xtr, Xte, src = rng.random((60000, 784), dtype=np.float32), rng.random((10000, 784), dtype=np.float32), "random"

    cases = [
        ("full", lambda: PCA(n_components=5, svd_solver="full"), 5),
        ("randomized", lambda: PCA(n_components=5, svd_solver="randomized", random_state=0), 5),
        ("arpack", lambda: PCA(n_components=5, svd_solver="arpack", random_state=0), 5),
        ("incremental", lambda: IncrementalPCA(n_components=30), 30),
    ]
    res = {"tool": "scikit-learn", "version": sklearn.__version__, "numpy": np.__version__, "data": src,
           "threads": a.threads, "openblas_coretype": os.environ.get("OPENBLAS_CORETYPE", "unset"),
           "thread_control": "threadpoolctl" if threadpool_limits else "env",
           "env": {k: os.environ.get(k, "unset") for k in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS")},
           "pca": []}
    ctx = threadpool_limits(limits=a.threads) if threadpool_limits else None
    if ctx:
        ctx.__enter__()
        res["blas"] = [{k: i.get(k) for k in ("internal_api", "num_threads", "version", "architecture")}
                       for i in threadpool_info()]
    for name, make, k in cases:
        times, m = [], None
        reps = a.repeats if name != "incremental" else max(1, min(a.repeats, 2))
        for _ in range(reps):
            m = make()
            t = time.perf_counter()
            m.fit(Xtr)
            times.append(time.perf_counter() - t)
        R = m.inverse_transform(m.transform(Xte))
        mse = float(np.mean((Xte.astype(np.float64) - R.astype(np.float64)) ** 2))
        r = {"name": name, "k": k, "seconds": statistics.median(times), "test_mse": mse, "runs": times}
        res["pca"].append(r)
        print(f"sklearn {name:<12} k={k:<3} coretype={res['openblas_coretype']}: {r['seconds']:.3f} s, "
              f"test MSE {mse:.8f}", flush=True)
    if ctx:
        ctx.__exit__(None, None, None)
    if a.json:
        with open(a.json, "w") as f:
            json.dump(res, f, indent=1)


if __name__ == "__main__":
    main()
