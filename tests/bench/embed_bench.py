#!/usr/bin/python3
"""tests/bench/embed_bench.py — issue 11's embedding benchmark, side by side in one run.

t-SNE: the 10,000 MNIST test images, reduced once to 50 principal components (scikit-learn
PCA, full SVD) and written to one float32 file that every library reads: aelab
(aelab_embed_bench), scikit-learn 1.2 TSNE(method="barnes_hut") and R's Rtsne (Debian's
r-cran-rtsne, the reference bhtsne C++), all with perplexity 30, theta 0.5, 1,000
iterations, early exaggeration 12 for 250 iterations, momentum 0.5 -> 0.8, learning rate
max(N / 12 / 4, 50) = 208.3, 1 thread. Init: PCA (scaled as scikit-learn) for aelab and
scikit-learn; Rtsne random N(0, 1e-4) (its Y_init would skip the exaggeration phase); Rtsne
normalize=FALSE, pca=FALSE so it sees the same input. Every final layout is scored by the
same code (aelab_embed_bench score): KL(P || Q) under the same P with Q's exact normaliser,
and the leave-one-out 5-NN accuracy. Each library's own KL is listed too.
Kernel PCA: rbf, gamma = 1/784, k = 2, on the first 5,000 test images (784 pixels):
aelab (Lanczos on the centred kernel) vs scikit-learn KernelPCA eigen_solver arpack and
dense; fit time and the largest relative eigenvalue difference.
The runs are interleaved (aelab, scikit-learn, Rtsne per round); the load average is
recorded before and after every run, and CPU time (user + system) beside wall time: on a
shared machine CPU time is the steadier figure (say so beside the figures).

Usage: tests/bench/embed_bench.py BENCH_BINARY DATA_DIR OUT_DIR [--rounds N] [--skip-rtsne]
"""
import json, os, subprocess, sys, tempfile, time

import numpy as np

THREADS = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
for k, v in THREADS.items():
    os.environ[k] = v


def load():
    return open("/proc/loadavg").read().split()[0]


def run(cmd, **kw):
    r = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if r.returncode != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{r.stderr}")
    return r.stdout


SK_TSNE = r"""
import json, sys, time, numpy as np
from sklearn.manifold import TSNE
X = np.fromfile(sys.argv[1], dtype=np.float32).reshape(-1, 50)
t, c = time.perf_counter(), time.process_time()
T = TSNE(n_components=2, perplexity=30.0, early_exaggeration=12.0, n_iter=1000, method="barnes_hut",
         angle=0.5, init="pca", learning_rate="auto", random_state=0, n_jobs=1)
Y = T.fit_transform(X)
s, c = time.perf_counter() - t, time.process_time() - c
Y.astype(np.float64).tofile(sys.argv[2])
print(json.dumps({"seconds": s, "cpu_seconds": c, "own_kl": float(T.kl_divergence_), "n_iter": int(T.n_iter_)}))
"""

R_TSNE = r"""
args <- commandArgs(trailingOnly = TRUE)
suppressMessages(library(Rtsne))
x <- readBin(args[1], "numeric", n = 500000, size = 4)
X <- matrix(x, ncol = 50, byrow = TRUE)
set.seed(0)
t <- system.time(r <- Rtsne(X, dims = 2, perplexity = 30, theta = 0.5, max_iter = 1000, pca = FALSE,
                            normalize = FALSE, check_duplicates = FALSE, eta = 10000 / 12 / 4,
                            exaggeration_factor = 12, stop_lying_iter = 250, mom_switch_iter = 250,
                            momentum = 0.5, final_momentum = 0.8, num_threads = 1, verbose = FALSE))
writeBin(as.vector(t(r$Y)), args[2], size = 8)
cat(sprintf('{"seconds": %.4f, "cpu_seconds": %.4f, "own_kl": %.6f}\n', t[["elapsed"]],
            t[["user.self"]] + t[["sys.self"]], tail(r$itercosts, 1)))
"""

SK_KPCA = r"""
import json, sys, time, numpy as np
from sklearn.decomposition import KernelPCA
X = np.fromfile(sys.argv[1], dtype=np.float32).reshape(-1, 784).astype(np.float64)
t, c = time.perf_counter(), time.process_time()
kp = KernelPCA(n_components=2, kernel="rbf", gamma=1.0 / 784, eigen_solver=sys.argv[2], random_state=0).fit(X)
s, c = time.perf_counter() - t, time.process_time() - c
print(json.dumps({"seconds": s, "cpu_seconds": c, "eigenvalues": [float(v) for v in kp.eigenvalues_]}))
"""


