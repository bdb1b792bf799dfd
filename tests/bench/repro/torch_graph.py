#!/usr/bin/python3
"""PyTorch 1.13 twins of aelab's layer-graph models (issue 10): conv AE, VAE, conv VAE.

The model is built from the same architecture string as aelab's (core/aelab/graph.hpp
grammar, parsed by aelab_ref.parse_arch) with aelab's exact geometry (Keras'):
- conv SAME: Ho = ceil(H/s), total padding max((Ho-1)s + k - H, 0), the smaller half before
  (top/left) -> F.pad(before, after) then an unpadded conv2d;
- transposed conv: the adjoint of that conv, i.e. the full transposed convolution
  ((H-1)s + k) cropped from `pt` to the aelab output size (zero-extended when output padding
  makes it longer), bias added after the crop; course conv AE 3 -> 7 -> 14 -> 28;
- max-pooling VALID (SAME pads with -inf), nearest upsampling, reshape/flatten in NCHW;
- the Gaussian code: one Linear to 2k (mean rows first, log-variance after),
  z = mu + exp(lv/2) * eps; activations fused after each layer.
Weights start from aelab's Graph::init_params(seed) (aelab_ref.init_graph: bit-identical
float32). Training replays aelab's training-order contract: Rng(seed, 0x7a1) shuffles
(aelab_ref.BatchOrder: Fisher-Yates at the start and after every pass, tail dropped); per
step the batch, THEN for a VAE eps (k x B) from the SAME stream, forward/backward, optimizer
step (SGD plain or Adam 0.9/0.999/1e-8).
Losses: plain AE BCE from logits, mean over all entries (Keras), or MSE; VAE: BCE from
logits SUMMED per image (Bernoulli decoder, nats) + beta * analytic KL, averaged over the batch.
Test metrics (all test images; at step 0 the first --eval0-max) as repro_graph.cpp computes them: AE loss/BCE and MSE; VAE
recon and KL with the mean code, elbo_mean = -(recon + KL), the sampled elbo with one z per
image from Rng(eval_seed, 0xe7a1), and with --iwae K the IWAE bound (K further passes).

--check DIR (with --out-json: the check's figures as JSON) compares with `aelab_repro_graph dump`: the initial flat parameters (bitwise),
the batch indices and eps of the dumped steps (exactly), and the forward pass of the first
test images under those weights (max abs difference <= 1e-5). Exit 1 when any check fails.
Usage:
  /usr/bin/python3 torch_graph.py --arch STR --data fashion --loss bce --opt sgd --lr 1.0 \
      --batch 32 --epochs 1 --train-n 55000 --seed 1 --out-json r.json
  /usr/bin/python3 torch_graph.py --arch STR --vae --data mnist --opt adam --lr 1e-3 --batch 100 \
      --steps 6000 --seed 1 --out-json r.json [--iwae 50]
  /usr/bin/python3 torch_graph.py --arch STR --check DIR --data mnist
"""
import argparse
import json
import math
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import aelab_ref as R  # noqa: E402

LOG2PI = 1.8378770664093453


