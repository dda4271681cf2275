"""Explorers of notebook 06 (papers reproduced): Glorot & Bengio's layer histograms (R1) and
Lu et al.'s dying ReLU nets, Monte Carlo against the formula (R3)."""
from __future__ import annotations

import functools

import numpy as np

from ..core.losses import softmax_cross_entropy
from ..core.initializers import scheme_variance, uniform_limit
from ..core.network import backward_pass, forward
from ..core.stats import finite_mean_std, fmt
from ..ui import explorer as hw
from ..ui.kept import kept_histograms
from ..ui.plotting import layer_histograms, log_axis, log_limits, panel_grid
from .experiments import binomial_band, dead_net_probability, simulate_dead_nets

__all__ = ["glorot_bengio_explorer", "dying_nets_explorer"]

SEED = 0
BATCH, CLASSES = 200, 10
INITS = [("standard U[±1/√n]", "standard_uniform"),
         ("normalized (Glorot) U[±√(6/(n_in+n_out))]", "glorot_uniform"),
         ("He uniform U[±√(6/n_in)]", "he_uniform")]  # (label, value) pairs
MAX_DEPTH = 10  # the depth slider's top


def _axes(fig, ncols, width_ratios=None):
    """A row of axes with margins in ems (the "large display" toggle scales the fonts)."""
    grid = panel_grid(fig, 1, ncols, width_ratios=width_ratios, left=5.5, right=1.2, bottom=3.8, top=2.4, wgap=5.8)
    return [fig.add_subplot(grid[i]) for i in range(ncols)]


# ---------------------------------------------------------------------------------------------- R1
class _Draws:
    """The seeded batch (X, y) and, after it, the U[0, 1) stream the uniform schemes draw from: a net of depth D takes
    its D hidden layers and then its output layer from it in order, as init_mlp draws them (uniform(low, high) is
    low + (high - low) * u, one u per weight). numpy draws one number after the other whatever the shape asked for,
    so the stream is kept as chunks of width^2 numbers, drawn as far as a net needs: chunk l holds hidden layer l,
    and the first width * CLASSES numbers of chunk D are the output layer of a net of depth D."""

    def __init__(self, width):
        self.rng, self.width, self.chunks = np.random.default_rng(SEED), width, []
        self.X = self.rng.standard_normal((BATCH, width))
        self.y = self.rng.integers(0, CLASSES, BATCH)

    def chunk(self, l):
        while len(self.chunks) <= l:
            self.chunks.append(self.rng.random(self.width * self.width if l < MAX_DEPTH else self.width * CLASSES))
        return self.chunks[l]


@functools.lru_cache(maxsize=2)
def _draws(width):
    return _Draws(width)


def _uniform(u, init, fan_in, fan_out):
    """What init_weights(fan_in, fan_out, init, rng) draws, to the last bit, from the stream's next u."""
    r = uniform_limit(scheme_variance(fan_in, fan_out, init))
    W = np.multiply(u.reshape(fan_in, fan_out), r - -r)  # in place: one new array (init_weights' gain 1.0
    W += -r  # changes no bit)
    return W


@functools.lru_cache(maxsize=2)
def _hidden(init, width):
    """{layer: W} of the hidden layers, kept: moving the activation or the depth draws nothing."""
    return {}


def _params(init, width, depth):
    """The net init_mlp([width] * (depth + 1) + [CLASSES], init, rng) draws after the batch, to the last bit."""
    draws, kept = _draws(width), _hidden(init, width)
    for l in range(depth):
        if l not in kept:
            kept[l] = _uniform(draws.chunk(l), init, width, width)
    zeros = np.zeros(width)
    out = _uniform(draws.chunk(depth)[:width * CLASSES], init, width, CLASSES)
    return draws.X, draws.y, [(kept[l], zeros) for l in range(depth)] + [(out, np.zeros(CLASSES))]


def _histogram_pass(init, width, depth, activation):
    """One forward and backward pass of a seeded batch; per-hidden-layer histograms and stds."""
    X, y, params = _params(init, width, depth)
    out, cache = forward(params, X, activation)
    _, dout = softmax_cross_entropy(out, y)
    dzs = backward_pass(params, cache, dout, weights=False).dzs  # dz only
    return _summary(init, activation, depth, width, cache.acts[:-1], dzs[:-1])  # hidden layers 1..depth


