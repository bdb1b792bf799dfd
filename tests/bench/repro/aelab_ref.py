"""Shared helpers of the reproduction's reference scripts (tests/bench/repro/).

- IDX loading with numpy, pixels scaled to [0, 1] by /255 (as core/src/idx.cpp does);
- a replica of aelab's PCG32 generator (core/aelab/common.hpp: PCG-XSH-RR 64/32, Lemire's
  unbiased `below`, 53-bit `uniform`, Box-Muller `normal` with a spare) so that the
  PyTorch references start from *the same initial weights* (Autoencoder::init_params:
  Rng(seed, 0x5eed); He normal for ReLU/leaky ReLU/ELU layers, LeCun normal for SELU,
  Glorot uniform otherwise; zero biases; each W (out x in) filled column by column),
  visit the training images in *the same minibatch order* (Trainer: Rng(seed, 0x7a1),
  Fisher-Yates shuffle at construction and after every epoch, incomplete tail dropped),
  and label *the same 10 training images per class* for the few-label 1-NN accuracy
  (select_per_class: Rng(0), partial Fisher-Yates per class in ascending label order);
- k-NN accuracy with aelab's rules (squared Euclidean distance, majority vote with ties
  going to the class met first in nearest-first order).

The replica is checked at run time: the step-0 test MSE of a PyTorch model initialised
from it must equal aelab's step-0 test MSE (run_repro.sh reports both).
Use Debian's interpreter (/usr/bin/python3), which has python3-torch and python3-sklearn.
"""
import json
import math
import os
import time

import numpy as np

M64 = (1 << 64) - 1
PCG_MULT = 6364136223846793005


# ---------------------------------------------------------------------------------- data
def load_idx(path):
    with open(path, "rb") as f:
        b = f.read()
    if len(b) < 8 or b[0] != 0 or b[1] != 0 or b[2] != 8:
        raise ValueError(f"{path}: not an unsigned-byte IDX file")
    rank = b[3]
    dims = [int.from_bytes(b[4 + 4 * i: 8 + 4 * i], "big") for i in range(rank)]
    off = 4 + 4 * rank
    n = int(np.prod(dims))
    if len(b) != off + n:
        raise ValueError(f"{path}: size {len(b)} does not match dims {dims}")
    return np.frombuffer(b, dtype=np.uint8, offset=off).reshape(dims)


def load_set(data_dir, name):
    """Returns Xtr (60000 x 784 float32 in [0,1]), ytr, Xte, yte for data/<name>/."""
    d = os.path.join(data_dir, name)
    out = []
    for split in ("train", "t10k"):
        img = load_idx(os.path.join(d, f"{split}-images-idx3-ubyte"))
        lab = load_idx(os.path.join(d, f"{split}-labels-idx1-ubyte"))
        X = img.reshape(img.shape[0], -1).astype(np.float32) * np.float32(1.0 / 255.0)
        out += [X, lab.astype(np.int64)]
    return out


# ---------------------------------------------------------------------------------- PCG32
_MASK32 = np.uint64(0xFFFFFFFF)


