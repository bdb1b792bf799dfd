#!/usr/bin/python3
"""scikit-learn 1.2 reference for `aelab pca` (experiment 2) and the PCA bound of experiment 3.

For each k: PCA(n_components=k, svd_solver="full") fitted on the 60,000 training images
(float32, /255, as aelab), then the cumulative explained variance ratio and the train/test
reconstruction MSE, the mean over all entries of (inverse_transform(transform(X)) - X)^2
(accumulated in float64). Also PCA(n_components=0.95, svd_solver="full") for the smallest
k explaining 95% of the variance, and PCA-k's test MSE on the first --curve-subset test
images (the subset of aelab's training curves). OpenBLAS threads: OPENBLAS_NUM_THREADS (set
by the caller, recorded).
Usage: /usr/bin/python3 sklearn_pca.py --out-json pca.json [--k 2,5,10,30,50,128]
"""
import argparse
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import aelab_ref as R  # noqa: E402


def mse(p, X, chunk=10000):
    se = 0.0
    for s in range(0, X.shape[0], chunk):
        Xs = X[s:s + chunk]
        D = p.inverse_transform(p.transform(Xs)).astype(np.float64) - Xs
        se += float(np.einsum("ij,ij->", D, D))
    return se / X.size


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default="mnist", choices=["mnist", "fashion"])
    ap.add_argument("--data-dir", default="data")
    ap.add_argument("--k", default="2,5,10,30,50,128")
    ap.add_argument("--variance", type=float, default=0.95)
    ap.add_argument("--curve-k", type=int, default=5)
    ap.add_argument("--curve-subset", type=int, default=2000)
    ap.add_argument("--solver", default="full")
    ap.add_argument("--out-json", required=True)
    a = ap.parse_args()
    wall = R.Timer()
    import sklearn
    from sklearn.decomposition import PCA

    Xtr, _, Xte, _ = R.load_set(a.data_dir, a.data)
    rows = []
    for k in [int(v) for v in a.k.split(",")]:
        p = PCA(n_components=k, svd_solver=a.solver)
        t = R.Timer()
        p.fit(Xtr)
        fit_s = t.s()
        row = {"k": k, "explained_variance_ratio_cumulative": float(p.explained_variance_ratio_.sum()),
               "train_mse": mse(p, Xtr), "test_mse": mse(p, Xte), "fit_seconds": fit_s}
        if k == a.curve_k:
            row["test_mse_curve_subset"] = mse(p, Xte[:a.curve_subset])
        rows.append(row)
        print(f"sklearn PCA k={k}: evr {row['explained_variance_ratio_cumulative']:.4f} "
              f"test MSE {row['test_mse']:.6f} fit {fit_s:.2f} s", flush=True)
    p = PCA(n_components=a.variance, svd_solver="full")
    t = R.Timer()
    p.fit(Xtr)
    fit_s = t.s()
    var = {"fraction": a.variance, "k": int(p.n_components_),
           "explained_variance_ratio_cumulative": float(p.explained_variance_ratio_.sum()),
           "test_mse": mse(p, Xte), "train_mse": mse(p, Xtr), "fit_seconds": fit_s}
    print(f"sklearn PCA n_components={a.variance}: k={var['k']} test MSE {var['test_mse']:.6f}", flush=True)
    R.write_json(a.out_json, {"framework": f"scikit-learn {sklearn.__version__}", "data": a.data,
                              "solver": a.solver, "dtype": "float32", "rows": rows, "variance": var,
                              "env": R.env_info(), "wall_seconds": wall.s()})


if __name__ == "__main__":
    main()
