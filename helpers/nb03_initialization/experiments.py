"""Comparing initialization schemes (notebook 03): Glorot's two conditions, Table 11-1, the
activation x scheme grid, Keras' conventions and a small training race.

For a linear layer z = x @ W with independent, zero-mean entries:
    forward    Var(z)  = fan_in  Var(W) Var(x)      (keeps the variance iff fan_in  Var(W) = 1)
    backward   Var(dx) = fan_out Var(W) Var(dz)     (keeps the variance iff fan_out Var(W) = 1)
Both hold only when fan_in = fan_out; Glorot's compromise is Var(W) = 1 / fan_avg.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..core.checks import check_choice, check_memory, check_positive, check_rng, check_size
from ..core.initializers import MODES, SCHEMES, fan, scheme_variance, uniform_limit, variance_scaling
from ..core.network import backward_pass, forward, init_mlp
from ..core.stats import finite_mean_std, saturated_fraction
from ..core.training import train

# Table 11-1 of the notes: family -> (scale, mode, activations it suits)
TABLE_11_1 = {
    "Glorot": (1.0, "fan_avg", "none, tanh, logistic, softmax"),
    "He": (2.0, "fan_in", "ReLU and variants (ELU too)"),
    "LeCun": (1.0, "fan_in", "SELU"),
}
# which family Table 11-1 pairs with each activation of the series; Géron's 3rd edition puts the smooth
# ReLU variants with He too (Claim C23)
TABLE_PAIRING = {"sigmoid": "Glorot", "tanh": "Glorot", "relu": "He", "leaky_relu": "He", "elu": "He",
                 "selu": "LeCun", "gelu": "He", "swish": "He", "mish": "He"}
# Keras initializer name -> (scale, mode, distribution) of its VarianceScaling: helpers' SCHEMES, but Keras'
# normals are truncated at 2 std (glorot_uniform is the default of keras.layers.Dense)
_KERAS_NAMES = ("glorot_uniform", "glorot_normal", "he_normal", "he_uniform", "lecun_normal", "lecun_uniform")
KERAS_INITIALIZERS = {
    **{name: (SCHEMES[name][0], SCHEMES[name][1],
              "truncated_normal" if SCHEMES[name][2] == "untruncated_normal" else SCHEMES[name][2])
       for name in _KERAS_NAMES},
    "VarianceScaling(scale=2., mode='fan_avg', distribution='uniform')": (2.0, "fan_avg", "uniform"),
}


def robust_std(x) -> float:
    """std of x without overflow for huge finite values; inf if x holds inf or NaN (the pass diverged).
    The series' one statistic: hp.finite_mean_std."""
    return finite_mean_std(x)[1]


@dataclass
class FanRatios:
    """Variance ratios of one linear layer with Var(W) = 1 / n (n from `mode`), measured and predicted."""

    mode: str
    n: float
    var_w: float
    forward: float           # Var(z) / Var(x), measured
    backward: float          # Var(dx) / Var(dz), measured
    forward_theory: float    # fan_in Var(W)
    backward_theory: float   # fan_out Var(W)

    @property
    def worst(self) -> float:
        """How far the worse of the two conditions is from 1, as a factor >= 1."""
        return max(self.forward, 1 / self.forward, self.backward, 1 / self.backward)


def glorot_conditions(fan_in, fan_out, rng, batch: int = 2000, modes=MODES):
    """One FanRatios per mode for a fan_in -> fan_out linear layer, x and dz standard normal (batch rows)."""
    fan_in, fan_out, rng = check_size("fan_in", fan_in), check_size("fan_out", fan_out), check_rng(rng)
    batch = check_size("batch", batch)
    check_memory("this layer and batch", float(fan_in) * fan_out + 3.0 * batch * (fan_in + fan_out))
    X = rng.standard_normal((check_size("batch", batch), fan_in))
    dz = rng.standard_normal((batch, fan_out))
    rows = []
    for mode in modes:
        n = fan(fan_in, fan_out, mode)
        W = variance_scaling(fan_in, fan_out, 1.0, mode, "untruncated_normal", rng=rng)
        params = [(W, np.zeros(fan_out))]
        z, cache = forward(params, X, "linear")
        dX = backward_pass(params, cache, dz).dX
        rows.append(FanRatios(mode, n, 1 / n, z.var() / X.var(), dX.var() / dz.var(), fan_in / n, fan_out / n))
    return rows