class Pcg32:
    """Bit-exact replica of aelab::Rng (core/aelab/common.hpp)."""

    def __init__(self, seed=42, stream=54):
        self.state = 0
        self.inc = ((stream << 1) | 1) & M64
        self.next_u32()
        self.state = (self.state + seed) & M64
        self.next_u32()
        self.has_spare = False
        self.spare = 0.0

    # scalar path (Python ints)
    def next_u32(self):
        old = self.state
        self.state = (old * PCG_MULT + self.inc) & M64
        xs = (((old >> 18) ^ old) >> 27) & 0xFFFFFFFF
        rot = old >> 59
        return ((xs >> rot) | (xs << ((-rot) & 31))) & 0xFFFFFFFF

    def below(self, n):
        threshold = ((1 << 32) - n) % n
        while True:
            r = self.next_u32()
            if r >= threshold:
                return r % n

    # vectorized path: n draws, not committed; states_after[i] = state after draw i
    def _peek(self, n):
        with np.errstate(over="ignore"):
            mult = np.full(n + 1, PCG_MULT, dtype=np.uint64)
            mult[0] = 1
            apow = np.cumprod(mult, dtype=np.uint64)           # MULT^i mod 2^64, i = 0..n
            csum = np.concatenate(([np.uint64(0)], np.cumsum(apow[:-1], dtype=np.uint64)))
            states = apow * np.uint64(self.state) + csum * np.uint64(self.inc)
        old = states[:-1]
        xs = (((old >> np.uint64(18)) ^ old) >> np.uint64(27)) & _MASK32
        rot = old >> np.uint64(59)
        left = (np.uint64(32) - rot) & np.uint64(31)
        out = ((xs >> rot) | (xs << left)) & _MASK32
        return out.astype(np.uint32), states[1:]

    def u32_block(self, n):
        if n == 0:
            return np.zeros(0, dtype=np.uint32)
        out, st = self._peek(n)
        self.state = int(st[-1])
        return out

    def uniform_block(self, n):
        u = self.u32_block(2 * n).astype(np.uint64)
        hi = (u[0::2] >> np.uint64(5)).astype(np.float64)
        lo = (u[1::2] >> np.uint64(6)).astype(np.float64)
        return (hi * 67108864.0 + lo) * (1.0 / 9007199254740992.0)

    def normal_block(self, n):
        vals = []
        if n > 0 and self.has_spare:
            vals.append(np.array([self.spare]))
            self.has_spare = False
            n -= 1
        pairs = (n + 1) // 2
        if pairs > 0:
            U = self.uniform_block(2 * pairs)
            u1, u2 = U[0::2], U[1::2]
            if np.any(u1 <= 1e-300):  # aelab redraws u1 then: vanishingly rare, not replicated
                raise RuntimeError("Pcg32.normal_block: u1 == 0 drawn; replica would diverge")
            r = np.sqrt(-2.0 * np.log(u1))
            t = 6.283185307179586476925286766559 * u2
            z = np.empty(2 * pairs)
            z[0::2] = r * np.cos(t)
            z[1::2] = r * np.sin(t)
            if n % 2 == 1:
                self.has_spare = True
                self.spare = float(z[-1])
                z = z[:-1]
            vals.append(z)
        return np.concatenate(vals) if vals else np.zeros(0)

    def shuffle_inplace(self, perm):
        """Fisher-Yates as aelab::Rng::shuffle: for i = N..2: swap(c[i-1], c[below(i)])."""
        N = len(perm)
        if N < 2:
            return perm
        ns = np.arange(N, 1, -1, dtype=np.uint64)
        thr = ((np.uint64(1 << 32) - ns) % ns)
        js = np.empty(len(ns), dtype=np.int64)
        pos = 0
        while pos < len(ns):
            m = len(ns) - pos
            out, st = self._peek(m)
            ok = out.astype(np.uint64) >= thr[pos:]
            f = m if ok.all() else int(np.argmin(ok))
            js[pos:pos + f] = (out[:f].astype(np.uint64) % ns[pos:pos + f]).astype(np.int64)
            self.state = int(st[f - 1]) if f == m else int(st[f])  # a rejected draw is consumed
            pos += f
        p = perm
        for i, j in zip(range(N, 1, -1), js.tolist()):
            p[i - 1], p[j] = p[j], p[i - 1]
        return p


def init_weights(layer_dims, layer_acts, seed):
    """aelab's Autoencoder::init_params for an untied model: list of W (out x in, float32)."""
    rng = Pcg32(seed, 0x5EED)
    Ws = []
    for (din, dout), act in zip(layer_dims, layer_acts):
        n = din * dout
        if act in ("relu", "leaky_relu", "elu"):
            v = rng.normal_block(n) * math.sqrt(2.0 / din)
        elif act == "selu":
            v = rng.normal_block(n) * math.sqrt(1.0 / din)
        else:
            lim = math.sqrt(6.0 / (din + dout))
            v = -lim + (2.0 * lim) * rng.uniform_block(n)
        Ws.append(v.astype(np.float32).reshape(din, dout).T.copy())  # column-major fill
    return Ws


