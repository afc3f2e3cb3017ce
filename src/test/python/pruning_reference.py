#!/usr/bin/python3
"""PyTorch reference of the strategy comparison's L1 pruning (Debian python3-torch).

Loads the converged reference CNN's weights exported by the DL4J benchmark (raw float32 files,
StrategyComparison), the same Fashion-MNIST train split (its indices), removes half the kernels
of every convolution (and of the hidden dense layer with --with-dense) by the L1 norm of their
weights, and fine-tunes with the same total budget of batches:

  ONE_SHOT        every layer chosen on the original model, all removed, then `budget` batches
  ITERATIVE_FULL  layer by layer, `step` kernels at a time (rescored among the layer's chosen
                  kernels), the whole model retrained after each step; the budget is divided
                  evenly among the steps

Adam with fresh state per retraining, batch 64, cross-entropy on softmax, as the engine does;
with --schedule cosine[:warmup] the rate decays within every retraining as the engine's COSINE
schedule does, and with --distill alpha:T the loss is the engine's distillation from the baseline
((1-alpha) CE + alpha T^2 KL(softmax(teacher/T) || softmax(student/T))).
Writes one tab-separated line per job: strategy, seed, test accuracy, parameters kept, FLOPs
kept, CPU seconds, batches trained.
"""
import argparse
import gzip
import math
import os
import time

import numpy as np
import torch
import torch.nn.functional as F

CONV_LAYERS = ["0", "1", "3", "4"]  # DL4J layer indices of the convolutions
DENSE, OUTPUT = "6", "7"


def load_idx(folder, prefix):
    with gzip.open(os.path.join(folder, prefix + "-images-idx3-ubyte.gz")) as f:
        raw = np.frombuffer(f.read(), dtype=np.uint8, offset=16)
    with gzip.open(os.path.join(folder, prefix + "-labels-idx1-ubyte.gz")) as f:
        labels = np.frombuffer(f.read(), dtype=np.uint8, offset=8)
    images = raw.reshape(-1, 1, 28, 28).astype(np.float32) / 255.0
    return torch.from_numpy(images), torch.from_numpy(labels.astype(np.int64))


def load_weights(folder):
    params = {}
    with open(os.path.join(folder, "shapes.txt")) as f:
        for line in f:
            parts = line.split()
            if not parts:
                continue
            shape = [int(d) for d in parts[1:]]
            data = np.fromfile(os.path.join(folder, parts[0] + ".f32"), dtype="<f4")
            params[parts[0]] = torch.from_numpy(data.reshape(shape).copy())
    # DL4J dense W is [in, out]; biases are [1, out].
    w = {}
    for layer in CONV_LAYERS:
        w[layer + "_W"] = params[layer + "_W"]
        w[layer + "_b"] = params[layer + "_b"].reshape(-1)
    for layer in (DENSE, OUTPUT):
        w[layer + "_W"] = params[layer + "_W"].t().contiguous()  # to [out, in]
        w[layer + "_b"] = params[layer + "_b"].reshape(-1)
    return w


class Net(torch.nn.Module):
    """conv-relu-conv-relu-pool-conv-relu-conv-relu-pool-dense-relu-dense, any channel counts."""

    def __init__(self, w):
        super().__init__()
        self.p = torch.nn.ParameterDict(
            {k: torch.nn.Parameter(v.clone()) for k, v in w.items()})

    def forward(self, x):
        p = self.p
        x = F.relu(F.conv2d(x, p["0_W"], p["0_b"], padding=1))
        x = F.relu(F.conv2d(x, p["1_W"], p["1_b"], padding=1))
        x = F.max_pool2d(x, 2)
        x = F.relu(F.conv2d(x, p["3_W"], p["3_b"], padding=1))
        x = F.relu(F.conv2d(x, p["4_W"], p["4_b"], padding=1))
        x = F.max_pool2d(x, 2)
        x = torch.flatten(x, 1)
        x = F.relu(F.linear(x, p["6_W"], p["6_b"]))
        return F.linear(x, p["7_W"], p["7_b"])

    def weights(self):
        return {k: v.detach().clone() for k, v in self.p.items()}