def main():
    if len(sys.argv) < 4:
        raise SystemExit(__doc__)
    binary, data_dir, out = sys.argv[1], sys.argv[2], sys.argv[3]
    rounds = int(sys.argv[sys.argv.index("--rounds") + 1]) if "--rounds" in sys.argv else 1
    use_r = "--skip-rtsne" not in sys.argv and subprocess.run(
        ["Rscript", "-e", "suppressMessages(library(Rtsne))"], capture_output=True).returncode == 0
    os.makedirs(out, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix="aelab-embed-bench-")
    from sklearn.decomposition import PCA
    img = np.fromfile(os.path.join(data_dir, "mnist/t10k-images-idx3-ubyte"), dtype=np.uint8)[16:]
    X = img.reshape(-1, 784).astype(np.float32) / 255
    y = np.fromfile(os.path.join(data_dir, "mnist/t10k-labels-idx1-ubyte"), dtype=np.uint8)[8:].astype(np.int32)
    x50, lab, x784 = (os.path.join(tmp, f) for f in ("x50.f32", "y.i32", "x784.f32"))
    PCA(50, svd_solver="full").fit_transform(X).astype(np.float32).tofile(x50)
    y.tofile(lab)
    X[:5000].tofile(x784)
    for name, src in (("sk_tsne.py", SK_TSNE), ("r_tsne.R", R_TSNE), ("sk_kpca.py", SK_KPCA)):
        open(os.path.join(tmp, name), "w").write(src)
    rows = []

    def record(kind, who, res, l0):
        res.update({"kind": kind, "who": who, "load_before": l0, "load_after": load()})
        rows.append(res)
        print(json.dumps(res), flush=True)

    for r in range(rounds):
        l0 = load()
        res = json.loads(run([binary, "tsne", x50, lab, "50", "10000", os.path.join(tmp, "aelab.f64")]))
        res["own_kl"] = res.pop("kl")
        res.update(json.loads(run([binary, "score", x50, lab, "50", "10000", os.path.join(tmp, "aelab.f64")])))
        record("tsne", "aelab", res, l0)
        l0 = load()
        res = json.loads(run(["/usr/bin/python3", os.path.join(tmp, "sk_tsne.py"), x50, os.path.join(tmp, "sk.f64")]))
        res.update(json.loads(run([binary, "score", x50, lab, "50", "10000", os.path.join(tmp, "sk.f64")])))
        record("tsne", "scikit-learn 1.2 TSNE barnes_hut", res, l0)
        if use_r:
            l0 = load()
            res = json.loads(run(["Rscript", os.path.join(tmp, "r_tsne.R"), x50, os.path.join(tmp, "r.f64")]))
            res.update(json.loads(run([binary, "score", x50, lab, "50", "10000", os.path.join(tmp, "r.f64")])))
            record("tsne", "Rtsne 0.16 (bhtsne)", res, l0)
        l0 = load()
        record("kpca", "aelab", json.loads(run([binary, "kpca", x784, "784", "5000", "2", repr(1.0 / 784)])), l0)
        for solver in ("arpack", "dense"):
            l0 = load()
            res = json.loads(run(["/usr/bin/python3", os.path.join(tmp, "sk_kpca.py"), x784, solver]))
            record("kpca", f"scikit-learn KernelPCA {solver}", res, l0)

    # ---- report: median over rounds per side --------------------------------------------
    def med(kind, who, key):
        v = [x[key] for x in rows if x["kind"] == kind and x["who"] == who and key in x]
        return float(np.median(v)) if v else float("nan")

    loads = sorted(float(x[k]) for x in rows for k in ("load_before", "load_after"))
    md = [f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {rounds} round(s), 1 thread each, "
          f"1-minute load average during the runs {loads[0]:.2f}..{loads[-1]:.2f} (2-core machine).", "",
          "t-SNE of 10,000 MNIST test images (PCA-50 input, perplexity 30, theta 0.5, 1,000 iterations):", "",
          "| implementation | wall time (s) | CPU time (s) | KL, same P, exact Q | KL, its own report | 5-NN accuracy |",
          "|---|---:|---:|---:|---:|---:|"]
    whos = [w for w in dict.fromkeys(x["who"] for x in rows if x["kind"] == "tsne")]
    for w in whos:
        md.append(f"| {w} | {med('tsne', w, 'seconds'):.1f} | {med('tsne', w, 'cpu_seconds'):.1f} | {med('tsne', w, 'kl'):.4f} | "
                  f"{med('tsne', w, 'own_kl'):.4f} | {med('tsne', w, 'knn5'):.4f} |")
    md += ["", "Kernel PCA, rbf gamma = 1/784, k = 2, N = 5,000 (784 pixels):", "",
           "| implementation | wall time (s) | CPU time (s) | eigenvalues | max rel. diff. vs aelab |", "|---|---:|---:|---|---:|"]
    ours = next(x for x in rows if x["kind"] == "kpca" and x["who"] == "aelab")["eigenvalues"]
    for w in dict.fromkeys(x["who"] for x in rows if x["kind"] == "kpca"):
        ev = next(x for x in rows if x["kind"] == "kpca" and x["who"] == w)["eigenvalues"]
        rel = max(abs(a - b) / abs(b) for a, b in zip(ev, ours))
        md.append(f"| {w} | {med('kpca', w, 'seconds'):.2f} | {med('kpca', w, 'cpu_seconds'):.2f} | {', '.join(f'{v:.6f}' for v in ev)} | {rel:.2e} |")
    text = "\n".join(md) + "\n"
    open(os.path.join(out, "embed_bench.md"), "w").write(text)
    json.dump(rows, open(os.path.join(out, "embed_bench.json"), "w"), indent=1)
    print(text)
    for f in os.listdir(tmp):
        os.remove(os.path.join(tmp, f))
    os.rmdir(tmp)


if __name__ == "__main__":
    main()
