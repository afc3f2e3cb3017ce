#!/usr/bin/python3
"""Reference speed of the benchmark CNN in PyTorch on this CPU, so the project's own figures can
be held against it in the same run (the Benchmark command runs this script; see README).

Needs Debian's packages: apt-get install -y python3-torch dataset-fashion-mnist
Run:   /usr/bin/python3 src/test/python/torch_reference.py [--train N] [--batch B] [--threads T]
           [--data DIR] [--json FILE]

The network is the benchmark CNN (467,818 parameters), NCHW, float32, Adam(1e-3), cross-entropy:
conv3x3(32)-relu-conv3x3(32)-relu-maxpool2-conv3x3(64)-relu-conv3x3(64)-relu-maxpool2-
dense(128)-relu-dense(10). It trains one pass over the first N training images at batch B (timed
from the first batch, no warm-up), then infers 3 x 2,000 test images at batch 256, and prints
images per second as JSON.
"""
import argparse, gzip, json, os, time
import numpy as np
import torch
import torch.nn as nn


def read_idx(path, offset):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        return np.frombuffer(f.read(), np.uint8, offset=offset)


def find(data, stem):
    for name in (stem + ".gz", stem):
        if os.path.exists(os.path.join(data, name)):
            return os.path.join(data, name)
    raise SystemExit("no %s(.gz) in %s: pass --data DIR" % (stem, data))


def images(data, stem, n):
    a = read_idx(find(data, stem), 16)
    return torch.tensor(a.reshape(-1, 1, 28, 28)[:n].astype(np.float32) / 255)


def labels(data, stem, n):
    return torch.tensor(read_idx(find(data, stem), 8)[:n].astype(np.int64))


def network():
    return nn.Sequential(
        nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(), nn.Conv2d(32, 32, 3, padding=1), nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.Conv2d(64, 64, 3, padding=1), nn.ReLU(),
        nn.MaxPool2d(2), nn.Flatten(), nn.Linear(64 * 7 * 7, 128), nn.ReLU(), nn.Linear(128, 10))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--train", type=int, default=12000)
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    p.add_argument("--json")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(42)
    xtr = images(a.data, "train-images-idx3-ubyte", a.train)
    ytr = labels(a.data, "train-labels-idx1-ubyte", a.train)
    xte = images(a.data, "t10k-images-idx3-ubyte", 2000)
    yte = labels(a.data, "t10k-labels-idx1-ubyte", 2000)
    net = network()
    opt, loss = torch.optim.Adam(net.parameters(), 1e-3), nn.CrossEntropyLoss()
    start = time.perf_counter()
    for s in range(0, len(xtr), a.batch):
        opt.zero_grad()
        loss(net(xtr[s:s + a.batch]), ytr[s:s + a.batch]).backward()
        opt.step()
    train_ips = len(xtr) / (time.perf_counter() - start)
    net.eval()
    with torch.no_grad():
        accuracy = (net(xte).argmax(1) == yte).float().mean().item()
        start = time.perf_counter()
        for _ in range(3):
            for s in range(0, len(xte), 256):
                net(xte[s:s + 256])
        infer_ips = 3 * len(xte) / (time.perf_counter() - start)
    result = {"params": sum(q.numel() for q in net.parameters()),
              "train_images_per_s": round(train_ips, 1), "infer_images_per_s": round(infer_ips, 1),
              "accuracy_after_one_pass": round(accuracy, 4), "threads": a.threads,
              "batch": a.batch, "train_images": len(xtr), "torch": torch.__version__}
    print(json.dumps(result))
    if a.json:
        with open(a.json, "w") as f:
            json.dump(result, f)


if __name__ == "__main__":
    main()
