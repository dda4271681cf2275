"""Compute core: forward + backward of an MLP against the bare matrix products it must do.

Bare products per layer: a @ W (forward), a.T @ dz and dz @ W.T (backward), with their
results kept as any real pass must keep them (activations for the backward pass, dW). The ratio
(helpers' forward + backward) / (bare products) is what the activations, biases and
bookkeeping cost on top; the target is at most 1.2. Figures are medians of repeated runs.
"""
from __future__ import annotations

import os
import subprocess
import sys
import time

import numpy as np

import helpers as hp


def median_time(fn, repeat=15, number=3):
    fn()  # warm up
    runs = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        for _ in range(number):
            fn()
        runs.append((time.perf_counter() - t0) / number)
    return float(np.median(runs))


def core_ratio(depth=10, width=256, batch=512, activation="relu", seed=0):
    rng = np.random.default_rng(seed)
    params = hp.init_mlp([width] * (depth + 1), "he_normal", rng)
    X = rng.standard_normal((batch, width))
    dout = rng.standard_normal((batch, width))
    Ws = [W for W, _ in params]

    def helpers_pass():
        _, cache = hp.forward(params, X, activation)
        hp.backward(params, cache, dout)

    def bare_products():
        # the products alone, their results kept as a real pass must keep them
        acts, a = [], X
        for W in Ws:
            acts.append(a)
            a = a @ W
        d, dWs = dout, []
        for W, a in zip(reversed(Ws), reversed(acts)):
            dWs.append(a.T @ d)
            d = d @ W.T

    t_helpers, t_bare = median_time(helpers_pass), median_time(bare_products)
    return t_helpers, t_bare, t_helpers / t_bare


def fit_exponent(xs, ts):
    """Slope of log t against log x: 1 means linear, 2 quadratic."""
    return float(np.polyfit(np.log(xs), np.log(ts), 1)[0])


def headline_with_threads(threads: int) -> str:
    """The 10 x 256 / 512 case in a fresh process with `threads` BLAS threads (set before numpy loads)."""
    env = {**os.environ, "OPENBLAS_NUM_THREADS": str(threads), "OMP_NUM_THREADS": str(threads),
           "MKL_NUM_THREADS": str(threads)}
    out = subprocess.run([sys.executable, __file__], env=env, capture_output=True, text=True, check=True)
    return out.stdout.strip()


def report(lines):
    lines.append("## Compute core: forward + backward against bare matrix products (target <= 1.2x)\n")
    threads = os.environ.get("OPENBLAS_NUM_THREADS", "default")
    lines.append(f"BLAS threads in this run: {threads} (`make` sets 1: the series' matrices are small). "
                 "The headline case with each setting, in fresh processes:\n")
    for n in (1, 2):
        lines.append(f"- {n} BLAS thread{'s' if n > 1 else ''}: {headline_with_threads(n)}")
    lines.append("")
    lines.append("| depth | width | batch | activation | helpers (ms) | bare products (ms) | ratio |")
    lines.append("|---|---|---|---|---|---|---|")
    for depth, width, batch, act in [(10, 256, 512, "relu"), (10, 256, 512, "tanh"), (10, 256, 512, "sigmoid"),
                                     (10, 512, 512, "relu"), (10, 128, 512, "relu"), (30, 256, 256, "relu")]:
        th, tb, r = core_ratio(depth, width, batch, act)
        flag = "" if r <= 1.2 else " (over target)"
        lines.append(f"| {depth} | {width} | {batch} | {act} | {th * 1e3:.2f} | {tb * 1e3:.2f} | {r:.2f}{flag} |")
    lines.append("")
    lines.append("What the ratio adds on top of the products: the elementwise work of each layer (bias, activation, "
                 "its derivative, db), which numpy runs on one core while the products can use BLAS threads; "
                 "the sigmoid's exp is the dearest. With two BLAS threads the products halve but the elementwise "
                 "work does not, so the ratio rises.\n")
    scaling = {"depth": ([5, 10, 20, 40], lambda v: core_ratio(v, 256, 256)[0]),
               "batch": ([128, 256, 512, 1024], lambda v: core_ratio(10, 256, v)[0]),
               "width": ([128, 256, 512, 1024], lambda v: core_ratio(10, v, 256)[0])}
    lines.append("How the cost grows (fitted exponent of time against size; expected: depth 1, batch 1, width 2):\n")
    lines.append("| size | values | times (ms) | exponent |")
    lines.append("|---|---|---|---|")
    for name, (values, timer) in scaling.items():
        ts = [timer(v) for v in values]
        lines.append(f"| {name} | {values} | {', '.join(f'{t * 1e3:.2f}' for t in ts)} | {fit_exponent(values, ts):.2f} |")
    lines.append("")
    return lines


if __name__ == "__main__":
    th, tb, r = core_ratio()
    print(f"forward+backward 10 x 256 on 512 examples (relu): helpers {th * 1e3:.2f} ms, "
          f"bare products {tb * 1e3:.2f} ms, ratio {r:.2f} (target <= 1.2)")