class BatchOrder:
    """aelab's Trainer::next_batch: the same sequence of minibatch index arrays."""

    def __init__(self, n, batch, seed):
        self.n, self.b = n, min(batch, n)
        self.rng = Pcg32(seed, 0x7A1)
        self.perm = self.rng.shuffle_inplace(list(range(n)))
        self.arr = np.array(self.perm, dtype=np.int64)
        self.pos = 0
        self.epochs_done = 0

    def _reshuffle(self):
        self.rng.shuffle_inplace(self.perm)
        self.arr = np.array(self.perm, dtype=np.int64)
        self.pos = 0
        self.epochs_done += 1

    def next(self):
        if self.pos + self.b > self.n:
            self._reshuffle()
        idx = self.arr[self.pos:self.pos + self.b]
        self.pos += self.b
        if self.pos == self.n:
            idx = idx.copy()
            self._reshuffle()
        return idx

    def epoch(self):
        return self.epochs_done + self.pos / self.n


def select_per_class(labels, per_class=10, seed=0):
    """aelab::select_per_class (subspace.cpp): indices of the labelled few, sorted."""
    rng = Pcg32(seed)
    out = []
    for c in sorted(set(int(v) for v in labels)):
        v = [int(i) for i in np.flatnonzero(labels == c)]
        take = min(per_class, len(v))
        for i in range(take):
            j = i + rng.below(len(v) - i)
            v[i], v[j] = v[j], v[i]
        out += v[:take]
    return sorted(out)


# ---------------------------------------------------------------------------------- kNN
def knn_predict(Ztr, ytr, Zte, k, chunk=500):
    """Squared Euclidean k-NN (float32 products like aelab), majority vote, ties to the
    class met first in nearest-first order (aelab::knn_predict)."""
    Ztr = np.ascontiguousarray(Ztr, dtype=np.float32)
    Zte = np.ascontiguousarray(Zte, dtype=np.float32)
    n2 = (Ztr.astype(np.float64) ** 2).sum(1).astype(np.float32)
    pred = np.empty(len(Zte), dtype=np.int64)
    kk = min(k, len(Ztr))
    for s in range(0, len(Zte), chunk):
        D = n2[None, :] - 2.0 * (Zte[s:s + chunk] @ Ztr.T)  # ||a-b||^2 - ||b||^2
        if kk == 1:
            nn = np.argmin(D, axis=1)[:, None]  # first index among equal distances
        else:
            part = np.argpartition(D, kk - 1, axis=1)[:, :kk]
            dpart = np.take_along_axis(D, part, 1)
            order = np.lexsort((part, dpart), axis=1)  # by distance, then index
            nn = np.take_along_axis(part, order, 1)
        labs = ytr[nn]
        for r in range(labs.shape[0]):
            row = labs[r]
            best, best_c = row[0], 0
            for a in range(kk):
                c = int((row == row[a]).sum())
                if c > best_c:
                    best_c, best = c, row[a]
            pred[s + r] = best
    return pred


def knn_accuracy(Ztr, ytr, Zte, yte, k):
    return float((knn_predict(Ztr, ytr, Zte, k) == yte).mean())


def knn_few_labels(Ztr, ytr, Zte, yte, per_class=10, k=1, seed=0):
    sub = np.array(select_per_class(ytr, per_class, seed), dtype=np.int64)
    return float((knn_predict(Ztr[sub], ytr[sub], Zte, k) == yte).mean()), sub


# ---------------------------------------------------------------------------------- misc
def write_json(path, obj):
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path + ".tmp", "w") as f:
        json.dump(obj, f, indent=1, sort_keys=False)
        f.write("\n")
    os.replace(path + ".tmp", path)


def env_info():
    keys = ["OPENBLAS_CORETYPE", "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "OMP_WAIT_POLICY",
            "MKL_NUM_THREADS"]
    return {k: os.environ.get(k) for k in keys}


class Timer:
    def __init__(self):
        self.t0 = time.perf_counter()

    def s(self):
        return time.perf_counter() - self.t0


