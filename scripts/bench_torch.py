#!/usr/bin/env python3
"""PyTorch's side of `make bench`: the LeNet++ training step and test pass of centerloss, in PyTorch.

The same network as centerloss/model.go (six 5x5 convolutions, padding 2, of 32, 32 | pool | 64, 64 | pool |
128, 128 | pool channels, PReLU after each, a dense layer 1152 -> 2 with PReLU, a dense layer 2 -> 10), the same
initialisation (Caffe's xavier, PReLU slopes 0.25), the same objective (softmax + lambda * center loss, the centers
behind a stop-gradient), the same center update (Eq. 4, alpha), the same optimizer (SGD, momentum 0.9, weight decay
5e-4 on every weight), on the same MNIST IDX files, at the same batch, with the same repetitions as
centerloss-bench, whose JSON field names this writes.

    python3 scripts/bench_torch.py --data DIR [--threads 2] [--reps 30] [--warmup 3] [--loop-steps 60]
                                    [--infer-reps 5] [--device cpu|cuda] [--json out.json] [--profile]
"""
import argparse
import datetime
import gzip
import json
import math
import os
import platform
import statistics
import struct
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

PIXEL_MEAN, PIXEL_STD = 0.1307, 0.3081  # centerloss.PixelMean, PixelStd
CONVS = [(28, 1, 32), (28, 32, 32), (14, 32, 64), (14, 64, 64), (7, 64, 128), (7, 128, 128)]  # side, in, out


def read_idx(path):
    """Reads an IDX file (raw or .gz) of unsigned bytes into a numpy array."""
    for p in (path, path + ".gz"):
        if os.path.exists(p):
            opener = gzip.open if p.endswith(".gz") else open
            with opener(p, "rb") as f:
                raw = f.read()
            magic = struct.unpack(">I", raw[:4])[0]
            ndim = magic & 0xFF
            dims = struct.unpack(">" + "I" * ndim, raw[4:4 + 4 * ndim])
            return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)
    raise FileNotFoundError(path)


def normalized(images_u8):
    """(x/255 - mean)/std, float32, [n, 1, 28, 28] (centerloss.NormalizedPixels)."""
    x = torch.from_numpy(np.array(images_u8, dtype=np.float32))
    return ((x / 255 - PIXEL_MEAN) / PIXEL_STD).unsqueeze(1)


class LeNetPP(nn.Module):
    """centerloss.LeNetPP."""

    def __init__(self, embedding_dim=2, num_classes=10):
        super().__init__()
        layers, cin = [], 1
        for channels in (32, 64, 128):
            for _ in range(2):
                layers += [nn.Conv2d(cin, channels, 5, padding=2), nn.PReLU(channels, init=0.25)]
                cin = channels
            layers.append(nn.MaxPool2d(2))  # 28 -> 14 -> 7 -> 3 (floor)
        self.features = nn.Sequential(*layers)
        self.embedding = nn.Linear(3 * 3 * 128, embedding_dim)
        self.embedding_prelu = nn.PReLU(embedding_dim, init=0.25)
        self.logits = nn.Linear(embedding_dim, num_classes)
        for m in self.modules():  # Caffe's "xavier": uniform +-sqrt(3/fan_in), biases 0 (centerloss.CaffeXavier)
            if isinstance(m, (nn.Conv2d, nn.Linear)):
                fan_in = m.weight[0].numel()
                limit = math.sqrt(3 / fan_in)
                nn.init.uniform_(m.weight, -limit, limit)
                nn.init.zeros_(m.bias)

    def forward(self, x):
        x = self.features(x).flatten(1)
        embedding = self.embedding_prelu(self.embedding(x))
        return self.logits(embedding), embedding


def center_loss(features, labels, centers):
    """0.5 * mean_i ||x_i - c_{y_i}||^2, the centers behind a stop-gradient (centerloss.CenterLoss)."""
    return 0.5 * ((features - centers.detach()[labels]) ** 2).sum(1).mean()


@torch.no_grad()
def update_centers(features, labels, centers, alpha):
    """Eq. 4 of the paper, in place (centerloss.UpdateCenters)."""
    one_hot = F.one_hot(labels, centers.shape[0]).to(features.dtype)  # [batch, classes]
    counts = one_hot.sum(0).unsqueeze(1)  # n_j
    sums = one_hot.t() @ features.detach()  # sum of x_i
    delta = (counts * centers - sums) / (1 + counts)
    centers.sub_(alpha * delta)


