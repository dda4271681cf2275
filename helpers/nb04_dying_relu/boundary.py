"""What a trained two-input net predicts over the plane: a grid of class probabilities.

`decision_grid` is pure compute (arrays out); `plot_decision_boundary` draws its result on an
axis it is given. For 2-D toy data (hp.make_spirals, hp.make_moons) the boundary is
where the predicted class changes, i.e. where p(class 1) = 0.5 for two classes.
"""
from __future__ import annotations

import numbers
from dataclasses import dataclass

import numpy as np
from matplotlib.colors import ListedColormap

from ..core.checks import check_array, check_labels, check_nonnegative
from ..core.losses import softmax
from ..core.network import forward
from ..ui.plotting import PALETTE, styled


@dataclass
class DecisionGrid:
    """Predictions of a net on a regular grid of the plane.

    x1 (nx,), x2 (ny,): grid coordinates;  proba (ny, nx, classes): softmax of the net's output
    at (x1[j], x2[i]);  label (ny, nx): argmax class, -1 where the output is not finite.
    """

    x1: np.ndarray
    x2: np.ndarray
    proba: np.ndarray
    label: np.ndarray

    @property
    def extent(self) -> tuple:
        """(left, right, bottom, top), as imshow wants it."""
        return (self.x1[0], self.x1[-1], self.x2[0], self.x2[-1])

    @property
    def diverged(self) -> bool:
        """True if the net's output overflowed anywhere on the grid."""
        return bool(np.any(self.label < 0))


def decision_grid(params, X, activation="relu", *, resolution: int = 100, margin: float = 0.5,
                  bounds=None) -> DecisionGrid:
    """Class probabilities of `params` on a resolution x resolution grid over the data X (n, 2).

    The grid spans X's range widened by `margin` on every side, or `bounds` = (x1_min, x1_max,
    x2_min, x2_max) if given. One forward pass of resolution^2 points; nothing is changed.
    """
    X = check_array("X", X)
    if X.shape[1] != 2:
        raise ValueError(f"decision_grid draws the plane, so X must have 2 columns, got shape {X.shape}")
    if (isinstance(resolution, bool) or not isinstance(resolution, numbers.Integral)
            or not 2 <= resolution <= 2000):
        raise ValueError(f"resolution must be a whole number from 2 to 2000, got {resolution!r}")
    if bounds is None:
        margin = check_nonnegative("margin", margin)
        with np.errstate(all="ignore"):
            lo, hi = X.min(axis=0) - margin, X.max(axis=0) + margin
            span_ok = np.all(np.isfinite(hi - lo))
        if not span_ok:
            raise ValueError(f"margin {margin!r} is too large: the grid would not be finite")
    else:
        b = np.asarray(bounds, dtype=np.float64)
        if b.shape != (4,) or not np.all(np.isfinite(b)) or b[0] >= b[1] or b[2] >= b[3]:
            raise ValueError(f"bounds must be (x1_min, x1_max, x2_min, x2_max) with min < max, got {bounds!r}")
        lo, hi = b[[0, 2]], b[[1, 3]]
    x1 = np.linspace(lo[0], hi[0], resolution)
    x2 = np.linspace(lo[1], hi[1], resolution)
    grid = np.stack(np.meshgrid(x1, x2), axis=-1).reshape(-1, 2)  # row i of the image is x2[i]
    out, _ = forward(params, grid, activation)
    with np.errstate(all="ignore"):
        ok = np.all(np.isfinite(out), axis=1)
        proba = np.full(out.shape, np.nan)
        proba[ok] = softmax(out[ok])
    label = np.where(ok, np.argmax(np.where(ok[:, None], out, 0.0), axis=1), -1)
    shape = (resolution, resolution)
    return DecisionGrid(x1, x2, proba.reshape(*shape, -1), label.reshape(shape))


@styled
def plot_decision_boundary(ax, grid: DecisionGrid, X=None, y=None, *, cmap="RdBu", points: int = 300):
    """p(class 1) as a shaded image with the 0.5 contour (two classes), or the label map; data on top.

    At most `points` examples of X (coloured by y) are drawn, so large data sets stay readable.
    """
    if not isinstance(grid, DecisionGrid):
        raise TypeError(f"grid must be a DecisionGrid (as decision_grid returns), got {type(grid).__name__}")
    if X is not None:
        X = check_array("X", X)
        if X.shape[1] != 2:
            raise ValueError(f"X must have 2 columns (points of the plane), got shape {X.shape}")
        y = None if y is None else check_labels("y", y, len(X))
    if grid.proba.shape[-1] == 2:
        ax.imshow(grid.proba[..., 1], origin="lower", extent=grid.extent, cmap=cmap, vmin=0, vmax=1,
                  alpha=0.55, aspect="auto", interpolation="bilinear")
        p1 = np.nan_to_num(grid.proba[..., 1], nan=0.5)
        if p1.min() < 0.5 < p1.max():
            ax.contour(grid.x1, grid.x2, p1, levels=[0.5], colors="k", linewidths=1.2)
    else:
        ax.imshow(np.where(grid.label < 0, np.nan, grid.label), origin="lower", extent=grid.extent,
                  cmap=ListedColormap(PALETTE), alpha=0.4, aspect="auto", interpolation="nearest")
    if X is not None:
        X = X[:points]
        colour = {} if y is None else dict(c=y[:points], cmap=cmap, vmin=0, vmax=max(1, grid.proba.shape[-1] - 1))
        ax.scatter(X[:, 0], X[:, 1], s=12, edgecolors="k", linewidths=0.3, **colour)
    if grid.diverged:
        ax.text(0.5, 0.5, "diverged", transform=ax.transAxes, ha="center", va="center",
                fontsize=14, color="C3")
    ax.set(xlim=grid.extent[:2], ylim=grid.extent[2:], xlabel="$x_1$", ylabel="$x_2$")
    return ax