def params_and_flops(w):
    params = sum(v.numel() for v in w.values())
    flops = 0
    side = {"0": 28, "1": 28, "3": 14, "4": 14}
    for layer in CONV_LAYERS:
        out, inp, kh, kw = w[layer + "_W"].shape
        flops += 2 * out * inp * kh * kw * side[layer] ** 2
    for layer in (DENSE, OUTPUT):
        out, inp = w[layer + "_W"].shape
        flops += 2 * out * inp
    return params, flops


def l1_scores(w, layer):
    weight = w[layer + "_W"]
    return weight.abs().reshape(weight.shape[0], -1).sum(1)


def remove(w, layer, kernels):
    """Removes output kernels (convolution filters or dense units) and what reads them."""
    w = dict(w)
    n = w[layer + "_W"].shape[0]
    keep = torch.tensor(sorted(set(range(n)) - set(int(k) for k in kernels)), dtype=torch.long)
    w[layer + "_W"] = w[layer + "_W"][keep].contiguous()
    w[layer + "_b"] = w[layer + "_b"][keep].contiguous()
    if layer in ("0", "1", "3"):
        nxt = {"0": "1", "1": "3", "3": "4"}[layer]
        w[nxt + "_W"] = w[nxt + "_W"][:, keep].contiguous()
    elif layer == "4":
        # Flattened NCHW: channel c owns features c*49 .. c*49+48.
        cols = (keep[:, None] * 49 + torch.arange(49)[None, :]).reshape(-1)
        w[DENSE + "_W"] = w[DENSE + "_W"][:, cols].contiguous()
    elif layer == DENSE:
        w[OUTPUT + "_W"] = w[OUTPUT + "_W"][:, keep].contiguous()
    return w


def lowest(scores, count, among=None):
    order = torch.argsort(scores, stable=True).tolist()
    if among is not None:
        order = [k for k in order if k in among]
    return order[:count]


def rate(lr, schedule, index, batches):
    """The engine's Retraining.Schedule: linear warm-up, then constant or cosine to 0."""
    shape, warmup = schedule
    if index < warmup:
        return lr * (index + 1) / warmup
    if shape == "constant":
        return lr
    progress = min(1.0, (index - warmup) / max(1, batches - warmup))
    return lr * 0.5 * (1 + math.cos(math.pi * progress))


def loss_of(logits, labels, teacher, distill):
    if distill is None or teacher is None:
        return F.cross_entropy(logits, labels)
    alpha, t = distill
    soft = F.kl_div(F.log_softmax(logits / t, 1), F.softmax(teacher / t, 1), reduction="batchmean")
    return (1 - alpha) * F.cross_entropy(logits, labels) + alpha * t * t * soft


def train(w, x, y, batches, batch, lr, seed, schedule=("constant", 0), teacher=None, distill=None):
    """Trains every layer for `batches` batches, Adam with fresh state; reshuffles per epoch."""
    if batches <= 0:
        return w, 0
    net = Net(w)
    net.train()
    teach = None
    if distill is not None and teacher is not None:
        teach = Net(teacher)
        teach.eval()
    opt = torch.optim.Adam(net.parameters(), lr=lr)
    gen = torch.Generator().manual_seed(seed)
    done = 0
    while done < batches:
        order = torch.randperm(x.shape[0], generator=gen)
        for start in range(0, x.shape[0], batch):
            if done >= batches:
                break
            idx = order[start:start + batch]
            for group in opt.param_groups:
                group["lr"] = rate(lr, schedule, done, batches)
            target = None
            if teach is not None:
                with torch.no_grad():
                    target = teach(x[idx])
            opt.zero_grad()
            loss = loss_of(net(x[idx]), y[idx], target, distill)
            loss.backward()
            opt.step()
            done += 1
    return net.weights(), done