def peak_rss_mib():
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def stats(samples):
    s = sorted(samples)
    q = lambda p: float(np.quantile(s, p)) if s else 0.0
    return {"n": len(s), "median": q(0.5), "min": s[0] if s else 0.0, "max": s[-1] if s else 0.0, "q1": q(0.25),
            "q3": q(0.75), "mean": statistics.fmean(s) if s else 0.0, "all": samples}


def load_average():
    try:
        with open("/proc/loadavg") as f:
            return " ".join(f.read().split()[:3])
    except OSError:
        return ""


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", required=True, help="folder with MNIST's IDX files")
    p.add_argument("--threads", type=int, default=os.cpu_count(), help="torch.set_num_threads (XLA uses every core)")
    p.add_argument("--batch", type=int, default=128)
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--reps", type=int, default=30)
    p.add_argument("--loop-steps", type=int, default=60)
    p.add_argument("--epoch-steps", type=int, default=0)
    p.add_argument("--infer-reps", type=int, default=5, help="timed test passes after a first one; 0 skips them")
    p.add_argument("--eval-batch", type=int, default=1000, help="centerloss's eval_batch_size")
    p.add_argument("--lambda", dest="lam", type=float, default=0.01)
    p.add_argument("--alpha", type=float, default=0.5)
    p.add_argument("--lr", type=float, default=0.01)
    p.add_argument("--device", default="cpu")
    p.add_argument("--channels-last", action="store_true", help="NHWC memory format (default NCHW, PyTorch's own)")
    p.add_argument("--profile", action="store_true", help="also time each convolution's forward and gradients alone")
    p.add_argument("--profile-reps", type=int, default=10)
    p.add_argument("--json", default="")
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--serve", action="store_true",
                   help="after the first and the warm-up steps, time one phase per command read from stdin (step, "
                        "loop N, infer, result), answering with JSON lines: scripts/bench_lockstep.py")
    args = p.parse_args()

    start = time.perf_counter()
    load_at_start = load_average()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    device = torch.device(args.device)
    cuda = device.type == "cuda"
    sync = torch.cuda.synchronize if cuda else (lambda: None)
    memory_format = torch.channels_last if args.channels_last else torch.contiguous_format

    train_images = read_idx(os.path.join(args.data, "train-images-idx3-ubyte"))
    train_labels = torch.from_numpy(read_idx(os.path.join(args.data, "train-labels-idx1-ubyte")).astype(np.int64))
    test_images = read_idx(os.path.join(args.data, "t10k-images-idx3-ubyte"))
    test_labels = read_idx(os.path.join(args.data, "t10k-labels-idx1-ubyte")).astype(np.int64)
    train_x = normalized(train_images).to(device).contiguous(memory_format=memory_format)
    train_y = train_labels.to(device)
    steps_per_epoch = len(train_y) // args.batch

    t = time.perf_counter()
    model = LeNetPP().to(device).to(memory_format=memory_format)
    centers = torch.zeros(10, 2, device=device)
    optimizer = torch.optim.SGD(model.parameters(), lr=args.lr, momentum=0.9, weight_decay=5e-4)
    setup_seconds = time.perf_counter() - t

    rng = np.random.default_rng(7)
    order = torch.from_numpy(rng.permutation(len(train_y))).to(device)
    position = [0]

    def next_batch():
        if position[0] + args.batch > len(order):
            position[0] = 0
        idx = order[position[0]:position[0] + args.batch]
        position[0] += args.batch
        return train_x[idx], train_y[idx]

    last = {}

    def train_step(x, y):
        optimizer.zero_grad(set_to_none=True)
        logits, features = model(x)
        softmax = F.cross_entropy(logits, y)
        center = center_loss(features, y, centers)
        loss = softmax + args.lam * center
        loss.backward()
        update_centers(features, y, centers, args.alpha)
        optimizer.step()
        # The metrics to the host, as centerloss's loop reads its own every step (this also waits for a GPU).
        last["loss"], last["softmax"], last["center"] = loss.item(), softmax.item(), center.item()
        if not math.isfinite(last["loss"]):
            raise SystemExit(f"bench_torch: the loss is {last['loss']}")

    feed_times = []

    def timed_step():
        t0 = time.perf_counter()
        x, y = next_batch()
        sync()
        t = time.perf_counter()
        feed_times.append(t - t0)
        train_step(x, y)
        sync()
        return time.perf_counter() - t

    def loop(steps):
        # The training loop as a user writes it: a shuffled batch gathered from the data set, then the step.
        t = time.perf_counter()
        for _ in range(steps):
            x, y = next_batch()
            train_step(x, y)
        sync()
        return time.perf_counter() - t

    @torch.no_grad()
    def evaluate():
        # centerloss.Session.Evaluate: normalise the split, forward in batches, accuracy, cross-entropy, distances.
        model.eval()
        x_all = normalized(test_images).contiguous(memory_format=memory_format)
        correct, ce_sum, dist_sum = 0, 0.0, 0.0
        c = centers.cpu()
        for s in range(0, len(test_labels), args.eval_batch):
            x = x_all[s:s + args.eval_batch].to(device)
            logits, features = model(x)
            logits, features = logits.cpu(), features.cpu()
            y = torch.from_numpy(test_labels[s:s + args.eval_batch])
            correct += int((logits.argmax(1) == y).sum())
            ce_sum += float(F.cross_entropy(logits.double(), y, reduction="sum"))
            dist_sum += float(((features.double() - c.double()[y]) ** 2).sum(1).sqrt().sum())
        model.train()
        return correct / len(test_labels)

    # What ran so far, for the result.
    runs = {"steps": [], "loop_steps": 0, "loop_seconds": 0.0, "inference": [], "inference_first": 0.0,
            "accuracy": None, "evaluations": 0, "peak_after_train": 0.0}

    def timed_evaluate():
        if runs["evaluations"] == 0:
            runs["peak_after_train"] = peak_rss_mib()
        t = time.perf_counter()
        runs["accuracy"] = evaluate()
        seconds = time.perf_counter() - t
        runs["evaluations"] += 1
        if runs["evaluations"] == 1:
            runs["inference_first"] = seconds
        else:
            runs["inference"].append(seconds)
        return seconds

    def timed_loop(steps):
        seconds = loop(steps)
        runs["loop_steps"] += steps
        runs["loop_seconds"] += seconds
        return seconds

    def result():
        step = stats(runs["steps"])
        inference = stats(runs["inference"])
        r = {}
        if runs["loop_steps"]:
            loop_step = runs["loop_seconds"] / runs["loop_steps"]
            r.update(loop_steps=runs["loop_steps"], loop_step_seconds=loop_step, epoch_seconds_loop=loop_step * steps_per_epoch)
        versions = {"torch": torch.__version__, "python": platform.python_version(), "numpy": np.__version__}
        if not cuda:
            versions["onednn"] = "available" if torch.backends.mkldnn.is_available() else "no"
        else:
            versions["cuda"] = torch.version.cuda
            versions["cudnn"] = str(torch.backends.cudnn.version())
        r.update(
            framework="PyTorch", versions=versions,
            backend=f"{device.type}" + (f" ({torch.cuda.get_device_name(device)})" if cuda else f" ({torch.get_num_threads()} threads)"),
            xla_flags="", threads=torch.get_num_threads(), batch=args.batch,
            layout="NHWC (channels_last)" if args.channels_last else "NCHW (PyTorch's default)",
            date=datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
            host=f"{cpu_model()}, {os.cpu_count()} CPUs", setup_seconds=setup_seconds, first_step_seconds=first,
            step=step, feed_seconds=statistics.median(feed_times) if feed_times else 0.0,
            images_per_second=args.batch / step["median"] if step["n"] else 0.0, steps_per_epoch=steps_per_epoch,
            epoch_seconds_projected=steps_per_epoch * step["median"], inference_first_seconds=runs["inference_first"],
            inference=inference, inference_images=len(test_labels),
            inference_images_per_second=len(test_labels) / inference["median"] if inference["n"] else 0.0,
            test_accuracy=runs["accuracy"], final_loss=last["loss"], peak_rss_mib=peak_rss_mib(),
            peak_rss_after_train_mib=runs["peak_after_train"] or peak_rss_mib(), inference_batch=args.eval_batch,
            train_step_metrics_on_host=3)
        if cuda:
            r["peak_device_memory_mib"] = torch.cuda.max_memory_allocated(device) / 2**20
        r["total_seconds"] = time.perf_counter() - start
        r["loadavg"] = [load_at_start, load_average()]
        return r

    model.train()
    first = timed_step()
    for _ in range(args.warmup):
        timed_step()
    feed_times.clear()

    if args.serve:  # one phase per command, for scripts/bench_lockstep.py (see centerloss-bench -serve)
        answer = lambda v: print(json.dumps(v), flush=True)
        answer({"ready": True, "first_step_seconds": first})
        for line in sys.stdin:
            fields = line.split()
            if not fields:
                continue
            if fields[0] == "step":
                seconds = timed_step()
                runs["steps"].append(seconds)
                answer({"step_seconds": seconds})
            elif fields[0] == "loop":
                answer({"loop_seconds": timed_loop(int(fields[1]) if len(fields) > 1 else 1)})
            elif fields[0] == "infer":
                answer({"inference_seconds": timed_evaluate()})
            elif fields[0] == "result":
                answer(result())
                return
            else:
                raise SystemExit(f"bench_torch: unknown command {fields[0]!r}")
        return

    print(f"first training step: {first:.2f} s")
    runs["steps"] = [timed_step() for _ in range(args.reps)]
    step = stats(runs["steps"])
    print(f"training step: median {1e3 * step['median']:.1f} ms (min {1e3 * step['min']:.1f}, max {1e3 * step['max']:.1f}, "
          f"IQR {1e3 * step['q1']:.1f}-{1e3 * step['q3']:.1f}) over {step['n']}, {args.batch / step['median']:.0f} images/s")
    if args.loop_steps > 0:
        loop_step = timed_loop(args.loop_steps) / args.loop_steps
        print(f"training loop: {1e3 * loop_step:.1f} ms a step over {args.loop_steps} steps (data feeding included)")
    epoch = {}
    if args.epoch_steps > 0:
        epoch = {"epoch_steps_measured": args.epoch_steps, "epoch_seconds_measured": loop(args.epoch_steps)}
        print(f"training loop, {args.epoch_steps} steps: {epoch['epoch_seconds_measured']:.1f} s")
    if args.infer_reps > 0:
        for _ in range(args.infer_reps + 1):
            timed_evaluate()
        inference = stats(runs["inference"])
        print(f"first test pass: {runs['inference_first']:.2f} s")
        print(f"test pass over {len(test_labels)} images: median {inference['median']:.2f} s (min {inference['min']:.2f}, "
              f"max {inference['max']:.2f}), {len(test_labels) / inference['median']:.0f} images/s")
    r = result()
    r.update(epoch)
    if args.profile:
        r["profile"] = profile(args, device, sync, memory_format)
    print(f"projected epoch ({steps_per_epoch} steps x median step): {r['epoch_seconds_projected']:.0f} s; "
          f"peak RSS {r['peak_rss_mib']:.0f} MiB")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(r, f, indent=2)
            f.write("\n")