def _summary(init, activation, depth, width, acts, grads):
    """What the figure shows of the hidden layers' activations and gradients: histograms and stds."""
    a_std = np.array([finite_mean_std(a)[1] for a in acts])
    g_std = np.array([finite_mean_std(g)[1] for g in grads])
    lo = 0.0 if activation in ("sigmoid", "relu") else -1.0
    hi = 1.0 if activation in ("sigmoid", "tanh") else max(4 * a_std.max(), 1e-12)
    a_edges = np.linspace(lo, hi, 61)
    g_lim = 3 * g_std.max() if np.all(np.isfinite(g_std)) and g_std.max() > 0 else 1.0
    g_edges = np.linspace(-g_lim, g_lim, 61)
    return {"init": init, "activation": activation, "depth": depth, "width": width,
            "a_counts": layer_histograms(acts, a_edges), "a_edges": a_edges,
            "g_counts": layer_histograms(grads, g_edges), "g_edges": g_edges,
            "a_std": a_std, "g_std": g_std}


def _draw_histograms(kept, r):
    """Draw on the kept axes: each update gives the kept artists new data (issue 16)."""
    ax_a, ax_g, ax_s = kept.layout("one", lambda fig: _axes(fig, 3, [1, 1, 0.9]))
    layers = np.arange(1, r["depth"] + 1)
    kept_histograms(kept, "a", ax_a, r["a_counts"], r["a_edges"])
    ax_a.set(title="activations a_l (paper fig. 6)", xlabel="a", ylabel="fraction of values")
    kept_histograms(kept, "g", ax_g, r["g_counts"], r["g_edges"])
    ax_g.set(title="gradients dLoss/dz_l (paper fig. 7)", xlabel="dLoss/dz")
    ax_g.ticklabel_format(axis="x", style="sci", scilimits=(-2, 2))
    ax_a.legend(handles=[kept.artists[("a", i)] for i in range(r["depth"])], labels=[f"layer {l}" for l in layers],
                fontsize="small", loc="upper right")
    shown, lines = [], []
    for values, label, style in ((r["a_std"], "activations", "o-C0"), (r["g_std"], "gradients", "s--C3")):
        ok = np.isfinite(values) & (values > 0)
        if ok.any():
            rel = values[ok] / values[ok][-1]
            lines.append(kept.get(label, lambda: ax_s.plot(layers[ok], rel, style, label=label)[0],
                                  lambda a: a.set_data(layers[ok], rel)))
            shown.extend(rel)
    log_axis(ax_s, log_limits(shown, margin=0.1))  # at least two decades, so that a flat profile looks flat
    ax_s.set(title="std per layer ÷ top layer", xlabel="hidden layer")
    ax_s.legend(handles=lines, fontsize="small")
    spread = r["g_std"][0] / r["g_std"][-1]
    return (f"gradient std, layer 1 ÷ layer {r['depth']}: <b>{fmt(spread)}</b> &nbsp; "
            f"activation std, layer {r['depth']} ÷ layer 1: <b>{fmt(r['a_std'][-1] / r['a_std'][0])}</b>")


def glorot_bengio_explorer(figsize=(13, 4.2)):
    """R1: per-layer histograms of activations and back-propagated gradients at initialization.

    A net of `depth` hidden layers of `width` units and 10 softmax outputs, a batch of 200 standard-normal
    inputs with random labels; the standard init narrows both layer after layer, the normalized keeps them.
    """
    controls = {"init": hw.dropdown("initialization", INITS, value="standard_uniform"),
                "width": hw.slider("width (units per layer)", 200, 100, 800, step=100),
                "depth": hw.slider("hidden layers", 5, 2, MAX_DEPTH),
                "activation": hw.dropdown("activation", ["tanh", "sigmoid", "relu"])}
    presets = {"standard (paper, top rows)": {"init": "standard_uniform", "activation": "tanh", "depth": 5},
               "normalized (paper, bottom rows)": {"init": "glorot_uniform", "activation": "tanh", "depth": 5}}
    return hw.Explorer(controls, _histogram_pass, _draw_histograms, presets=presets, figsize=figsize, keep=True,
                       title="R1 · Glorot & Bengio 2010: activations and gradients per layer at initialization")


# ---------------------------------------------------------------------------------------------- R3
def _dying_compute(width, depth, n_nets, bias_std, weights):
    rng = np.random.default_rng(SEED)
    # the log slider's top is 10**log10(5000) = 4999.999...: rounded, not truncated
    run = simulate_dead_nets(width, depth, int(round(n_nets)), rng, bias_std=bias_std, weights=weights)
    layers = np.arange(1, depth + 1)
    return {"run": run, "formula": dead_net_probability(width, layers), "bias_std": bias_std}