def funnel_profile(sizes, mode, rng, batch: int = 1000):
    """Per-layer std of z (forward) and of dLoss/dx (backward) through linear layers with Var(W) = 1/n.

    sizes: [n0, n1, ..., nL]. Returns (forward std of z_1..z_L, backward std of the gradient entering
    layers 1..L from above, i.e. dz_l; dz_L is standard normal).
    """
    if isinstance(sizes, (str, bytes, dict)) or not np.iterable(sizes) or len(sizes) < 2:
        raise ValueError(f"sizes must list at least two layer sizes [n0, n1, ...], got {sizes!r}")
    sizes = [check_size("size", s) for s in sizes]
    rng, batch = check_rng(rng), check_size("batch", batch)
    check_memory("these layers and batch", sum(m * n for m, n in zip(sizes[:-1], sizes[1:])) + 4.0 * batch * sum(sizes))
    params = [(variance_scaling(m, n, 1.0, mode, "untruncated_normal", rng=rng), np.zeros(n))
              for m, n in zip(sizes[:-1], sizes[1:])]
    X = rng.standard_normal((batch, sizes[0]))
    out, cache = forward(params, X, "linear")
    back = backward_pass(params, cache, rng.standard_normal(out.shape))
    fwd = np.array([X.std()] + [z.std() for z in cache.zs])
    bwd = np.array([back.dX.std()] + [dz.std() for dz in back.dzs])
    return fwd, bwd  # index 0: the input x and the gradient dX reaching it


def init_table(fan_in, fan_out):
    """Table 11-1 for one layer: rows (family, activations, scale, mode, n, variance, std, uniform limit r)."""
    rows = []
    for family, (scale, mode, acts) in TABLE_11_1.items():
        n = fan(fan_in, fan_out, mode)
        var = scheme_variance(fan_in, fan_out, f"{family.lower()}_normal")
        assert np.isclose(var, scale / n)  # the registry and the table agree
        rows.append((family, acts, scale, mode, n, var, np.sqrt(var), uniform_limit(var)))
    return rows


@dataclass(frozen=True)
class NoteSlips:
    """The correct Glorot std, r and fan_avg beside the notes' versions (see note_slips)."""

    sigma: float
    sigma_note_002: float
    r_note_002: float
    fan_avg: float
    fan_avg_note_003: float


def note_slips(fan_in, fan_out) -> NoteSlips:
    """The Glorot std as written in note 002 and fan_avg as written in note 003, beside the correct values.

    note 002: sigma = sqrt(2 / (n_in - n_out)): NaN when n_in <= n_out (no real value).
    note 003: fan_avg = fan_in + fan_out / 2 (operator precedence), instead of (fan_in + fan_out) / 2.
    """
    fan_in, fan_out = check_size("fan_in", fan_in), check_size("fan_out", fan_out)
    d = fan_in - fan_out
    return NoteSlips(sigma=np.sqrt(2 / (fan_in + fan_out)), sigma_note_002=np.sqrt(2 / d) if d > 0 else float("nan"),
                     r_note_002=np.sqrt(6 / (fan_in + fan_out)),  # note 002 writes r correctly
                     fan_avg=(fan_in + fan_out) / 2, fan_avg_note_003=fan_in + fan_out / 2)


def keras_initializer(name, fan_in, fan_out, rng):
    """Weights (fan_in, fan_out) drawn as the Keras initializer `name` draws them (see KERAS_INITIALIZERS)."""
    check_choice("Keras initializer", name, KERAS_INITIALIZERS)
    scale, mode, distribution = KERAS_INITIALIZERS[name]
    return variance_scaling(fan_in, fan_out, scale, mode, distribution, rng=rng)


def std_profile(params, X, activation, dout, saturation: bool = False):
    """(a_std, grad_std): per-layer std of the activations a_l and of dLoss/dz_l, l = 1..L (inf if diverged).

    The two columns of hp.layer_stats that the grid and the explorer plot, without the other statistics.
    With saturation=True also the share of saturated hidden activations (hp.saturated_fraction; NaN
    for activations that do not saturate), averaged over the hidden layers.
    """
    out, cache = forward(params, X, activation)
    return pass_std_profile(cache, backward_pass(params, cache, dout), saturation)


def pass_std_profile(cache, back, saturation: bool = False):
    """std_profile of a forward `cache` and its backward pass `back` already made (the explorer keeps the
    activations for its histograms)."""
    result = (np.array([finite_mean_std(a)[1] for a in cache.acts]),
              np.array([finite_mean_std(dz)[1] for dz in back.dzs]))
    if not saturation:
        return result
    sat = float(np.mean([saturated_fraction(a, cache.activation) for a in cache.acts[:-1]]))
    return (*result, sat)


