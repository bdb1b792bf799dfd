#!/usr/bin/python3
"""aelab classify against scikit-learn's LogisticRegression on the same split (issue 12).

For each built-in table (breast-cancer, wine) this script runs

    aelab classify --data NAME --on raw,pca:2 --out DIR

reads the split aelab used (DIR/split.csv: 0-based sample indices of each split) and the
fitted coefficients (DIR/metrics.json), and fits scikit-learn on exactly those samples:
StandardScaler fitted on the training split, then LogisticRegression(solver="lbfgs", C=1,
tol=1e-10, max_iter=10000) on the standardized features ("raw") and on PCA(2) of them
("pca:2"; PCA fitted on the training split). multi_class="auto" as aelab: two classes are
one sigmoid, three a multinomial softmax. It prints, per table and feature set, both test
accuracies and ROC AUCs (binary, or one-vs-rest macro for wine) and the relative difference
of the coefficients, max|W_aelab - W_sklearn| / max|W_sklearn| (pca:2: per column up to the
sign of each principal component, which neither library fixes the same way).

Checks (exit 1 if one fails): test accuracies and AUCs equal (to 1e-9), coefficients and
intercepts within 1e-3 relative.

    /usr/bin/python3 tests/bench/repro/logreg_sklearn.py [--bin build/native/native/aelab]
                                                          [--data-dir data] [--quiet]
The tables are read from DATA_DIR/tabular/ (scripts/setup puts them there); --data-dir
defaults to $AELAB_DATA_DIR or data/.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

import numpy as np
from sklearn.decomposition import PCA
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, roc_auc_score
from sklearn.preprocessing import StandardScaler

FILES = {"breast-cancer": "breast_cancer.csv", "wine": "wine_data.csv"}


def load_table(path):
    data = np.loadtxt(path, delimiter=",", skiprows=1)
    return data[:, :-1], data[:, -1].astype(int)


def rel(a, b):
    return float(np.max(np.abs(a - b)) / max(np.max(np.abs(b)), 1e-300))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
    ap.add_argument("--bin", default=os.path.join(root, "build/native/native/aelab"))
    ap.add_argument("--data-dir", default=os.environ.get("AELAB_DATA_DIR") or os.path.join(root, "data"))
    ap.add_argument("--quiet", action="store_true")
    a = ap.parse_args()
    failures = []
    print("%-14s %-6s %9s %9s %9s %9s %10s %10s" % ("table", "feat", "acc ours", "acc sk", "AUC ours", "AUC sk",
                                                   "coef rel", "icpt rel"))
    with tempfile.TemporaryDirectory(prefix="aelab-logreg-repro.") as tmp:
        for name, fname in FILES.items():
            out = os.path.join(tmp, name)
            cmd = [a.bin, "classify", "--data", name, "--data-dir", a.data_dir, "--on", "raw,pca:2", "--out", out,
                   "--quiet"]
            r = subprocess.run(cmd, capture_output=True, text=True)
            if r.returncode != 0:
                print(r.stderr, file=sys.stderr)
                sys.exit("aelab classify failed: " + " ".join(cmd))
            m = json.load(open(os.path.join(out, "metrics.json")))
            split = np.genfromtxt(os.path.join(out, "split.csv"), delimiter=",", skip_header=1, dtype=str)
            tr = split[split[:, 0] == "train", 1].astype(int)
            te = split[split[:, 0] == "test", 1].astype(int)
            X, y = load_table(os.path.join(a.data_dir, "tabular", fname))
            assert len(np.intersect1d(tr, te)) == 0 and len(tr) + len(te) == len(y), "split is not a partition"
            sc = StandardScaler().fit(X[tr])
            Xtr, Xte = sc.transform(X[tr]), sc.transform(X[te])
            pca = PCA(2, svd_solver="full").fit(Xtr)
            feats = {"raw": (Xtr, Xte), "pca:2": (pca.transform(Xtr), pca.transform(Xte))}
            for row in m["rows"]:
                ftr, fte = feats[row["features"]]
                lr = LogisticRegression(solver="lbfgs", C=1.0, tol=1e-10, max_iter=10000).fit(ftr, y[tr])
                acc = accuracy_score(y[te], lr.predict(fte))
                proba = lr.predict_proba(fte)
                auc = roc_auc_score(y[te], proba[:, 1]) if proba.shape[1] == 2 else \
                    roc_auc_score(y[te], proba, multi_class="ovr", average="macro")
                W = np.array(row["coef"])
                b = np.array(row["intercept"]).ravel()
                Wsk = lr.coef_.copy()
                if row["features"].startswith("pca"):  # component signs: align columns
                    for j in range(W.shape[1]):
                        if np.dot(W[:, j], Wsk[:, j]) < 0:
                            Wsk[:, j] = -Wsk[:, j]
                cr, ir = rel(W, Wsk), rel(b, lr.intercept_)
                print("%-14s %-6s %9.4f %9.4f %9.4f %9.4f %10.2e %10.2e" % (
                    name, row["features"], row["test_accuracy"], acc, row["test_roc_auc"], auc, cr, ir))
                if abs(row["test_accuracy"] - acc) > 1e-9:
                    failures.append("%s %s: test accuracy %.6f vs scikit-learn %.6f" % (name, row["features"],
                                                                                      row["test_accuracy"], acc))
                if abs(row["test_roc_auc"] - auc) > 1e-9:
                    failures.append("%s %s: test AUC %.6f vs scikit-learn %.6f" % (name, row["features"],
                                                                                 row["test_roc_auc"], auc))
                if cr > 1e-3 or ir > 1e-3:
                    failures.append("%s %s: coefficients differ by %.2e / intercepts by %.2e relative" % (
                        name, row["features"], cr, ir))
    for f in failures:
        print("MISMATCH " + f)
    print("logreg_sklearn: %d mismatches" % len(failures))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
