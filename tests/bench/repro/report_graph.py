#!/usr/bin/python3
"""Rows 6-9 of the reproduction table (issue 10's layer-graph models) from run_repro.sh's raw
outputs: raw/ours/g*.json (aelab_repro_graph train), raw/ref/g*.json (torch_graph.py),
raw/check/*/check.json (the bit-identity checks) and raw/times.tsv.

make_report.py imports graph_section() to put the rows into the whole table; run alone
(run_repro.sh --only graph does) it writes <out>/repro_graph.md and repro_graph.json:
  /usr/bin/python3 report_graph.py --raw results/repro/raw --out results/repro --steps6 1718 \
      --steps7 6000 --steps9 1404 --iwae 50
"""
import argparse
import csv
import json
import math
import os
import platform

MODELS = [  # (experiment, file stem, title, data)
    ("6", "g6_conv_ae", "course conv AE", "fashion"),
    ("7", "g7_vae_k2", "VAE k = 2", "mnist"),
    ("8", "g8_vae_k5", "VAE k = 5", "mnist"),
    ("9", "g9_conv_vae", "conv VAE", "mnist"),
]
CHECKS = [("conv_ae", "course conv AE"), ("vae_k2", "VAE k = 2"), ("vae_k5", "VAE k = 5"), ("conv_vae", "conv VAE")]


def jload(p):
    with open(p) as f:
        return json.load(f)


def num(x, d=5):
    return "—" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:.{d}f}"


def ratio(a, b):
    if a is None or b is None or b == 0:
        return "—"
    r = a / b
    return f"{r:.4f} ({100 * (r - 1):+.2f}%)"


def secs(x):
    if x is None:
        return "—"
    x = float(x)
    return f"{x:.0f} s" if x < 100 else f"{int(x // 60)}:{int(round(x % 60)):02d}"


def wall_times(raw):
    t = {}
    with open(os.path.join(raw, "times.tsv")) as f:
        for r in csv.DictReader(f, delimiter="\t"):
            if r["experiment"] in ("spread", "check"):
                continue
            key = (r["side"], r["experiment"])
            t[key] = t.get(key, 0.0) + float(r["seconds"])
    return t


def available(raw):
    return os.path.exists(os.path.join(raw, "ours", "g6_conv_ae.json"))