def profile(args, device, sync, memory_format):
    """Each convolution's forward, input gradient and kernel gradient alone (aten.convolution_backward)."""
    parts = []

    def time_it(fn):
        samples = []
        for i in range(args.profile_reps + 2):
            sync()
            t = time.perf_counter()
            fn()
            sync()
            if i >= 2:
                samples.append(time.perf_counter() - t)
        return stats(samples)

    b = args.batch
    for i, (side, cin, cout) in enumerate(CONVS):
        x = torch.randn(b, cin, side, side, device=device).contiguous(memory_format=memory_format)
        k = torch.randn(cout, cin, 5, 5, device=device).contiguous(memory_format=memory_format)
        bias = torch.randn(cout, device=device)
        dy = torch.randn(b, cout, side, side, device=device).contiguous(memory_format=memory_format)
        gflop = 2 * b * side * side * cout * cin * 25 / 1e9
        back = lambda mask: torch.ops.aten.convolution_backward(dy, x, k, [cout], [1, 1], [2, 2], [1, 1], False,
                                                                  [0, 0], 1, mask)
        with torch.no_grad():
            for name, fn in (("forward", lambda: F.conv2d(x, k, bias, padding=2)),
                             ("input gradient", lambda: back([True, False, False])),
                             ("kernel gradient", lambda: back([False, True, True]))):
                s = time_it(fn)
                parts.append({"name": f"conv{i} {side}x{side}x{cin}->{cout} {name}", "stats": s, "gflop": gflop,
                              "gflop_per_s": gflop / s["median"]})
                print(f"{parts[-1]['name']:58s} {1e3 * s['median']:8.2f} ms  {gflop / s['median']:6.1f} GFLOP/s")
    return parts


if __name__ == "__main__":
    sys.exit(main())