# ---------------------------------------------------------------------------------- graphs
# Layer graphs (core/aelab/graph.hpp's architecture grammar, issue 10): parse, shapes, and
# Graph::init_params replayed in PyTorch's layouts. Each layer is a dict with "kind" (dense,
# conv, tconv, pool, up, reshape, flatten, act, gauss) and its settings; shapes are (C, H, W).
_ACTS = ("linear", "sigmoid", "tanh", "relu", "leaky_relu", "elu", "selu", "softplus")


def _split_act(tok):
    for a in _ACTS:
        if tok.endswith("-" + a):
            return tok[:-len(a) - 1], a
    return tok, "linear"


def parse_arch(arch):
    """(layers, encoder_end or -1) from an aelab architecture string (graph.hpp grammar)."""
    import re
    if arch.count("|") > 1:
        raise ValueError("at most one '|' in an architecture")
    layers, enc_end = [], -1
    for part_i, part in enumerate(arch.split("|")):
        if part_i == 1:
            enc_end = len(layers)
        for tok in (t.strip() for t in part.split(",")):
            body, act = _split_act(tok)
            m = re.fullmatch(r"([ct])(\d+)k(\d+)(?:s(\d+))?(same|valid)?(?:o(\d+))?", body)
            if m:
                if m.group(1) == "c" and m.group(6):
                    raise ValueError(f"{tok}: output padding is for transposed convolutions")
                layers.append({"kind": "conv" if m.group(1) == "c" else "tconv", "units": int(m.group(2)),
                               "k": int(m.group(3)), "s": int(m.group(4) or 1), "pad": m.group(5) or "same",
                               "op": int(m.group(6)) if m.group(6) else -1, "act": act})
                continue
            m = re.fullmatch(r"p(\d+)(?:s(\d+))?(same|valid)?", body)
            if m and act == "linear":
                k = int(m.group(1))
                layers.append({"kind": "pool", "k": k, "s": int(m.group(2) or k), "pad": m.group(3) or "valid",
                               "act": "linear"})
                continue
            m = re.fullmatch(r"d(\d+)", body)
            if m:
                layers.append({"kind": "dense", "units": int(m.group(1)), "act": act})
                continue
            m = re.fullmatch(r"g(\d+)", body)
            if m and act == "linear":
                layers.append({"kind": "gauss", "units": int(m.group(1)), "act": "linear"})
                continue
            m = re.fullmatch(r"u(\d+)", body)
            if m and act == "linear":
                layers.append({"kind": "up", "f": int(m.group(1)), "act": "linear"})
                continue
            m = re.fullmatch(r"r(\d+)x(\d+)x(\d+)", body)
            if m and act == "linear":
                layers.append({"kind": "reshape", "shape": tuple(int(v) for v in m.groups()), "act": "linear"})
                continue
            if tok == "flatten":
                layers.append({"kind": "flatten", "act": "linear"})
                continue
            if tok in _ACTS:
                layers.append({"kind": "act", "act": tok})
                continue
            raise ValueError(f"architecture token '{tok}' is not understood")
    return layers, enc_end


def conv_geometry(h, k, s, pad):
    """aelab::conv_geometry along one axis: (output size, padding before, padding after)."""
    if pad == "valid":
        return (h - k) // s + 1, 0, 0
    ho = (h + s - 1) // s
    total = max((ho - 1) * s + k - h, 0)
    return ho, total // 2, total - total // 2


