"""PyTorch's time per epoch for the same dense autoencoder, batch and optimizer as `npm run bench`.

784-512-128-L-128-512-784, ReLU, sigmoid of logits clipped to +-15, L1 loss, Adam 1e-3, batch 256, the
60,000 MNIST training images read from the same IDX files. Prints one JSON object per latent size.
Usage: python3 scripts/bench_torch.py <mnist data dir> <latents, comma-separated> <epochs> <threads>
"""
import json
import resource
import sys
import time

import numpy as np
import torch


def load_images(data_dir):
    with open(f"{data_dir}/train-images-idx3-ubyte", "rb") as f:
        raw = f.read()
    return torch.from_numpy(np.frombuffer(raw, dtype=np.uint8, offset=16).reshape(-1, 784).astype(np.float32) / 255.0)


def model_for(latent):
    sizes = [784, 512, 128, latent, 128, 512, 784]
    layers = []
    for i in range(6):
        layers.append(torch.nn.Linear(sizes[i], sizes[i + 1]))
        if i not in (2, 5):
            layers.append(torch.nn.ReLU())
    return torch.nn.Sequential(*layers)


def blas_library():
    """The BLAS the process really loaded (Debian picks it through alternatives: reference or OpenBLAS)."""
    torch.mm(torch.ones(64, 64), torch.ones(64, 64))
    with open("/proc/self/maps") as maps:
        text = maps.read()
    return "openblas" if "openblas" in text else "reference BLAS (install libopenblas0-pthread)"


def main():
    data_dir, latents, epochs, threads = sys.argv[1], [int(x) for x in sys.argv[2].split(",")], int(sys.argv[3]), int(sys.argv[4])
    torch.set_num_threads(threads)
    torch.manual_seed(1)
    images = load_images(data_dir)
    batch = 256
    for latent in latents:
        model = model_for(latent)
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)

        def epoch():
            order = torch.randperm(images.shape[0])
            for start in range(0, images.shape[0], batch):
                x = images[order[start:start + batch]]
                loss = torch.mean(torch.abs(torch.sigmoid(torch.clamp(model(x), -15, 15)) - x))
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()

        epoch()  # warm-up
        times = []
        for _ in range(epochs):
            started = time.perf_counter()
            epoch()
            times.append(time.perf_counter() - started)
        times.sort()
        print(json.dumps({
            "latent": latent,
            "secondsPerEpoch": times[len(times) // 2],
            "peakRssMb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "torch": torch.__version__,
            "blas": blas_library(),
        }), flush=True)


main()
