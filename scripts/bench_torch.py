"""PyTorch's time per epoch for the autoencoder, batch, loss and optimizer that `npm run bench` times.

dense: 784-512-128-L-128-512-784, ReLU; conv: the engine's convAutoencoder.ts (3x3 stride-2 convolutions
16, 32, a dense code, and transposed convolutions back). Sigmoid of logits clipped to +-15, L1 loss,
Adam (lr 1e-3, betas 0.9/0.999, eps 1e-7 like tfjs's), batch 256, the 60,000 MNIST training images from
the same IDX files. Glorot-uniform kernels, zero biases and the output bias at the mean image, as in the
engine. One configuration per process, so that its thread count and peak RSS are its own.

  python3 scripts/bench_torch.py <mnist dir> --latent 16 --threads 2 --adam fused [--epochs 3] [--gated]

--adam default is what `torch.optim.Adam(...)` does on CPU: the per-parameter for-loop (PyTorch picks its
foreach kernels by default only on GPUs); foreach and fused ask for those implementations.

Prints one JSON line after setup ({"ready": ...}), one per epoch ({"epoch": 0 is the warm-up, "seconds"})
and the row last. With --gated it reads a line from stdin before each epoch, so that `npm run bench` can
interleave its processes' epochs and noise on the machine hits every configuration alike.
"""
import argparse
import json
import re
import resource
import statistics
import sys
import time

import numpy as np
import torch

BATCH = 256
LOGIT_LIMIT = 15


def load_images(data_dir):
    with open(f"{data_dir}/train-images-idx3-ubyte", "rb") as f:
        raw = f.read()
    return torch.from_numpy(np.frombuffer(raw, dtype=np.uint8, offset=16).reshape(-1, 784).astype(np.float32) / 255.0)


def dense_model(latent):
    sizes = [784, 512, 128, latent, 128, 512, 784]
    layers = []
    for i in range(6):
        layers.append(torch.nn.Linear(sizes[i], sizes[i + 1]))
        if i not in (2, 5):  # the latent code and the logits are linear
            layers.append(torch.nn.ReLU())
    return torch.nn.Sequential(*layers)


def conv_model(latent):
    # padding 1 (and output_padding 1) gives tf's 'same' output sizes 28 -> 14 -> 7 -> 14 -> 28; tf pads
    # only the far side, which changes no cost.
    def deconv(cin, cout):
        return torch.nn.ConvTranspose2d(cin, cout, 3, stride=2, padding=1, output_padding=1)

    relu = torch.nn.ReLU
    return torch.nn.Sequential(
        torch.nn.Unflatten(1, (1, 28, 28)),
        torch.nn.Conv2d(1, 16, 3, stride=2, padding=1), relu(),
        torch.nn.Conv2d(16, 32, 3, stride=2, padding=1), relu(),
        torch.nn.Flatten(),
        torch.nn.Linear(32 * 7 * 7, latent),
        torch.nn.Linear(latent, 32 * 7 * 7), relu(),
        torch.nn.Unflatten(1, (32, 7, 7)),
        deconv(32, 16), relu(),
        deconv(16, 1),
        torch.nn.Flatten(),
    )


def initialise(model, images):
    with torch.no_grad():
        weighted = [m for m in model if isinstance(m, (torch.nn.Linear, torch.nn.Conv2d, torch.nn.ConvTranspose2d))]
        for m in weighted:
            torch.nn.init.xavier_uniform_(m.weight)
            torch.nn.init.zeros_(m.bias)
        mean = images.mean(0).clamp(0.01, 0.99) if weighted[-1].bias.numel() == 784 else images.mean().clamp(0.01, 0.99)
        weighted[-1].bias.copy_(torch.log(mean / (1 - mean)))


def blas():
    """Which BLAS does the matmuls. A pip wheel links MKL statically into libtorch_cpu, so /proc/self/maps
    cannot tell (it shows numpy's own OpenBLAS instead); the build configuration can."""
    config = torch.__config__.show()
    info = re.search(r"BLAS_INFO=(\w+)", config)
    mkl = re.search(r"Math Kernel Library Version ([\d.]+)", config)
    name = (info.group(1) if info else "unknown BLAS") + (f" {mkl.group(1)}" if info and info.group(1) == "mkl" and mkl else "")
    return f"{name}, {torch.backends.cpu.get_cpu_capability()}"


def emit(obj):
    print(json.dumps(obj), flush=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("data_dir")
    parser.add_argument("--arch", choices=["dense", "conv"], default="dense")
    parser.add_argument("--latent", type=int, required=True)
    parser.add_argument("--threads", type=int, required=True)
    parser.add_argument("--adam", choices=["default", "foreach", "fused"], required=True)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--gated", action="store_true")
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(1)
    images = load_images(args.data_dir)
    model = (conv_model if args.arch == "conv" else dense_model)(args.latent)
    initialise(model, images)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, betas=(0.9, 0.999), eps=1e-7, **({} if args.adam == "default" else {args.adam: True}))

    def epoch():
        order = torch.randperm(images.shape[0])
        for start in range(0, images.shape[0], BATCH):
            x = images[order[start:start + BATCH]]
            loss = torch.mean(torch.abs(torch.sigmoid(torch.clamp(model(x), -LOGIT_LIMIT, LOGIT_LIMIT)) - x))
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()

    emit({"ready": True})
    times = []
    for i in range(args.epochs + 1):
        if args.gated and not sys.stdin.readline():
            return
        started = time.perf_counter()
        epoch()
        seconds = time.perf_counter() - started
        if i > 0:  # epoch 0 is the warm-up
            times.append(seconds)
        emit({"epoch": i, "seconds": seconds})
    emit({
        "engine": f"PyTorch {torch.__version__} Adam {args.adam} ({blas()})",
        "arch": args.arch,
        "latent": args.latent,
        "threads": torch.get_num_threads(),
        "secondsPerEpoch": statistics.median(times),
        "epochSeconds": times,
        "peakRssMb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    })


main()