def _draw_dying(kept, r):
    """Draw on the kept axes: each update gives the kept artists new data (issue 16)."""
    run, formula = r["run"], r["formula"]
    layers = np.arange(1, run.depth + 1)
    ax_p, ax_d = kept.layout("one", lambda fig: _axes(fig, 2))
    lo, hi = np.clip(binomial_band(formula, run.n_nets), 0, 1)
    mc = f"Monte Carlo, {run.n_nets} nets"
    shown = [kept.get("band", lambda: ax_p.fill_between(layers, lo, hi, color="C1", alpha=0.25,
                                                        label="formula ± 4 binomial std"),
                      lambda a: a.set_data(layers, lo, hi)),
             kept.get("formula", lambda: ax_p.plot(layers, formula, "-", color="C1", label="formula 1 − (1 − 2^−N)^D")[0],
                      lambda a: a.set_data(layers, formula)),
             kept.get("mc", lambda: ax_p.plot(layers, run.dead, "o", color="C0", ms=4, label=mc)[0],
                      lambda a: (a.set_data(layers, run.dead), a.set_label(mc)))]
    if r["bias_std"] > 0:  # the last layer can come back to life; "some layer was all zeros" is the formula's event
        shown += [kept.get("collapsed", lambda: ax_p.plot(layers, run.collapsed, "x", color="C3", ms=5,
                                                          label="Monte Carlo: some layer all zeros")[0],
                           lambda a: a.set_data(layers, run.collapsed)),
                  kept.get("one layer", lambda: ax_p.axhline(2.0 ** -run.width, color="C2", ls="--",
                                                             label="2^−N (one layer's chance)"),
                           lambda a: a.set_ydata([2.0 ** -run.width] * 2))]
    ax_p.set(xlabel="depth D (hidden layers)", ylabel="P(last hidden layer all zeros)", ylim=(-0.02, 1.02),
             title=f"width N = {run.width}: dead at one input")
    ax_p.legend(handles=shown, fontsize="small", loc="lower right")
    # the first all-zero layer of each net: a geometric law with q = 2^-N (the same with or without biases)
    died_mc = np.diff(np.r_[0.0, run.collapsed])
    died_formula = np.diff(np.r_[0.0, formula])
    x = np.arange(0.5, run.depth + 1)
    kept.get("died", lambda: ax_d.stairs(died_mc, x, fill=True, color="C0", alpha=0.6, label="Monte Carlo"),
             lambda a: a.set_data(died_mc, x))
    kept.get("died formula", lambda: ax_d.stairs(died_formula, x, baseline=None, color="C1", lw=2,
                                                 label="formula (geometric, q = 2^−N)"),
             lambda a: a.set_data(died_formula, x))
    ax_d.set(xlabel="layer", ylabel="fraction of nets", title="the first all-zero layer of each net")
    kept.get("legend", lambda: ax_d.legend(fontsize="small"))
    p = formula[-1]
    sigma = np.sqrt(p * (1 - p) / run.n_nets)
    z = (run.fraction - p) / sigma if sigma > 0 else 0.0
    note = (f"<br>biases ≠ 0: all-zero layers came back to life {run.revived} times; nets with some all-zero "
            f"layer: <b>{run.collapsed[-1]:.3f}</b> (the formula's event); 2^−N = {2.0 ** -run.width:.3f}"
            if r["bias_std"] > 0 else "")
    # the formula holds for zero biases only: with biases a z-score against it would mean nothing
    versus = f"difference {z:+.1f} binomial std" if r["bias_std"] == 0 else "(the formula assumes zero biases)"
    return (f"N = {run.width}, D = {run.depth}: Monte Carlo <b>{run.fraction:.3f}</b> ± {run.stderr:.3f} "
            f"&nbsp; formula <b>{p:.3f}</b> &nbsp; {versus}{note}")


def dying_nets_explorer(figsize=(12, 4.2)):
    """R3: the fraction of random ReLU nets (zero biases) dead at one input, against 1 - (1 - 2^-N)^D."""
    controls = {"width": hw.slider("width N (units)", 2, 1, 10),
                "depth": hw.slider("depth D (hidden layers)", 10, 1, 50),
                "n_nets": hw.log_slider("random nets", 2000, 100, 5000, steps_per_decade=4),
                "bias_std": hw.float_slider("bias std (0 = paper)", 0.0, 0.0, 1.0, step=0.05),
                "weights": hw.dropdown("weights", [("normal N(0, 2/n)", "normal"),
                                                   ("uniform, same variance", "uniform")], value="normal")}
    presets = {"N = 2, D = 10": {"width": 2, "depth": 10, "bias_std": 0.0},
               "N = 6, D = 50": {"width": 6, "depth": 50, "bias_std": 0.0},
               "with biases": {"width": 3, "depth": 30, "bias_std": 0.5}}
    return hw.Explorer(controls, _dying_compute, _draw_dying, presets=presets, figsize=figsize, keep=True,
                       title="R3 · Lu et al. 2019: how often is a random deep, narrow ReLU net dead at an input?")


BENCH = {"glorot_bengio_explorer": {"init": "standard_uniform", "width": 800, "depth": 10, "activation": "tanh"},
         "dying_nets_explorer": {"width": 10, "depth": 50, "n_nets": 5000, "bias_std": 1.0, "weights": "normal"}}
