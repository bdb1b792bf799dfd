#!/usr/bin/python3
"""PyTorch 1.13 reference for one `aelab train` / one model of `aelab compare`.

Same data (IDX files, /255), same architecture (encoder widths, decoder mirrored), same
per-layer activations, same loss (MSE = mean over all entries; BCE from logits, mean over
all entries = torch BCEWithLogitsLoss), same optimizer (Adam: betas 0.9/0.999, eps 1e-8;
SGD: plain), lr, batch, number of steps, and - through aelab_ref's PCG32 replica - the same
initial weights and the same minibatch order as aelab with the same --seed (`--init torch`
uses PyTorch's own nn.Linear defaults instead). Curves: test loss/MSE on the first
--eval-max test images every --eval-every steps and at step 0, the training loss averaged
since the previous point (as aelab's curves.csv). Final metrics on all images; with --knn,
k-NN accuracy on the codes (all training labels) and 1-NN with 10 labels per class (the
labelled images chosen by aelab's rule).

Threads: torch.set_num_threads(--threads); the caller sets OMP_WAIT_POLICY=PASSIVE,
OMP_NUM_THREADS and OPENBLAS_NUM_THREADS to the same count (they are recorded).
Usage: /usr/bin/python3 torch_ae.py --arch 784-500-500-5 --act elu --out-json r.json ...
"""
import argparse
import csv
import math
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import aelab_ref as R  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default="mnist", choices=["mnist", "fashion"])
    ap.add_argument("--data-dir", default="data")
    ap.add_argument("--arch", default="784-500-500-5")
    ap.add_argument("--act", default="elu")
    ap.add_argument("--latent-act", default="linear")
    ap.add_argument("--out-act", default="linear")
    ap.add_argument("--loss", default="mse", choices=["mse", "bce"])
    ap.add_argument("--opt", default="adam", choices=["adam", "sgd"])
    ap.add_argument("--lr", type=float, default=None)
    ap.add_argument("--batch", type=int, default=100)
    ap.add_argument("--epochs", type=int, default=None)
    ap.add_argument("--steps", type=int, default=None)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--init", default="aelab", choices=["aelab", "torch"])
    ap.add_argument("--eval-every", type=int, default=0)
    ap.add_argument("--eval-max", type=int, default=2000)
    ap.add_argument("--knn", type=int, default=0, help="k of the k-NN accuracy on the codes (0: skip kNN)")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--out-json", required=True)
    ap.add_argument("--out-curves", default=None)
    ap.add_argument("--label", default=None)
    a = ap.parse_args()
    wall = R.Timer()

    import torch
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)

    Xtr, ytr, Xte, yte = R.load_set(a.data_dir, a.data)
    N = Xtr.shape[0]
    widths = [int(w) for w in a.arch.split("-")]
    enc = widths
    dims = enc + enc[-2::-1]            # 784-500-500-5 -> 784 500 500 5 500 500 784
    nl = len(dims) - 1
    n_enc = len(enc) - 1
    acts = []
    for i in range(nl):
        acts.append(a.latent_act if i == n_enc - 1 else a.out_act if i == nl - 1 else a.act)
    if a.loss == "bce" and a.out_act != "sigmoid":
        sys.exit("torch_ae: --loss bce needs --out-act sigmoid")

    def act_module(name):
        return {"linear": torch.nn.Identity, "sigmoid": torch.nn.Sigmoid, "relu": torch.nn.ReLU,
                "elu": torch.nn.ELU, "selu": torch.nn.SELU, "tanh": torch.nn.Tanh}[name]()

    linears = [torch.nn.Linear(dims[i], dims[i + 1]) for i in range(nl)]
    if a.init == "aelab":
        Ws = R.init_weights([(dims[i], dims[i + 1]) for i in range(nl)], acts, a.seed)
        with torch.no_grad():
            for L, W in zip(linears, Ws):
                L.weight.copy_(torch.from_numpy(W))
                L.bias.zero_()
    layers = []
    for i in range(nl):
        layers.append(linears[i])
        # BCE is computed from the logits: the output sigmoid is applied outside the net.
        if not (i == nl - 1 and a.loss == "bce"):
            layers.append(act_module(acts[i]))
    net = torch.nn.Sequential(*layers)
    enc_net = torch.nn.Sequential(*layers[:2 * n_enc])
    assert all(isinstance(m, torch.nn.Linear) for m in enc_net[0::2])

    lr = a.lr if a.lr is not None else (1e-3 if a.opt == "adam" else 0.01)
    params = list(net.parameters())
    opt = (torch.optim.Adam(params, lr=lr, betas=(0.9, 0.999), eps=1e-8) if a.opt == "adam"
           else torch.optim.SGD(params, lr=lr))
    steps_per_epoch = N // a.batch
    total = a.steps if a.steps is not None else (a.epochs or 5) * steps_per_epoch
    eval_every = a.eval_every or max(100, total // 50)

    Xtr_t, Xte_t = torch.from_numpy(Xtr), torch.from_numpy(Xte)
    bce = torch.nn.BCEWithLogitsLoss()

    def outputs(xb):
        """(recon in [0,1] or linear, loss value tensor)."""
        o = net(xb)
        if a.loss == "bce":
            return torch.sigmoid(o), bce(o, xb)
        return o, torch.mean((o - xb) ** 2)

    def evaluate(X, chunk=1000):
        """(loss, MSE) over all entries of X, summed in float64 (forward pass in float32)."""
        with torch.no_grad():
            se = 0.0
            ls = 0.0
            for s in range(0, X.shape[0], chunk):
                xb = X[s:s + chunk]
                o = net(xb)
                y = torch.sigmoid(o) if a.loss == "bce" else o
                se += float(((y - xb) ** 2).sum(dtype=torch.float64))
                if a.loss == "bce":
                    ls += float(torch.nn.functional.binary_cross_entropy_with_logits(
                        o, xb, reduction="none").sum(dtype=torch.float64))
            n = X.numel()
            return (ls / n if a.loss == "bce" else se / n), se / n

    def encode(X, chunk=2000):
        with torch.no_grad():
            return torch.cat([enc_net(X[s:s + chunk]) for s in range(0, X.shape[0], chunk)]).numpy()

    order = R.BatchOrder(N, a.batch, a.seed) if a.init == "aelab" else None
    gen = np.random.default_rng(a.seed)
    perm, pos = gen.permutation(N), 0

    def next_idx():
        nonlocal perm, pos
        if order is not None:
            return order.next()
        if pos + a.batch > N:
            perm, pos = gen.permutation(N), 0
        idx = perm[pos:pos + a.batch]
        pos += a.batch
        return idx

    n_eval = min(a.eval_max, Xte.shape[0]) if a.eval_max > 0 else Xte.shape[0]
    curve = []
    acc_l = acc_m = 0.0
    acc_n = 0

    def record(step):
        nonlocal acc_l, acc_m, acc_n
        tl, tm = evaluate(Xte_t[:n_eval])
        ep = order.epoch() if order is not None else step * a.batch / N
        curve.append({"step": step, "epoch": ep,
                      "train_loss": acc_l / acc_n if acc_n else float("nan"),
                      "train_mse": acc_m / acc_n if acc_n else float("nan"),
                      "test_loss": tl, "test_mse": tm})
        acc_l = acc_m = 0.0
        acc_n = 0

    record(0)
    diverged = None
    t_train = R.Timer()
    for step in range(1, total + 1):
        idx = next_idx()
        xb = Xtr_t[torch.from_numpy(np.asarray(idx))]
        y, loss = outputs(xb)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        lv = float(loss)
        if not math.isfinite(lv):
            diverged = f"loss {lv} at step {step}"
            break
        acc_l += lv
        acc_m += lv if a.loss == "mse" else float(torch.mean((y.detach() - xb) ** 2))
        acc_n += 1
        if step % eval_every == 0:
            record(step)
    train_s = t_train.s()
    done = curve[-1]["step"] if diverged else total
    if not diverged and curve[-1]["step"] != total:
        record(total)

    tr_loss, tr_mse = evaluate(Xtr_t)
    te_loss, te_mse = evaluate(Xte_t)
    res = {"label": a.label, "framework": f"PyTorch {torch.__version__}", "data": a.data,
           "config": {"dims": dims, "acts": acts, "loss": a.loss, "optimizer": a.opt, "lr": lr,
                      "batch": a.batch, "steps": total, "epochs": total * a.batch / N, "seed": a.seed,
                      "init": a.init, "eval_every": eval_every, "eval_max": n_eval,
                      "threads": a.threads, "torch_num_threads": torch.get_num_threads(),
                      "env": R.env_info()},
           "final": {"steps": done, "train_mse": tr_mse, "test_mse": te_mse, "train_loss": tr_loss,
                     "test_loss": te_loss, "train_seconds": train_s,
                     "samples_per_second": done * a.batch / train_s if train_s > 0 else 0.0},
           "step0_test_mse_subset": curve[0]["test_mse"], "diverged": diverged}
    if a.knn > 0:
        t = R.Timer()
        Ztr, Zte = encode(Xtr_t), encode(Xte_t)
        res["final"]["knn_k"] = a.knn
        res["final"]["knn_accuracy"] = R.knn_accuracy(Ztr, ytr, Zte, yte, a.knn)
        acc10, sub = R.knn_few_labels(Ztr, ytr, Zte, yte, 10, 1, 0)
        res["final"]["knn_1nn_10_per_class_accuracy"] = acc10
        res["final"]["knn_labelled_indices_head"] = sub[:12].tolist()
        res["final"]["knn_seconds"] = t.s()
    if a.out_curves:
        with open(a.out_curves, "w", newline="") as f:
            w = csv.DictWriter(f, fieldnames=list(curve[0].keys()))
            w.writeheader()
            for c in curve:
                w.writerow(c)
    res["wall_seconds"] = wall.s()
    R.write_json(a.out_json, res)
    print(f"torch_ae {a.label or ''}: {a.arch} {a.act}: test MSE {te_mse:.6f} loss {te_loss:.6f} "
          f"train {train_s:.1f} s ({res['final']['samples_per_second']:.0f} samples/s)"
          + (f"; DIVERGED {diverged}" if diverged else ""), flush=True)
    return 3 if diverged else 0


if __name__ == "__main__":
    sys.exit(main())