@dataclass
class StdGrid:
    """a_std[i, j, l] and grad_std[i, j, l]: activation i, scheme j, layer l + 1 of the grid's net."""

    activations: list
    schemes: list
    a_std: np.ndarray
    grad_std: np.ndarray
    saturated: np.ndarray  # (A, S): share of saturated hidden activations (NaN if f does not saturate)

    def change(self):
        """End-to-end factors (forward, backward): a_std of the last hidden layer over the first's,
        and the gradient std at layer 1 over that at the output layer. Shapes (A, S)."""
        with np.errstate(all="ignore"):
            return self.a_std[..., -2] / self.a_std[..., 0], self.grad_std[..., 0] / self.grad_std[..., -1]

    def verdicts(self, band: float = 10.0, saturated: float = 0.5):
        """(A, S) array of "stable", "vanishes", "explodes" or "saturated" (see grid_verdict)."""
        fwd, bwd = self.change()
        return np.array([[grid_verdict(fwd[i, j], bwd[i, j], self.saturated[i, j], band, saturated)
                          for j in range(len(self.schemes))] for i in range(len(self.activations))])


def grid_verdict(forward_change, backward_change, saturated=float("nan"), band: float = 10.0,
                 saturated_limit: float = 0.5) -> str:
    """"saturated" if more than saturated_limit of the hidden activations sit at an asymptote; else
    "stable" if both end-to-end factors lie within [1 / band, band]; else "explodes" or "vanishes"
    (whichever direction is further out of the band; not finite counts as exploding)."""
    if not check_positive("band", band) >= 1:
        raise ValueError(f"band must be a factor >= 1 (the stable range is [1 / band, band]), got {band!r}")
    if np.isfinite(saturated) and saturated > saturated_limit:
        return "saturated"
    logs = [np.log(x) if np.isfinite(x) and x > 0 else (np.inf if not np.isfinite(x) else -np.inf)
            for x in (forward_change, backward_change)]
    worst = max(logs, key=abs)
    if abs(worst) <= np.log(band):
        return "stable"
    return "explodes" if worst > 0 else "vanishes"


def std_grid(activations, schemes, depth: int = 20, width: int = 128, batch: int = 128, *, seed: int):
    """Per-layer std of activations and gradients at initialization for every (activation, scheme).

    Every cell uses the same input X (standard normal), the same dout, and weights drawn from
    np.random.default_rng(seed), so two schemes with the same variance give the same numbers (a seed, not
    an rng, because every cell replays the same stream; the caller chooses it).
    """
    depth, width = check_size("depth", depth), check_size("width", width)
    if depth < 2:
        raise ValueError(f"depth must be at least 2 (a hidden layer and the output), got {depth}")
    batch = check_size("batch", batch)
    check_memory("a net of this depth, width and batch", float(depth) * width * (width + 6.0 * batch))
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed must be a whole number >= 0, got {seed!r}")
    data = np.random.default_rng(seed + 1)
    X = data.standard_normal((batch, width))
    dout = data.standard_normal((batch, width))
    shape = (len(activations), len(schemes), depth)
    a_std, grad_std, sat = np.empty(shape), np.empty(shape), np.empty(shape[:2])
    for i, act in enumerate(activations):
        for j, scheme in enumerate(schemes):
            params = init_mlp([width] * (depth + 1), scheme, np.random.default_rng(seed))
            a_std[i, j], grad_std[i, j], sat[i, j] = std_profile(params, X, act, dout, saturation=True)
    return StdGrid(list(activations), list(schemes), a_std, grad_std, sat)


def init_race(X, y, inits: dict, sizes, activation="relu", *, lr=0.2, steps=400, seeds=(0, 1, 2),
              progress=None):
    """Train the same net (layer sizes `sizes`) from each init, full batch, over several seeds.

    inits: {label: scheme name or weight std (as init_mlp takes)}. Returns {label: [History per seed]}.
    progress(label), if given, is called before each init's runs.
    """
    if not isinstance(inits, dict) or not inits:
        raise TypeError(f"inits must be a dict {{label: scheme name or weight std}}, got {type(inits).__name__}")
    race = {}
    for label, init in inits.items():
        if progress is not None:
            progress(label)
        race[label] = [train(init_mlp(sizes, init, np.random.default_rng(s)), X, y, activation,
                             lr=lr, steps=steps)[1] for s in seeds]
    return race