def build(torch, layers, params):
    """A callable net(x, eps) -> (logits of the output layer reshaped as the output, mu, lv)."""
    F = torch.nn.functional
    shapes = R.graph_shapes(layers)
    out_layer = len(layers) - 1
    while out_layer > 0 and layers[out_layer]["kind"] in ("reshape", "flatten"):
        out_layer -= 1
    tensors = []
    for p in params:
        if p is None:
            tensors.append(None)
        else:
            tensors.append([torch.tensor(p[0], requires_grad=True), torch.tensor(p[1], requires_grad=True)])
    acts = {"linear": lambda z: z, "sigmoid": torch.sigmoid, "tanh": torch.tanh, "relu": F.relu,
            "elu": F.elu, "selu": F.selu, "softplus": F.softplus,
            "leaky_relu": lambda z: F.leaky_relu(z, 0.01)}

    def net(x, eps=None):
        h = x.view(x.shape[0], 784, 1, 1)
        mu = lv = None
        for i, (L, (ins, outs)) in enumerate(zip(layers, shapes)):
            kd = L["kind"]
            if kd in ("dense", "gauss"):
                W, b = tensors[i]
                h = F.linear(h.reshape(h.shape[0], -1), W, b)
                if kd == "gauss":
                    k = L["units"]
                    mu, lv = h[:, :k], h[:, k:]
                    h = mu if eps is None else mu + torch.exp(0.5 * lv) * eps
                h = h.view(h.shape[0], outs[0], 1, 1)
            elif kd == "conv":
                W, b = tensors[i]
                _, pt, pa = R.conv_geometry(ins[1], L["k"], L["s"], L["pad"])
                _, pl, pr = R.conv_geometry(ins[2], L["k"], L["s"], L["pad"])
                h = F.conv2d(F.pad(h, (pl, pr, pt, pa)), W, b, stride=L["s"])
            elif kd == "tconv":
                W, b = tensors[i]
                ho, pt = R.conv_transpose_geometry(ins[1], L["k"], L["s"], L["pad"], L["op"])
                wo, pl = R.conv_transpose_geometry(ins[2], L["k"], L["s"], L["pad"], L["op"])
                full = F.conv_transpose2d(h, W, None, stride=L["s"])
                eh, ew = max(pt + ho - full.shape[2], 0), max(pl + wo - full.shape[3], 0)
                if eh or ew:
                    full = F.pad(full, (0, ew, 0, eh))
                h = full[:, :, pt:pt + ho, pl:pl + wo] + b.view(1, -1, 1, 1)
            elif kd == "pool":
                _, pt, pa = R.conv_geometry(ins[1], L["k"], L["s"], L["pad"])
                _, pl, pr = R.conv_geometry(ins[2], L["k"], L["s"], L["pad"])
                if pt or pa or pl or pr:
                    h = F.pad(h, (pl, pr, pt, pa), value=-math.inf)
                h = F.max_pool2d(h, L["k"], L["s"])
            elif kd == "up":
                h = F.interpolate(h, scale_factor=L["f"], mode="nearest")
            elif kd in ("reshape", "flatten"):
                h = h.reshape(h.shape[0], *outs)
            if i != out_layer and L["act"] != "linear":
                h = acts[L["act"]](h)
        return h.reshape(h.shape[0], -1), mu, lv, layers[out_layer]["act"]

    return net, [t for pair in tensors if pair is not None for t in pair]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--arch", required=True)
    ap.add_argument("--vae", action="store_true")
    ap.add_argument("--data", default="mnist", choices=["mnist", "fashion"])
    ap.add_argument("--data-dir", default="data")
    ap.add_argument("--loss", default="bce", choices=["bce", "mse"])
    ap.add_argument("--beta", type=float, default=1.0)
    ap.add_argument("--opt", default="adam", choices=["adam", "sgd"])
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--batch", type=int, default=100)
    ap.add_argument("--epochs", type=int, default=None)
    ap.add_argument("--steps", type=int, default=None)
    ap.add_argument("--train-n", type=int, default=0)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--eval-seed", type=int, default=7)
    ap.add_argument("--iwae", type=int, default=0)
    ap.add_argument("--eval0-max", type=int, default=2000, help="test images of the step-0 evaluation (0: all)")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--check", default=None, help="directory of an `aelab_repro_graph dump`")
    ap.add_argument("--out-json", default=None)
    ap.add_argument("--label", default=None)
    a = ap.parse_args()
    wall = R.Timer()

    import torch
    torch.set_num_threads(a.threads)
    F = torch.nn.functional
    layers, _ = R.parse_arch(a.arch)
    has_gauss = any(L["kind"] == "gauss" for L in layers)
    if has_gauss != a.vae:
        sys.exit("torch_graph: --vae goes with an architecture that has a Gaussian code g<K>")
    k_code = next((L["units"] for L in layers if L["kind"] == "gauss"), 0)
    params = R.init_graph(layers, a.seed)
    net, tensors = build(torch, layers, params)

    Xtr, _, Xte, _ = R.load_set(a.data_dir, a.data)
    N = a.train_n or Xtr.shape[0]
    Xtr = Xtr[:N]
    Xtr_t, Xte_t = torch.from_numpy(Xtr), torch.from_numpy(Xte)

    def losses(xb, eps=None):
        """(total, recon, kl, mse, logits) on one batch."""
        z, mu, lv, out_act = net(xb, eps)
        if a.loss == "bce":
            if out_act != "sigmoid":
                sys.exit("torch_graph: --loss bce needs a sigmoid output layer")
            ent = F.binary_cross_entropy_with_logits(z, xb, reduction="none")
            y = torch.sigmoid(z)
        else:
            y = z if out_act == "linear" else {"sigmoid": torch.sigmoid, "relu": F.relu}[out_act](z)
            ent = (y - xb) ** 2
        recon = ent.sum(1).mean() if a.vae else ent.mean()
        kl = 0.5 * (mu ** 2 + torch.exp(lv) - 1 - lv).sum(1).mean() if a.vae else torch.zeros(())
        mse = ((y - xb) ** 2).mean()
        return recon + a.beta * kl, recon, kl, mse, z

    if a.check:
        meta = json.load(open(os.path.join(a.check, "meta.json")))
        ok = True
        C = np.fromfile(os.path.join(a.check, "params.f32"), dtype=np.float32)
        P = R.flat_params(params)
        same = len(C) == len(P) and np.array_equal(C.view(np.uint32), P.view(np.uint32))
        print(f"initial parameters: {len(P)} values, bit-identical: {same}")
        ok &= same
        n = meta["n"]
        Y = np.fromfile(os.path.join(a.check, "forward.f32"), dtype=np.float32).reshape(n, -1)
        with torch.no_grad():
            z, mu, lv, out_act = net(Xte_t[:n])
            y = (torch.sigmoid(z) if out_act == "sigmoid" else z).numpy()
        dmax = float(np.abs(y - Y).max())
        print(f"forward of {n} test images, mean code: max |torch - aelab| = {dmax:.3e} (<= 1e-5: {dmax <= 1e-5})")
        ok &= dmax <= 1e-5
        if mu is not None:
            Zc = np.fromfile(os.path.join(a.check, "code.f32"), dtype=np.float32).reshape(n, -1)
            dz = float(np.abs(mu.numpy() - Zc).max())
            print(f"mean codes: max |torch - aelab| = {dz:.3e} (<= 1e-5: {dz <= 1e-5})")
            ok &= dz <= 1e-5
        B, steps = meta["batch"], meta["steps"]
        bat = np.fromfile(os.path.join(a.check, "batches.i32"), dtype=np.int32).reshape(steps, B)
        order = R.BatchOrder(meta["train_n"], B, a.seed)
        eps_c = (np.fromfile(os.path.join(a.check, "eps.f32"), dtype=np.float32).reshape(steps, B, -1)
                 if meta["vae"] else None)
        bad_b = bad_e = 0
        for s in range(steps):
            idx = order.next()
            bad_b += int(not np.array_equal(idx, bat[s]))
            if eps_c is not None:
                e = R.eps_block(order.rng, eps_c.shape[2], B)
                bad_e += int(not np.array_equal(e.view(np.uint32), eps_c[s].view(np.uint32)))
        print(f"training order: {steps} steps of batch {B} (crossing {order.epochs_done} reshuffles): "
              f"{steps - bad_b}/{steps} batches equal" + (f", {steps - bad_e}/{steps} eps blocks bit-identical"
                                                           if eps_c is not None else ""))
        ok &= bad_b == 0 and bad_e == 0
        print("CHECK " + ("PASSED" if ok else "FAILED"))
        if a.out_json:
            R.write_json(a.out_json, {
                "arch": a.arch, "num_params": int(len(P)), "params_bit_identical": bool(same),
                "forward_n": n, "forward_max_abs_diff": dmax,
                "code_max_abs_diff": dz if mu is not None else None,
                "steps": steps, "batch": B, "reshuffles_crossed": order.epochs_done,
                "batches_equal": steps - bad_b, "eps_blocks_bit_identical": (steps - bad_e) if eps_c is not None else None,
                "passed": bool(ok)})
        return 0 if ok else 1

    def evaluate(X, chunk=128, iwae=0):  # 128: PyTorch's CPU convolutions are ~6x slower at 500
        out = {}
        with torch.no_grad():
            n_all = X.shape[0]
            rec = kl = mse = 0.0
            for s in range(0, n_all, chunk):
                xb = X[s:s + chunk]
                _, r, k, m, _ = losses(xb)
                w = xb.shape[0] / n_all
                rec += float(r) * w
                kl += float(k) * w
                mse += float(m) * w
            if not a.vae:
                out = {"loss": rec, "mse": mse}
                if a.loss == "bce":
                    out["bce"] = rec
                return out
            out = {"recon": rec, "kl": kl, "elbo_mean": -(rec + kl), "mse": mse}
            rng = R.Pcg32(a.eval_seed, 0xE7A1)
            smp = 0.0
            for s in range(0, n_all, chunk):
                xb = X[s:s + chunk]
                e = torch.from_numpy(R.eps_block(rng, k_code, xb.shape[0]))
                _, r, k, _, _ = losses(xb, e)
                smp += (float(r) + float(k)) * xb.shape[0] / n_all
            out["elbo_sampled"] = -smp
            out["iwae"] = None
            if iwae > 0:
                logw = np.zeros((iwae, n_all))
                for kk in range(iwae):
                    for s in range(0, n_all, chunk):
                        xb = X[s:s + chunk]
                        e = torch.from_numpy(R.eps_block(rng, k_code, xb.shape[0]))
                        z, mu, lv, _ = net(xb, e)
                        lpx = -F.binary_cross_entropy_with_logits(z, xb, reduction="none").double().sum(1)
                        zz = (mu + torch.exp(0.5 * lv) * e).double()
                        lpz = (-0.5 * (LOG2PI + zz ** 2)).sum(1)
                        lq = (-0.5 * (LOG2PI + lv.double() + e.double() ** 2)).sum(1)
                        logw[kk, s:s + xb.shape[0]] = (lpx + lpz - lq).numpy()
                mx = logw.max(0)
                out["iwae"] = float((mx + np.log(np.exp(logw - mx).mean(0))).mean())
            return out

    t0 = R.Timer()
    step0 = evaluate(Xte_t[:a.eval0_max] if a.eval0_max > 0 else Xte_t)
    eval0_s = t0.s()
    opt = (torch.optim.Adam(tensors, lr=a.lr, betas=(0.9, 0.999), eps=1e-8) if a.opt == "adam"
           else torch.optim.SGD(tensors, lr=a.lr))
    B = min(a.batch, N)
    total = a.steps if a.steps is not None else (a.epochs or 1) * (N // B)
    order = R.BatchOrder(N, B, a.seed)
    t_train = R.Timer()
    acc, last, diverged = 0.0, float("nan"), None
    for step in range(1, total + 1):
        idx = order.next()
        xb = Xtr_t[torch.from_numpy(np.asarray(idx))]
        e = torch.from_numpy(R.eps_block(order.rng, k_code, B)) if a.vae else None
        loss = losses(xb, e)[0]
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        last = float(loss)
        if not math.isfinite(last):
            diverged = f"loss {last} at step {step}"
            break
        acc += last
        if step % 500 == 0 or step == total:
            print(f"step {step}/{total}: mean train loss {acc / (step % 500 or 500):.6f}", file=sys.stderr, flush=True)
            acc = 0.0
    train_s = t_train.s()
    final = evaluate(Xte_t, iwae=a.iwae)
    res = {"label": a.label, "framework": f"PyTorch {torch.__version__}", "arch": a.arch, "vae": a.vae,
           "loss": a.loss, "beta": a.beta, "optimizer": a.opt, "lr": a.lr, "batch": B, "steps": total,
           "epochs": total * B / N, "train_n": N, "seed": a.seed, "eval_seed": a.eval_seed, "iwae_k": a.iwae,
           "eval0_images": min(a.eval0_max or Xte.shape[0], Xte.shape[0]),
           "threads": a.threads, "env": R.env_info(), "num_params": int(sum(t.numel() for t in tensors)),
           "step0": step0, "final": final, "last_batch_loss": last, "train_seconds": train_s,
           "eval0_seconds": eval0_s, "samples_per_second": total * B / train_s if train_s > 0 else 0.0,
           "diverged": diverged, "wall_seconds": wall.s()}
    if a.out_json:
        R.write_json(a.out_json, res)
    print(f"torch_graph {a.label or ''}: {total} steps in {train_s:.1f} s; test {json.dumps(final)}"
          + (f"; DIVERGED {diverged}" if diverged else ""), flush=True)
    return 3 if diverged else 0


if __name__ == "__main__":
    sys.exit(main())
