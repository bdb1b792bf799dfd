#!/usr/bin/python3
"""Builds results/repro/repro.md and repro.json from run_repro.sh's raw outputs (and the
experiment-3 plot when matplotlib is installed). Called by run_repro.sh; can be rerun alone:
  /usr/bin/python3 make_report.py --raw results/repro/raw --out results/repro [options]
"""
import argparse
import csv
import json
import math
import os
import shutil
import platform
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import report_graph  # noqa: E402  (rows 6-9: the layer-graph models of issue 10)


def jload(p):
    with open(p) as f:
        return json.load(f)


def read_csv(p):
    with open(p, newline="") as f:
        return [{k: (float(v) if k != "model" else v) for k, v in r.items()} for r in csv.DictReader(f)]


def f5(x):
    return "—" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:.5f}"


def f6(x):
    return "—" if x is None else f"{x:.6f}"


def ratio(a, b):
    if a is None or b is None or b == 0:
        return "—"
    r = a / b
    return f"{r:.4f} ({100 * (r - 1):+.2f}%)"


def pp(a, b):
    return "—" if a is None or b is None else f"{100 * (a - b):+.2f} pp"


def secs(x):
    if x is None:
        return "—"
    x = float(x)
    return f"{x:.0f} s" if x < 100 else f"{int(x // 60)}:{int(round(x % 60)):02d}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--raw", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--schedule", default="default")
    ap.add_argument("--steps1", type=int, required=True)
    ap.add_argument("--epochs4", type=int, required=True)
    ap.add_argument("--epochs5", type=int, required=True)
    ap.add_argument("--eval-every1", type=int, required=True)
    ap.add_argument("--wall", type=float, default=None)
    ap.add_argument("--load-start", default="")
    ap.add_argument("--load-end", default="")
    ap.add_argument("--nice", default="19")
    ap.add_argument("--git", default="")
    ap.add_argument("--git-dirty", default="0")
    ap.add_argument("--command", default="tests/bench/repro/run_repro.sh")
    ap.add_argument("--readme", default=None)
    ap.add_argument("--steps6", type=int, default=0)
    ap.add_argument("--steps7", type=int, default=0)
    ap.add_argument("--steps9", type=int, default=0)
    ap.add_argument("--iwae", type=int, default=0)
    a = ap.parse_args()
    raw = a.raw
    os.makedirs(a.out, exist_ok=True)
    P = lambda *x: os.path.join(raw, *x)  # noqa: E731

    # wall times per (side, experiment)
    times = {}
    per_cmd = []
    with open(P("times.tsv")) as f:
        for r in csv.DictReader(f, delimiter="\t"):
            per_cmd.append(r)
            if r["experiment"] == "spread":
                continue
            key = (r["side"], r["experiment"])
            times[key] = times.get(key, 0.0) + float(r["seconds"])
    W = lambda side, e: times.get((side, str(e)))  # noqa: E731

    J = {"schedule": a.schedule, "command": a.command, "total_wall_seconds": a.wall,
         "load_average_start": a.load_start, "load_average_end": a.load_end, "nice": a.nice,
         "git_head": a.git, "git_dirty_tracked_files": int(a.git_dirty), "commands": per_cmd,
         "experiments": {}}
    rows = []  # markdown rows of the main table
    notes = []

    # ---------------------------------------------------------------- experiment 1
    c1 = jload(P("ours", "exp1_compare", "metrics.json"))
    curves_ours = read_csv(P("ours", "exp1_compare", "curves.csv"))
    ours_rows = {r.get("activation", r["model"]): r for r in c1["rows"]}
    pca5 = ours_rows["PCA-5"]
    acts = ["linear", "sigmoid", "relu", "elu"]
    names = {"linear": "linear AE", "sigmoid": "sigmoid AE", "relu": "ReLU AE", "elu": "ELU AE"}
    ref1 = {m: jload(P("ref", f"exp1_{m}.json")) for m in acts}
    ref1s = {m: jload(P("ref", f"exp1_{m}_seed2.json")) for m in acts
             if os.path.exists(P("ref", f"exp1_{m}_seed2.json"))}
    ep1 = a.steps1 * 100 / 60000
    setup1 = (f"784-500-500-5-500-500-784, linear code & output, MSE, Adam 1e-3, batch 100, "
              f"{a.steps1:,} steps ({ep1:g} epoch{'' if ep1 == 1 else 's'}), seed 1")
    e1 = {"setup": setup1, "models": {}}
    for i, m in enumerate(acts):
        o, r = ours_rows[m], ref1[m]
        first = i == 0
        rows.append([
            "1" if first else "", f"{names[m]} (k = 5), test MSE", setup1 if first else "〃",
            f5(o["test_mse"]), f5(r["final"]["test_mse"]), ratio(o["test_mse"], r["final"]["test_mse"]),
            secs(W("ours", 1)) if first else "", secs(W("ref", 1)) if first else ""])
        ours_c0 = next(c for c in curves_ours if c["model"] == m and c["step"] == 0)
        e1["models"][m] = {
            "ours": {"test_mse": o["test_mse"], "train_mse": o["train_mse"], "train_seconds": o["train_seconds"],
                     "samples_per_second": o.get("samples_per_second"), "steps": o["steps"],
                     "diverged": o.get("diverged"), "step0_test_mse_subset": ours_c0["test_mse"]},
            "ref": {**r["final"], "step0_test_mse_subset": r["step0_test_mse_subset"], "diverged": r["diverged"]},
            "ref_seed2": ref1s[m]["final"] if m in ref1s else None}
    e1["pca5_test_mse"] = pca5["test_mse"]
    J["experiments"]["1"] = e1

    # ---------------------------------------------------------------- experiment 2
    p_ours = jload(P("ours", "exp2_pca", "metrics.json"))
    p_ref = jload(P("ref", "exp2_sklearn.json"))
    ours_k = {r["k"]: r for r in p_ours["rows"] if not str(r["row"]).startswith("var")}
    ours_var = next(r for r in p_ours["rows"] if str(r["row"]).startswith("var"))
    e2 = {"rows": [], "variance": {}}
    for i, rr in enumerate(p_ref["rows"]):
        k = rr["k"]
        o = ours_k[k]
        first = i == 0
        rows.append([
            "2" if first else "", f"PCA-{k} test MSE (explained var. {o['explained_variance_ratio_cumulative']:.4f} / "
            f"{rr['explained_variance_ratio_cumulative']:.4f})",
            ("MNIST, fit on 60k train (float32), test on 10k; ours `aelab pca` "
             f"(solver {o['solver']}) vs sklearn `PCA(svd_solver=\"full\")`") if first else "〃",
            f6(o["test_mse"]), f6(rr["test_mse"]), ratio(o["test_mse"], rr["test_mse"]),
            secs(W("ours", 2)) if first else "", secs(W("ref", 2)) if first else ""])
        e2["rows"].append({"k": k, "ours": o, "ref": rr})
    rv = p_ref["variance"]
    rows.append(["", "k at 95% variance (its test MSE)", "〃",
                 f"k = {ours_var['k']} ({ours_var['test_mse']:.6f})", f"k = {rv['k']} ({rv['test_mse']:.6f})",
                 "same k" if ours_var["k"] == rv["k"] else f"k differs by {ours_var['k'] - rv['k']:+d}", "", ""])
    e2["variance"] = {"ours": ours_var, "ref": rv}
    J["experiments"]["2"] = e2

    # ---------------------------------------------------------------- experiment 3
    lin_o = [c for c in curves_ours if c["model"] == "linear"]
    lin_r = read_csv(P("ref", "exp1_linear.csv"))
    pca_sub_o = pca5.get("test_mse_curve_subset")
    pca_sub_r = next(r for r in p_ref["rows"] if r["k"] == 5).get("test_mse_curve_subset")
    steps_avail = sorted(set(int(c["step"]) for c in lin_o) & set(int(c["step"]) for c in lin_r))
    want = [0, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0]
    cps = []
    for w in want:
        target = w * a.steps1
        s = min(steps_avail, key=lambda x: abs(x - target))
        if s not in cps:
            cps.append(s)
    co = {int(c["step"]): c for c in lin_o}
    cr = {int(c["step"]): c for c in lin_r}
    e3 = {"pca5_test_mse_subset": {"ours": pca_sub_o, "ref": pca_sub_r}, "checkpoints": []}
    cp_rows = []
    for s in cps:
        o, r = co[s]["test_mse"], cr[s]["test_mse"]
        cp_rows.append([f"{s:,}", f"{co[s]['epoch']:.2f}", f5(o), f5(r), ratio(o, r),
                        f"{o / pca_sub_o:.4f}", f"{r / pca_sub_r:.4f}"])
        e3["checkpoints"].append({"step": s, "epoch": co[s]["epoch"], "ours_test_mse_subset": o,
                                  "ref_test_mse_subset": r})
    lo, lr_ = ours_rows["linear"]["test_mse"], ref1["linear"]["final"]["test_mse"]
    pca5_ref_full = next(r for r in p_ref["rows"] if r["k"] == 5)["test_mse"]
    rows.append(["3", "linear AE / PCA-5, test MSE ratio at the end (full test set)",
                 "the linear AE of experiment 1 against PCA-5 (ours: `aelab compare`'s PCA-5; "
                 "reference: sklearn); curve below",
                 f"{lo / pca5['test_mse']:.4f}", f"{lr_ / pca5_ref_full:.4f}",
                 f"{100 * (lo / pca5['test_mse'] - lr_ / pca5_ref_full):+.2f} pp", "(exp. 1)", "(exp. 1)"])
    e3["final_ratio"] = {"ours": lo / pca5["test_mse"], "ref": lr_ / pca5_ref_full}
    J["experiments"]["3"] = e3

    # ---------------------------------------------------------------- experiment 4
    t4 = jload(P("ours", "exp4_train", "metrics.json"))["final"]
    v4 = jload(P("ours", "exp4_eval", "metrics.json"))["final"]
    r4 = jload(P("ref", "exp4.json"))
    setup4 = (f"784-256-128-256-784, sigmoid hidden, code and output, MSE, Adam 1e-3, batch 128, "
              f"{a.epochs4} epoch{'' if a.epochs4 == 1 else 's'} ({a.epochs4 * (60000 // 128):,} steps), seed 1")
    rows.append(["4", "sigmoid AE, test MSE", setup4, f5(v4["test_mse"]), f5(r4["final"]["test_mse"]),
                 ratio(v4["test_mse"], r4["final"]["test_mse"]), secs(W("ours", 4)), secs(W("ref", 4))])
    rows.append(["", "5-NN accuracy on the 128-d test codes (all 60k labels)", "〃", f"{v4['knn_accuracy']:.4f}",
                 f"{r4['final']['knn_accuracy']:.4f}", pp(v4["knn_accuracy"], r4["final"]["knn_accuracy"]), "", ""])
    rows.append(["", "1-NN accuracy, 10 labelled training images per class", "〃 (the same 100 labelled images)",
                 f"{v4['knn_1nn_10_per_class_accuracy']:.4f}", f"{r4['final']['knn_1nn_10_per_class_accuracy']:.4f}",
                 pp(v4["knn_1nn_10_per_class_accuracy"], r4["final"]["knn_1nn_10_per_class_accuracy"]), "", ""])
    J["experiments"]["4"] = {"setup": setup4, "ours_train": t4, "ours_eval": v4, "ref": r4["final"],
                             "ours_eval_equals_train": abs(t4["test_mse"] - v4["test_mse"]) < 1e-9}

    # ---------------------------------------------------------------- experiment 5
    t5 = jload(P("ours", "exp5_train", "metrics.json"))
    r5 = jload(P("ref", "exp5.json"))
    setup5 = (f"Fashion-MNIST; 784-100-30-100-784, SELU hidden and code, sigmoid output, BCE, SGD lr 1.5, "
              f"batch 32, {a.epochs5} epoch{'' if a.epochs5 == 1 else 's'} ({a.epochs5 * (60000 // 32):,} steps), seed 1")
    f5o = t5["final"]
    rows.append(["5", "SELU AE, test BCE", setup5, f5(f5o["test_loss"]), f5(r5["final"]["test_loss"]),
                 ratio(f5o["test_loss"], r5["final"]["test_loss"]), secs(W("ours", 5)), secs(W("ref", 5))])
    rows.append(["", "SELU AE, test MSE", "〃", f5(f5o["test_mse"]), f5(r5["final"]["test_mse"]),
                 ratio(f5o["test_mse"], r5["final"]["test_mse"]), "", ""])
    J["experiments"]["5"] = {"setup": setup5, "ours": f5o, "ref": r5["final"], "ours_status": t5.get("status"),
                             "ref_diverged": r5["diverged"]}

    # ---------------------------------------------------------------- 6-9: layer graphs
    graph_md = []
    if report_graph.available(raw):
        g_rows, g_json, graph_md = report_graph.graph_section(raw, a.steps6, a.steps7, a.steps9, a.iwae)
        rows += g_rows
        J["graph"] = g_json

    # ---------------------------------------------------------------- same start check
    same = []
    ours4c = read_csv(P("ours", "exp4_train", "curves.csv"))
    ours5c = read_csv(P("ours", "exp5_train", "curves.csv"))
    for m in acts:
        same.append((f"exp 1 {names[m]}", e1["models"][m]["ours"]["step0_test_mse_subset"],
                     ref1[m]["step0_test_mse_subset"]))
    same.append(("exp 4 sigmoid AE", ours4c[0]["test_mse"], r4["step0_test_mse_subset"]))
    same.append(("exp 5 SELU AE", ours5c[0]["test_mse"], r5["step0_test_mse_subset"]))
    J["step0_check"] = [{"model": n, "ours": o, "ref": r, "rel_diff": o / r - 1} for n, o, r in same]

    # ---------------------------------------------------------------- plot
    png = None
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        fig, (ax, bx) = plt.subplots(1, 2, figsize=(12, 4.6), dpi=100)
        for m, col in zip(acts, ["C0", "C1", "C2", "C3"]):
            xo = [c["step"] for c in curves_ours if c["model"] == m]
            yo = [c["test_mse"] for c in curves_ours if c["model"] == m]
            rr = read_csv(P("ref", f"exp1_{m}.csv"))
            lw = 2.0 if m == "linear" else 1.0
            ax.plot(xo, yo, color=col, lw=lw, label=f"{names[m]} (aelab)")
            ax.plot([c["step"] for c in rr], [c["test_mse"] for c in rr], color=col, lw=lw, ls="--",
                    label=f"{names[m]} (PyTorch)")
        ax.axhline(pca_sub_o, color="k", lw=1, ls=":", label="PCA-5 (aelab)")
        ax.axhline(pca_sub_r, color="0.5", lw=1, ls="-.", label="PCA-5 (scikit-learn)")
        ax.set_yscale("log")
        ax.set_ylim(0.015, 0.2)
        ax.set_xlabel("optimizer step (batch 100)")
        ax.set_ylabel("test MSE (first 2000 test images)")
        ax.set_title("MNIST, k = 5: autoencoders and PCA-5")
        ax.legend(fontsize=7, ncol=2)
        ax.grid(alpha=0.3, which="both")
        # the linear AE's excess over the PCA-5 bound
        xo = [c["step"] for c in lin_o if c["step"] > 0]
        bx.plot(xo, [c["test_mse"] / pca_sub_o - 1 for c in lin_o if c["step"] > 0], color="C0", lw=2,
                label="linear AE (aelab) / PCA-5 (aelab) − 1")
        bx.plot([c["step"] for c in lin_r if c["step"] > 0],
                [c["test_mse"] / pca_sub_r - 1 for c in lin_r if c["step"] > 0], color="C0", lw=1.2, ls="--",
                label="linear AE (PyTorch) / PCA-5 (scikit-learn) − 1")
        bx.set_yscale("symlog", linthresh=1e-3)  # the test-set excess may dip below 0
        bx.set_xlabel("optimizer step (batch 100)")
        bx.set_ylabel("relative excess test MSE over PCA-5")
        bx.set_title("the linear AE approaching the PCA bound")
        bx.legend(fontsize=8)
        bx.grid(alpha=0.3, which="both")
        fig.tight_layout()
        png = os.path.join(a.out, "linear_ae_vs_pca.png")
        fig.savefig(png)
        plt.close(fig)
    except ImportError:
        notes.append("The plot of experiment 3 needs python3-matplotlib (not installed): skipped.")

    # ---------------------------------------------------------------- markdown
    env = ref1["linear"]["config"]["env"]
    md = []
    md.append("## Reproduction table")
    md.append("")
    md.append(
        f"aelab (`aelab` CLI, C++17/Eigen, products through OpenBLAS) beside independent reference runs of the "
        f"same setups in PyTorch {ref1['linear']['framework'].split()[-1]} and {p_ref['framework']} "
        f"(Debian packages; scripts in `tests/bench/repro/`). Same data (full MNIST / Fashion-MNIST: 60,000 "
        f"training and 10,000 test images, pixels /255), same architectures, losses, optimizers, learning "
        f"rates, batch sizes and numbers of steps; test MSE is the mean over all 784 × 10,000 entries on both "
        f"sides. The PyTorch runs rebuild aelab's random stream, so both sides start from **bit-identical "
        f"initial weights** (He normal for ReLU/ELU layers, LeCun normal for SELU, Glorot uniform otherwise, "
        f"zero biases) and see **the same minibatches in the same order**; the remaining differences are "
        f"floating-point rounding (different GEMM and activation kernels), which training amplifies.")
    md.append("")
    md.append("| # | experiment | setup | aelab | reference | aelab / reference | wall aelab | wall reference |")
    md.append("|---|---|---|---|---|---|---|---|")
    for r in rows:
        md.append("| " + " | ".join(str(x) for x in r) + " |")
    md.append("")
    md.append(
        f"Schedule `{a.schedule}`. Wall times are whole commands (data loading, training, evaluation, figures; "
        f"the reference's include Python start-up); experiment 1 trains two models at a time on both sides "
        f"(`aelab compare --threads 2`; two PyTorch processes), every model on one thread; experiment 3 reuses "
        f"experiment 1's runs. Threads: `OPENBLAS_NUM_THREADS=1`, `OMP_NUM_THREADS=1`, "
        f"`OMP_WAIT_POLICY=PASSIVE`, `torch.set_num_threads(1)`; `OPENBLAS_CORETYPE={env.get('OPENBLAS_CORETYPE') or 'unset'}` "
        f"for both sides. All commands under `nice -n {a.nice}`; load average {a.load_start} at the start, "
        f"{a.load_end} at the end (2 cores, shared), so wall times are indicative only — the benchmarks "
        f"section measures speed.")
    md.append("")
    md.append(f"**Experiment 3: the linear AE approaching the PCA bound** (test MSE on the first 2000 test images, "
              f"PCA-5 on the same images: {pca_sub_o:.5f} aelab, {pca_sub_r:.5f} scikit-learn)")
    md.append("")
    md.append("| step | epoch | linear AE, aelab | linear AE, PyTorch | aelab / PyTorch | aelab / PCA-5 | PyTorch / PCA-5 |")
    md.append("|---|---|---|---|---|---|---|")
    for r in cp_rows:
        md.append("| " + " | ".join(r) + " |")
    if png:
        md.append("")
        md.append(f"![linear AE vs PCA-5]({os.path.basename(png)})")
    md.append("")
    md.append("**Same start, and the seed-to-seed spread.** Step-0 test MSE (first 2000 test images) of the "
              "untrained models on both sides, which agree when the initial weights are identical:")
    md.append("")
    md.append("| model | aelab step 0 | PyTorch step 0 | relative difference |")
    md.append("|---|---|---|---|")
    for n, o, r in same:
        md.append(f"| {n} | {o:.7f} | {r:.7f} | {o / r - 1:+.1e} |")
    if all(o < r for _, o, r in same) and max(abs(o / r - 1) for _, o, r in same) < 1e-3:
        md.append("")
        md.append("aelab's figures are all slightly *lower* at identical weights: `Autoencoder::recon_loss` "
                  "(core/src/autoencoder.cpp) sums the squared errors (and BCE terms) of a 1000-image "
                  "evaluation chunk, 784,000 entries, in float (`squaredNorm()`, `sum()`), which rounds "
                  "low by up to a few 1e-5 relative; the reference sums in float64. Summing aelab's own "
                  "reconstructions of the same images in double gives the PyTorch value to about 1e-7. "
                  "The differences are far below the digits shown in the table.")
    def band(co_, cr_):
        """min/max of aelab / PyTorch test MSE over the second half of the curve (same steps)."""
        ro = {int(c["step"]): c["test_mse"] for c in co_}
        rr_ = {int(c["step"]): c["test_mse"] for c in cr_}
        last = max(ro)
        qs = [ro[s] / rr_[s] for s in sorted(set(ro) & set(rr_)) if s >= last / 2]
        return (min(qs), max(qs)) if qs else None

    r5s = jload(P("ref", "exp5_seed2.json")) if os.path.exists(P("ref", "exp5_seed2.json")) else None
    spread = []
    for m in acts:
        b_ = band([c for c in curves_ours if c["model"] == m], read_csv(P("ref", f"exp1_{m}.csv")))
        spread.append((f"exp 1 {names[m]}", ours_rows[m]["test_mse"], ref1[m]["final"]["test_mse"],
                       ref1s[m]["final"]["test_mse"] if m in ref1s else None, b_))
    spread.append(("exp 5 SELU AE (MSE)", f5o["test_mse"], r5["final"]["test_mse"],
                   r5s["final"]["test_mse"] if r5s else None, band(ours5c, read_csv(P("ref", "exp5.csv")))))
    spread.append(("exp 5 SELU AE (BCE)", f5o["test_loss"], r5["final"]["test_loss"],
                   r5s["final"]["test_loss"] if r5s else None, None))
    J["spread"] = [{"model": n, "ours_seed1": o, "ref_seed1": r, "ref_seed2": s2,
                    "ours_over_ref_second_half_min_max": b_} for n, o, r, s2, b_ in spread]
    md.append("")
    md.append("Where the two sides part: the same-seed ratio at the end, the range of the same ratio over the "
              "second half of the training curve (test MSE on 2000 test images, same steps), and the PyTorch "
              "model retrained from seed 2 (other initial weights and batch order) for the spread that "
              "training noise alone produces:")
    md.append("")
    md.append("| model | aelab seed 1 | PyTorch seed 1 | aelab / PyTorch (end) | aelab / PyTorch, 2nd half of the "
              "curve | PyTorch seed 2 | seed 2 / seed 1 |")
    md.append("|---|---|---|---|---|---|---|")
    for n, o, r, s2, b_ in spread:
        bs = f"{b_[0]:.4f} … {b_[1]:.4f}" if b_ else "—"
        md.append(f"| {n} | {o:.5f} | {r:.5f} | {ratio(o, r)} | {bs} | {f5(s2)} | {ratio(s2, r)} |")
    md.append("")
    md.append("Details of the setups:")
    md.append("")
    md.append(f"- **1**: `aelab compare --data mnist --k 5 --steps {a.steps1} --threads 2 --seed 1 --eval-every "
              f"{a.eval_every1}` vs `torch_ae.py --act linear|sigmoid|relu|elu` (same options). The linear AE is "
              f"the same 784-500-500-5 network with every activation linear. Published schedule: 50,000 steps "
              f"(`run_repro.sh --schedule paper`).")
    md.append("- **2**: `aelab pca --k 2,5,10,30,50,128 --variance 0.95` vs `sklearn_pca.py` "
              "(`PCA(n_components=k, svd_solver=\"full\")` per k and `PCA(n_components=0.95, svd_solver=\"full\")`, "
              "float32 input; MSE accumulated in float64).")
    md.append("- **3**: test-curve points every "
              f"{a.eval_every1} steps on the first 2000 test images (`aelab compare`'s curves.csv; "
              "`torch_ae.py --eval-every` on the same images).")
    md.append(f"- **4**: `aelab train --arch 784-256-128 --act sigmoid --latent-act sigmoid --out-act sigmoid "
              f"--loss mse --opt adam --lr 0.001 --batch 128 --epochs {a.epochs4}`, then `aelab eval` on the model "
              "(5-NN on all training codes; 1-NN with 10 labelled training images per class, chosen by aelab's "
              "rule: `select_per_class`, seed 0 — the reference picks the same 100 images). The output unit is a "
              "sigmoid, and so is the code layer (every layer of this \"sigmoid AE\" is a sigmoid). The course's "
              "PyTorch example trains `epoch = 100` epochs of batch 128 with Adam's defaults (lr 1e-3).")
    md.append(f"- **5**: `aelab train --data fashion --arch 784-100-30 --act selu --latent-act selu --out-act sigmoid "
              f"--loss bce --opt sgd --lr 1.5 --batch 32 --epochs {a.epochs5}` (Géron's stacked autoencoder: "
              "SELU code layer, Keras' default batch 32, 20 epochs). BCE is the mean over entries (from logits on "
              "both sides). Differences from the book: the full 60,000 training images (the book holds out 5,000) "
              "and LeCun-normal initial weights for the SELU layers (Keras' default there is Glorot uniform).")
    if graph_md:
        md.append("")
        md += graph_md
    md.append("")
    for n in notes:
        md.append(f"- {n}")
    if a.wall is not None:
        md.append(f"Whole run: {secs(a.wall)} ({a.wall:.0f} s) for `{a.command}` at git {a.git}"
                  f"{' (with uncommitted changes)' if a.git_dirty not in ('', '0') else ''}, "
                  f"{platform.node()}, {os.cpu_count()} CPUs.")
    text = "\n".join(md) + "\n"
    os.makedirs(a.out, exist_ok=True)
    with open(os.path.join(a.out, "repro.md"), "w") as f:
        f.write(text)
    J["markdown"] = "repro.md"
    J["plot"] = os.path.basename(png) if png else None
    with open(os.path.join(a.out, "repro.json"), "w") as f:
        json.dump(J, f, indent=1)
        f.write("\n")
    if a.readme and os.path.exists(a.readme):
        with open(a.readme) as f:
            s = f.read()
        b, e = "<!-- REPRO:BEGIN -->", "<!-- REPRO:END -->"
        if b in s and e in s and s.index(b) < s.index(e):
            body = text.replace("## Reproduction table\n\n", "", 1)
            if png:  # README shows the plot from docs/img (committed with the table)
                img = os.path.join(os.path.dirname(os.path.abspath(a.readme)), "docs", "img",
                                   "repro-linear-ae-vs-pca.png")
                os.makedirs(os.path.dirname(img), exist_ok=True)
                shutil.copyfile(png, img)
                body = body.replace(f"![linear AE vs PCA-5]({os.path.basename(png)})",
                                    "![linear AE vs PCA-5](docs/img/repro-linear-ae-vs-pca.png)")
            s = s[:s.index(b) + len(b)] + "\n" + body + "\nRegenerate: `tests/bench/repro/run_repro.sh` " \
                "(writes results/repro/repro.md and repro.json).\n" + s[s.index(e):]
            with open(a.readme, "w") as f:
                f.write(s)
            print(f"make_report: README table updated ({a.readme})", file=sys.stderr)
    print(text)


if __name__ == "__main__":
    main()