def conv_transpose_geometry(h, k, s, pad, op):
    """aelab::conv_transpose_geometry along one axis: (output size, crop before) of the full
    transposed convolution ((h-1)s + k values)."""
    o = max(op, 0)
    if pad == "valid":
        ho = (h - 1) * s + k + o
    elif op < 0:
        ho = h * s
    else:
        ho = (h - 1) * s + k - 2 * (k // 2) + o
    pt = max((h - 1) * s + k - ho, 0) // 2 if pad == "same" else 0
    return ho, pt


def graph_shapes(layers, in_shape=(784, 1, 1)):
    """Each layer's input and output shape (C, H, W), as aelab's Graph computes them."""
    cur, out = tuple(in_shape), []
    for L in layers:
        c, h, w = cur
        kd = L["kind"]
        if kd == "dense" or kd == "gauss":
            nxt = (L["units"], 1, 1)
        elif kd == "conv":
            ho, _, _ = conv_geometry(h, L["k"], L["s"], L["pad"])
            wo, _, _ = conv_geometry(w, L["k"], L["s"], L["pad"])
            nxt = (L["units"], ho, wo)
        elif kd == "tconv":
            nxt = (L["units"], conv_transpose_geometry(h, L["k"], L["s"], L["pad"], L["op"])[0],
                   conv_transpose_geometry(w, L["k"], L["s"], L["pad"], L["op"])[0])
        elif kd == "pool":
            nxt = (c, conv_geometry(h, L["k"], L["s"], L["pad"])[0], conv_geometry(w, L["k"], L["s"], L["pad"])[0])
        elif kd == "up":
            nxt = (c, h * L["f"], w * L["f"])
        elif kd == "reshape":
            nxt = L["shape"]
            if nxt[0] * nxt[1] * nxt[2] != c * h * w:
                raise ValueError(f"cannot reshape {cur} to {nxt}")
        elif kd == "flatten":
            nxt = (c * h * w, 1, 1)
        else:
            nxt = cur
        out.append((cur, nxt))
        cur = nxt
    return out


def _init_values(rng, n, fan_in, fan_out, act):
    """Layer::init_weights: He normal (ReLU family), LeCun normal (SELU), else Glorot uniform."""
    if act in ("relu", "leaky_relu", "elu"):
        v = rng.normal_block(n) * math.sqrt(2.0 / fan_in)
    elif act == "selu":
        v = rng.normal_block(n) * math.sqrt(1.0 / fan_in)
    else:
        lim = math.sqrt(6.0 / (fan_in + fan_out))
        v = -lim + (2.0 * lim) * rng.uniform_block(n)
    return v.astype(np.float32)


def init_graph(layers, seed, in_shape=(784, 1, 1)):
    """Graph::init_params(seed): one Rng(seed, 0x5eed) through the layers in order. Returns per
    layer None or (weight, bias) in PyTorch's layouts: dense (out, in); conv (F, C, k, k);
    transposed conv (C, F, k, k); Gaussian code (2k, in) with the mean head in rows 0..k-1."""
    rng = Pcg32(seed, 0x5EED)
    out = []
    for L, (ins, outs) in zip(layers, graph_shapes(layers, in_shape)):
        kd = L["kind"]
        d = ins[0] * ins[1] * ins[2]
        if kd == "dense":
            n = L["units"]
            W = _init_values(rng, n * d, d, n, L["act"]).reshape(d, n).T.copy()
            out.append((W, np.zeros(n, np.float32)))
        elif kd == "gauss":
            k = L["units"]
            W = _init_values(rng, 2 * k * d, d, k, "linear").reshape(d, 2 * k).T.copy()
            out.append((W, np.zeros(2 * k, np.float32)))
        elif kd == "conv":
            C, F, k = ins[0], L["units"], L["k"]
            W = _init_values(rng, C * k * k * F, k * k * C, k * k * F, L["act"]).reshape(F, C, k, k)
            out.append((W, np.zeros(F, np.float32)))
        elif kd == "tconv":
            C, F, k = ins[0], L["units"], L["k"]
            W = _init_values(rng, F * k * k * C, k * k * F, k * k * C, L["act"]).reshape(C, F, k, k)
            out.append((W, np.zeros(F, np.float32)))
        else:
            out.append(None)
    return out


def flat_params(params):
    """The graph's flat buffer (aelab's order and layouts) from init_graph-style params."""
    parts = []
    for p in params:
        if p is None:
            continue
        W, b = p
        parts.append(W.flatten(order="F") if W.ndim == 2 else W.flatten())  # dense/gauss: column-major
        parts.append(b)
    return np.concatenate(parts).astype(np.float32)


def eps_block(rng, k, B):
    """Graph::sample_eps(rng, B, eps): k x B normals column by column -> (B, k) float32."""
    return rng.normal_block(k * B).astype(np.float32).reshape(B, k)
