"""Notebook 05's explorer trains with sgd_run, a loop specialised for speed (issue 16): it must record exactly what
the series' one training loop, hp.train, records on the same net and batches, bit for bit, in every mode the
explorer offers, diverging runs included."""
import numpy as np
import pytest

import helpers as hp
from helpers.core.stats import frobenius
from helpers.nb05_normalization import normalization_run
from helpers.nb05_normalization.training_run import _norms

RECORDS = ("loss", "accuracy", "grad_norm", "update_norm", "dead")
SETTINGS = [  # (depth, init, activation, batch norm, clip, threshold, lr): each mode, calm and diverging
    (10, "he_normal", "relu", False, "norm", 1.0, 0.5),  # the explorer's defaults
    (10, "he_normal", "relu", False, "none", 1.0, 0.5),  # diverges mid-run
    (30, "standard_normal", "relu", True, "none", 1.0, 0.3),  # notebook 05's side by side, with batch norm
    (30, "standard_normal", "relu", False, "none", 1.0, 0.3),  # and without: diverges at step 1
    (4, 1e300, "relu", False, "none", 1.0, 0.5),  # diverges at step 0
    (4, 1e150, "tanh", True, "norm", 1.0, 0.5),  # gradients whose squares overflow: frobenius's slow path
    (12, "lecun_normal", "selu", True, "norm", 0.05, 2.0),  # clipped at every step
    (8, "glorot_normal", "tanh", True, "value", 0.1, 1.0),
    (7, "he_normal", "selu", False, "norm", 3.0, 1.0),
    (2, "glorot_normal", "tanh", False, "value", 0.01, 10.0),  # no hidden layer but one
    (20, 0.05, "relu", True, "value", 0.5, 10.0),
]


def plain(depth, init, activation, batch_norm, clip, threshold, lr, seed):
    """The same run through hp.init_mlp and hp.train, as normalization_run draws it from `seed`."""
    X, y = hp.make_moons(256, np.random.default_rng(0))
    norm = "batch" if batch_norm else None
    params = hp.init_mlp([2] + [32] * (depth - 1) + [2], init, np.random.default_rng(seed + 1), norm=norm)
    return hp.train(params, X, y, activation, norm=norm, lr=lr, steps=80, batch_size=32,
                    rng=np.random.default_rng(seed + 2), clip_value=threshold if clip == "value" else None,
                    clip_norm=threshold if clip == "norm" else None)[1]


@pytest.mark.parametrize("setting", SETTINGS, ids=lambda s: "-".join(map(str, s)))
def test_sgd_run_records_what_train_records(setting):
    depth, init, activation, batch_norm, clip, threshold, lr = setting
    for seed in (0, 3):
        fast = normalization_run(depth=depth, init=init, activation=activation, batch_norm=batch_norm, clip=clip,
                                 threshold=threshold, lr=lr, seed=seed).history
        h = plain(*setting, seed)
        for k in RECORDS:
            np.testing.assert_array_equal(getattr(fast, k), getattr(h, k), err_msg=k)  # NaN matches NaN
        assert (fast.diverged, fast.diverged_at) == (h.diverged, h.diverged_at)
        assert (fast.state is None) == (h.state is None)
        for (m1, v1), (m2, v2) in zip(fast.state or [], h.state or []):
            np.testing.assert_array_equal(m1, m2), np.testing.assert_array_equal(v1, v2)
        assert fast.state is None or len(fast.state) == len(h.state) == depth - 1


def test_the_settings_cover_what_they_claim():
    runs = {s: normalization_run(*s[:5], threshold=s[5], lr=s[6], seed=0).history for s in SETTINGS}
    at = [h.diverged_at for h in runs.values()]
    assert 0 in at and 1 in at and any(a is not None and a > 1 for a in at)
    assert any(not h.diverged and h.state is not None for h in runs.values())
    assert any(np.nanmax(h.grad_norm) > 1e140 for h in runs.values())


def test_norms_are_frobenius_row_by_row():
    rng = np.random.default_rng(0)
    rows = [rng.standard_normal((5, 1024)) * np.exp(rng.uniform(-30, 30, (5, 1))), rng.standard_normal((1, 64))]
    rows[0][1] = 1e-200  # squares underflow
    rows[0][2, 3] = 1e200  # squares overflow
    rows[0][3, 0], rows[0][4, 7] = np.inf, np.nan
    expected = [frobenius(row) for r in rows for row in r]
    np.testing.assert_array_equal(_norms(rows), expected)
    assert np.isfinite(expected[1]) and expected[1] > 0 and np.isinf(expected[3]) and np.isinf(expected[4])