def graph_section(raw, steps6, steps7, steps9, iwae):
    """(rows of the main table, JSON dict, markdown lines after the table)."""
    P = lambda *x: os.path.join(raw, *x)  # noqa: E731
    W = wall_times(raw)
    rows, J, md = [], {"experiments": {}, "checks": {}, "step0": [], "spread": []}, []
    ep6 = steps6 * 32 / 55000
    ep7 = steps7 * 100 / 60000
    ep9 = steps9 * 128 / 60000
    setups = {
        "6": (f"Fashion-MNIST, 55,000 training images (last 5,000 held out); Géron's conv AE `{{A6}}`; "
              f"BCE (mean over entries), SGD lr 1.0, batch 32, {steps6:,} steps ({ep6:.2f} epochs), seed 1"),
        "7": (f"MNIST 60k/10k; `d500-elu,d500-elu,g2|d500-elu,d500-elu,d784-sigmoid`; Bernoulli decoder (BCE summed "
              f"per image), analytic KL, beta 1, Adam 1e-3, batch 100, {steps7:,} steps ({ep7:g} epochs), seed 1"),
        "8": "〃 with `g5` (k = 5)",
        "9": (f"MNIST; Keras' conv VAE `{{A9}}`; Bernoulli decoder, beta 1, Adam 1e-3, batch 128, "
              f"{steps9:,} steps ({ep9:.2f} epochs), seed 1"),
    }
    res = {}
    for e, stem, title, _ in MODELS:
        o, r = jload(P("ours", stem + ".json")), jload(P("ref", stem + ".json"))
        res[e] = (o, r)
        # '|' (the encoder marker) would split a markdown table cell: escaped
        setup = setups[e].replace("{A6}", o["arch"]).replace("{A9}", o["arch"]).replace("|", "\\|")
        fo, fr = o["final"], r["final"]
        wo, wr = secs(W.get(("ours", e))), secs(W.get(("ref", e)))
        if not o["vae"]:
            rows.append([e, f"{title}, test BCE", setup, num(fo["bce"]), num(fr["bce"]), ratio(fo["bce"], fr["bce"]), wo, wr])
            rows.append(["", f"{title}, test MSE", "〃", num(fo["mse"]), num(fr["mse"]), ratio(fo["mse"], fr["mse"]), "", ""])
        else:
            rows.append([e, f"{title}: test ELBO, mean code (nats/image)", setup, num(fo["elbo_mean"], 3),
                         num(fr["elbo_mean"], 3), ratio(fo["elbo_mean"], fr["elbo_mean"]), wo, wr])
            rows.append(["", f"{title}: reconstruction (BCE summed per image)", "〃", num(fo["recon"], 3),
                         num(fr["recon"], 3), ratio(fo["recon"], fr["recon"]), "", ""])
            rows.append(["", f"{title}: KL(q(z|x) ‖ N(0, I))", "〃", num(fo["kl"], 3), num(fr["kl"], 3),
                         ratio(fo["kl"], fr["kl"]), "", ""])
            rows.append(["", f"{title}: test ELBO, one sampled z per image", "〃 (eval stream seed 7)",
                         num(fo["elbo_sampled"], 3), num(fr["elbo_sampled"], 3),
                         ratio(fo["elbo_sampled"], fr["elbo_sampled"]), "", ""])
            if fo.get("iwae") is not None and fr.get("iwae") is not None:
                rows.append(["", f"{title}: log p(x) ≥ IWAE bound, K = {o['iwae_k']}", "〃", num(fo["iwae"], 3),
                             num(fr["iwae"], 3), ratio(fo["iwae"], fr["iwae"]), "", ""])
        J["experiments"][e] = {"title": title, "setup": setup, "ours": o, "ref": r}
        key = "bce" if not o["vae"] else "elbo_mean"
        J["step0"].append({"model": title, "metric": key, "ours": o["step0"][key], "ref": r["step0"][key]})
    for stem, title in CHECKS:
        p = P("check", stem, "check.json")
        if os.path.exists(p):
            J["checks"][title] = jload(p)

    md.append("**Rows 6-9: same start, same batches, same noise.** Before training, `aelab_repro_graph dump` "
              "writes aelab's initial parameters (`Graph::init_params(1)`), the first training steps' batch "
              "indices and eps (`Graph::sample_eps` from the trainer's stream) and the forward pass of 16 test "
              "images; `torch_graph.py --check` rebuilds them from its own replica of aelab's random stream "
              "(aelab_ref.py) in PyTorch's layouts:")
    md.append("")
    md.append("| model | parameters | initial weights | batches (reshuffles crossed) | eps blocks | forward, max abs diff |")
    md.append("|---|---|---|---|---|---|")
    for title, c in J["checks"].items():
        eps = "—" if c["eps_blocks_bit_identical"] is None else f"{c['eps_blocks_bit_identical']}/{c['steps']} bit-identical"
        md.append(f"| {title} | {c['num_params']:,} | {'bit-identical' if c['params_bit_identical'] else 'DIFFER'} | "
                  f"{c['batches_equal']}/{c['steps']} equal ({c['reshuffles_crossed']}) | {eps} | "
                  f"{c['forward_max_abs_diff']:.1e} |")
    md.append("")
    n0 = next(iter(J["experiments"].values()))["ours"].get("eval0_images", 10000)
    md.append(f"Step 0 on the first {n0:,} test images (identical weights, before any update): test BCE (conv AE) "
              "or ELBO with the mean code (VAEs):")
    md.append("")
    md.append("| model | aelab step 0 | PyTorch step 0 | relative difference |")
    md.append("|---|---|---|---|")
    for s in J["step0"]:
        md.append(f"| {s['model']} | {s['ours']:.7f} | {s['ref']:.7f} | {s['ours'] / s['ref'] - 1:+.1e} |")
    spread = []
    for e, stem, title, _ in MODELS:
        p = P("ref", stem + "_seed2.json")
        if not os.path.exists(p):
            continue
        o, r = res[e]
        s2 = jload(p)["final"]
        for key in (("bce", "mse") if not o["vae"] else ("elbo_mean", "recon", "kl")):
            spread.append((title, key, o["final"][key], r["final"][key], s2[key]))
    if spread:
        J["spread"] = [{"model": t, "metric": k, "ours_seed1": a, "ref_seed1": b, "ref_seed2": c}
                       for t, k, a, b, c in spread]
        md.append("")
        md.append("Seed-to-seed spread of the reference (PyTorch retrained from seed 2: other initial weights, "
                  "batch order and eps), against which the aelab / PyTorch difference is judged (read each "
                  "aelab / PyTorch ratio against the seed 2 / seed 1 ratio of the same figure; one other seed "
                  "is one sample of the spread, not its range):")
        md.append("")
        md.append("| model | metric | aelab seed 1 | PyTorch seed 1 | aelab / PyTorch | PyTorch seed 2 | seed 2 / seed 1 |")
        md.append("|---|---|---|---|---|---|---|")
        for t, k, a_, b, c in spread:
            md.append(f"| {t} | {k} | {a_:.5f} | {b:.5f} | {ratio(a_, b)} | {c:.5f} | {ratio(c, b)} |")
    md.append("")
    md.append("Details of rows 6-9: the aelab side is `aelab_repro_graph train` (tests/bench/repro/repro_graph.cpp): "
              "core's `Graph<float>` and `Optimizer` driven in the Trainer's order (Rng(seed, 0x7a1) shuffles; per "
              "step the batch, then eps from the same stream, forward/backward, the optimizer step: the training-order "
              "contract of issue 10; `aelab train --recipe vae-paper-k5 --steps 300 --seed 1` gives the same test "
              "ELBO and KL to 9 digits), evaluating on the 10,000 test images; the reference is `torch_graph.py` "
              "on the same architecture string (Keras geometry: SAME pads the smaller half before, transposed "
              "convolutions are the adjoint, cropped). VAE figures are nats per image on all 10,000 test images: "
              "ELBO = -(recon + KL) with the mean code; the sampled ELBO draws one z per image from "
              "Rng(7, 0xe7a1) on both sides (the same eps); the IWAE bound uses K further draws per image. "
              f"IWAE K = {iwae} for the dense VAEs (skipped for the conv VAE: its 10,000-image passes are slow in "
              "PyTorch). Both sides of one model run at the same time, one thread each.")
    return rows, J, md


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--raw", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--schedule", default="default")
    ap.add_argument("--steps6", type=int, required=True)
    ap.add_argument("--steps7", type=int, required=True)
    ap.add_argument("--steps9", type=int, required=True)
    ap.add_argument("--iwae", type=int, default=0)
    ap.add_argument("--wall", type=float, default=None)
    ap.add_argument("--load-start", default="")
    ap.add_argument("--load-end", default="")
    ap.add_argument("--nice", default="19")
    ap.add_argument("--git", default="")
    ap.add_argument("--git-dirty", default="0")
    ap.add_argument("--command", default="tests/bench/repro/run_repro.sh --only graph")
    a = ap.parse_args()
    rows, J, md_after = graph_section(a.raw, a.steps6, a.steps7, a.steps9, a.iwae)
    md = ["## Reproduction table: layer-graph models (rows 6-9)", "",
          "| # | experiment | setup | aelab | reference | aelab / reference | wall aelab | wall reference |",
          "|---|---|---|---|---|---|---|---|"]
    md += ["| " + " | ".join(str(x) for x in r) + " |" for r in rows]
    md.append("")
    md.append(f"Schedule `{a.schedule}`; every command under `nice -n {a.nice}`, one thread per side; load average "
              f"{a.load_start} at the start, {a.load_end} at the end (2 cores, shared): wall times are indicative.")
    md.append("")
    md += md_after
    if a.wall is not None:
        md.append("")
        md.append(f"Whole run: {secs(a.wall)} ({a.wall:.0f} s) for `{a.command}` at git {a.git}"
                  f"{' (with uncommitted changes)' if a.git_dirty not in ('', '0') else ''}, "
                  f"{platform.node()}, {os.cpu_count()} CPUs.")
    text = "\n".join(md) + "\n"
    os.makedirs(a.out, exist_ok=True)
    with open(os.path.join(a.out, "repro_graph.md"), "w") as f:
        f.write(text)
    J.update({"schedule": a.schedule, "command": a.command, "total_wall_seconds": a.wall,
              "load_average_start": a.load_start, "load_average_end": a.load_end, "git_head": a.git})
    with open(os.path.join(a.out, "repro_graph.json"), "w") as f:
        json.dump(J, f, indent=1)
        f.write("\n")
    print(text)


if __name__ == "__main__":
    main()