def accuracy(w, x, y):
    net = Net(w)
    net.eval()
    correct = 0
    with torch.no_grad():
        for start in range(0, x.shape[0], 1000):
            correct += (net(x[start:start + 1000]).argmax(1) == y[start:start + 1000]).sum().item()
    return correct / x.shape[0]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--weights", required=True)
    ap.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    ap.add_argument("--train-indices", required=True)
    ap.add_argument("--budget", type=int, default=844)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--ratio", type=float, default=0.5)
    ap.add_argument("--step", type=int, default=16)
    ap.add_argument("--final-share", type=float, default=0.0)
    ap.add_argument("--schedule", default="constant", help="constant|cosine[:warmup batches]")
    ap.add_argument("--distill", default="off", help="alpha:T, or off")
    ap.add_argument("--seeds", default="1,2,3")
    ap.add_argument("--strategies", default="ONE_SHOT,ITERATIVE_FULL")
    ap.add_argument("--with-dense", action="store_true")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    shape, _, warm = a.schedule.partition(":")
    if shape not in ("constant", "cosine"):
        raise SystemExit("--schedule constant|cosine[:warmup], got " + a.schedule)
    schedule = (shape, int(warm or 0))
    distill = None
    if a.distill != "off":
        alpha, _, t = a.distill.partition(":")
        distill = (float(alpha), float(t or 4))

    all_x, all_y = load_idx(a.data, "train")
    idx = torch.from_numpy(np.fromfile(a.train_indices, dtype="<i4").astype(np.int64))
    x, y = all_x[idx], all_y[idx]
    test_x, test_y = load_idx(a.data, "t10k")
    base = load_weights(a.weights)
    base_params, base_flops = params_and_flops(base)
    print(f"torch {torch.__version__}, {a.threads} threads; train {len(idx)}, test {len(test_y)};"
          f" baseline {base_params} params, test {accuracy(base, test_x, test_y):.4f};"
          f" schedule {a.schedule}, distillation {a.distill}", flush=True)
    layers = CONV_LAYERS + ([DENSE] if a.with_dense else [])
    counts = {l: int(base[l + "_W"].shape[0] * a.ratio) for l in layers}

    lines = []
    for seed in [int(s) for s in a.seeds.split(",")]:
        for strategy in a.strategies.split(","):
            torch.manual_seed(seed)
            cpu = time.process_time()
            w = base
            batches = 0
            if strategy == "ONE_SHOT":
                chosen = {l: lowest(l1_scores(base, l), counts[l]) for l in layers}
                for l in layers:
                    w = remove(w, l, chosen[l])
                w, batches = train(w, x, y, a.budget, a.batch, a.lr, seed, schedule, base, distill)
            elif strategy == "ITERATIVE_FULL":
                staged = round(a.budget * (1 - a.final_share))
                steps = sum((counts[l] + a.step - 1) // a.step for l in layers)
                per = staged // steps
                s = 0
                for l in layers:
                    # The layer's target: its lowest-L1 kernels now, tracked by original position.
                    alive = list(range(w[l + "_W"].shape[0]))
                    target = set(alive[k] for k in lowest(l1_scores(w, l), counts[l]))
                    while target:
                        now_alive = alive
                        current = {orig: i for i, orig in enumerate(now_alive)}
                        candidates = set(current[t] for t in target)
                        pick = lowest(l1_scores(w, l), min(a.step, len(target)), candidates)
                        removed = set(now_alive[k] for k in pick)
                        target -= removed
                        alive = [k for k in now_alive if k not in removed]
                        w = remove(w, l, pick)
                        s += 1
                        w, b = train(w, x, y, per, a.batch, a.lr, seed * 1000 + s, schedule, base,
                                     distill)
                        batches += b
                w, b = train(w, x, y, a.budget - staged, a.batch, a.lr, seed * 1000 + 999, schedule,
                             base, distill)
                batches += b
            else:
                raise SystemExit("unknown strategy " + strategy)
            used = time.process_time() - cpu
            acc = accuracy(w, test_x, test_y)
            p, fl = params_and_flops(w)
            line = f"{strategy}\t{seed}\t{acc:.4f}\t{p / base_params:.4f}\t{fl / base_flops:.4f}" \
                   f"\t{used:.1f}\t{batches}"
            print(line.replace("\t", "  "), flush=True)
            lines.append(line)
    with open(a.out, "w") as f:
        f.write("# strategy\tseed\ttest_accuracy\tparams_kept\tflops_kept\tcpu_s\tbatches\n")
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
