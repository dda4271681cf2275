import numpy as np
import pytest

import helpers as hp

FAN_IN, FAN_OUT = 600, 250
FAN_AVG = (FAN_IN + FAN_OUT) / 2
EXPECTED_VAR = {
    "standard_normal": 1.0,
    "standard_uniform": 1 / (3 * FAN_IN),
    "glorot_normal": 1 / FAN_AVG,
    "glorot_uniform": 1 / FAN_AVG,
    "he_normal": 2 / FAN_IN,
    "he_uniform": 2 / FAN_IN,
    "lecun_normal": 1 / FAN_IN,
    "lecun_uniform": 1 / FAN_IN,
}


@pytest.mark.parametrize("scheme", sorted(EXPECTED_VAR))
def test_variance_within_3_percent(scheme, rng):
    W = hp.init_weights(FAN_IN, FAN_OUT, scheme, rng)
    assert W.shape == (FAN_IN, FAN_OUT)
    # 150,000 draws: the sample variance's relative std is about sqrt(2/n) = 0.4%, so 3% is > 7 sigma
    assert abs(W.var() / EXPECTED_VAR[scheme] - 1) < 0.03
    assert abs(W.mean()) < 5 * np.sqrt(EXPECTED_VAR[scheme] / W.size)
    assert hp.scheme_variance(FAN_IN, FAN_OUT, scheme) == pytest.approx(EXPECTED_VAR[scheme])


@pytest.mark.parametrize("scheme", [s for s in EXPECTED_VAR if s.endswith("uniform")])
def test_uniform_stays_inside_limit(scheme, rng):
    W = hp.init_weights(FAN_IN, FAN_OUT, scheme, rng)
    r = hp.uniform_limit(EXPECTED_VAR[scheme])
    assert np.abs(W).max() <= r
    assert np.abs(W).max() > 0.99 * r  # and fills it


@pytest.mark.parametrize("scheme", [s for s in EXPECTED_VAR if s.endswith("normal")])
def test_normals_are_not_truncated(scheme, rng):
    W = hp.init_weights(FAN_IN, FAN_OUT, scheme, rng)
    # 150,000 normal draws put about 400 beyond 3 std; a truncated normal puts none
    assert np.sum(np.abs(W) > 3 * np.sqrt(EXPECTED_VAR[scheme])) > 200


@pytest.mark.parametrize("scheme", sorted(EXPECTED_VAR))
def test_same_seed_same_weights(scheme):
    a = hp.init_weights(30, 20, scheme, np.random.default_rng(7))
    b = hp.init_weights(30, 20, scheme, np.random.default_rng(7))
    c = hp.init_weights(30, 20, scheme, np.random.default_rng(8))
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)


def test_gain_scales_std(rng):
    W = hp.init_weights(FAN_IN, FAN_OUT, "he_normal", rng, gain=3.0)
    assert abs(W.var() / (9 * 2 / FAN_IN) - 1) < 0.03


@pytest.mark.parametrize("mode,n", [("fan_in", FAN_IN), ("fan_out", FAN_OUT), ("fan_avg", FAN_AVG)])
@pytest.mark.parametrize("distribution", ["truncated_normal", "untruncated_normal", "uniform"])
def test_variance_scaling_keras_semantics(mode, n, distribution, rng):
    W = hp.variance_scaling(FAN_IN, FAN_OUT, scale=2.0, mode=mode, distribution=distribution, rng=rng)
    assert abs(W.var() / (2.0 / n) - 1) < 0.03
    if distribution == "truncated_normal":
        # Keras: cut at 2 std of the underlying normal, whose std is sqrt(scale / n) / 0.8796...
        assert np.abs(W).max() <= 2 * np.sqrt(2.0 / n) / hp.TRUNCATED_STD
    if distribution == "uniform":
        assert np.abs(W).max() <= np.sqrt(3 * 2.0 / n)


def test_truncated_std_constant():
    # std of N(0, 1) truncated to [-2, 2]: sqrt(1 - 2 * 2 * phi(2) / (2 * Phi(2) - 1))
    from math import erf, exp, pi, sqrt
    phi2 = exp(-2) / sqrt(2 * pi)
    mass = erf(2 / sqrt(2))
    assert hp.TRUNCATED_STD == pytest.approx(sqrt(1 - 4 * phi2 / mass), rel=1e-12)


@pytest.mark.parametrize("call,match", [
    (lambda r: hp.init_weights(10, 10, "xavier", r), "unknown scheme 'xavier'.*glorot_normal"),
    (lambda r: hp.init_weights(0, 10, "he_normal", r), "fan_in must be a positive integer"),
    (lambda r: hp.init_weights(10, 2.5, "he_normal", r), "fan_out must be a positive integer"),
    (lambda r: hp.init_weights(10, 10, "he_normal", r, gain=-1), "gain"),
    (lambda r: hp.init_weights(10, 10, "he_normal", 0), "rng must be a numpy Generator"),
    (lambda r: hp.variance_scaling(10, 10, mode="fan_mean", rng=r), "unknown mode 'fan_mean'.*fan_avg"),
    (lambda r: hp.variance_scaling(10, 10, distribution="normal", rng=r), "unknown distribution 'normal'.*uniform"),
    (lambda r: hp.variance_scaling(10, 10, scale=0, rng=r), "scale must be"),
])
def test_bad_input(call, match, rng):
    with pytest.raises(ValueError, match=match):
        call(rng)


# ---------------------------------------------------------------------------------------------- orthogonal
def _keras_orthogonal(fan_in, fan_out, gain, rng):
    """keras.initializers.Orthogonal, transcribed to numpy (kernel (fan_in, fan_out) = (num_rows, num_cols))."""
    a = rng.normal(0.0, 1.0, size=(max(fan_in, fan_out), min(fan_in, fan_out)))
    q, r = np.linalg.qr(a)
    q *= np.sign(np.diag(r))
    return gain * (q.T if fan_in < fan_out else q)


def _torch_orthogonal(out_features, in_features, gain, rng):
    """torch.nn.init.orthogonal_ on a Linear weight (out, in), transcribed to numpy."""
    flat = rng.normal(0.0, 1.0, size=(out_features, in_features))
    if out_features < in_features:
        flat = flat.T
    q, r = np.linalg.qr(flat)
    q *= np.sign(np.diag(r))
    return gain * (q.T if out_features < in_features else q)


@pytest.mark.parametrize("fan_in,fan_out", [(7, 7), (9, 4), (4, 9), (1, 5), (5, 1)])
def test_orthogonal_has_orthonormal_columns_or_rows_times_gain(fan_in, fan_out, rng):
    W = hp.init_mlp([fan_in, fan_out], "orthogonal", rng=rng, gain=1.7)[0][0]
    assert W.shape == (fan_in, fan_out)
    if fan_in >= fan_out:  # columns orthonormal: |x @ W| <= gain |x|, and W.T W = gain^2 I
        np.testing.assert_allclose(W.T @ W, 1.7 ** 2 * np.eye(fan_out), atol=1e-12)
    if fan_in <= fan_out:  # rows orthonormal: |x @ W| = gain |x| for every x
        np.testing.assert_allclose(W @ W.T, 1.7 ** 2 * np.eye(fan_in), atol=1e-12)
    assert hp.scheme_variance(fan_in, fan_out, "orthogonal") == 1 / max(fan_in, fan_out)


@pytest.mark.parametrize("fan_in,fan_out", [(6, 6), (8, 3), (3, 8)])
def test_orthogonal_is_keras_draw_for_draw_and_torch_transposed(fan_in, fan_out):
    W = hp.init_weights(fan_in, fan_out, "orthogonal", np.random.default_rng(3), gain=2.0)
    np.testing.assert_allclose(W, _keras_orthogonal(fan_in, fan_out, 2.0, np.random.default_rng(3)), atol=1e-12)
    # PyTorch's weight is (out, in) = our W.T; it draws its normal in the other layout, so compare properties:
    # the same side (the smaller of fan_in, fan_out) is orthonormal
    Wt = _torch_orthogonal(fan_out, fan_in, 2.0, np.random.default_rng(3)).T
    for M in (W, Wt):
        small = min(fan_in, fan_out)
        gram = M.T @ M if fan_in >= fan_out else M @ M.T
        np.testing.assert_allclose(gram, 4.0 * np.eye(small), atol=1e-12)


def _first_entries(draw, n, reps, seed):
    rng = np.random.default_rng(seed)
    return np.array([draw(n, rng)[0, 0] for _ in range(reps)])


def test_orthogonal_is_haar_distributed():
    """For Haar-random orthogonal Q (n x n), Q_00 is symmetric about 0 and Q_00^2 ~ Beta(1/2, (n-1)/2);
    E[tr Q] = 0 and E[(tr Q)^2] = 1. QR without the sign correction fails these (checked below)."""
    from scipy import stats
    n, reps = 5, 4000
    q00 = _first_entries(lambda m, r: hp.init_weights(m, m, "orthogonal", r), n, reps, seed=1)
    positive = np.mean(q00 > 0)
    assert abs(positive - 0.5) < 4 * np.sqrt(0.25 / reps)  # binomial, 4 sigma
    assert stats.kstest(q00 ** 2, stats.beta(0.5, (n - 1) / 2).cdf).pvalue > 1e-3
    rng = np.random.default_rng(2)
    traces = np.array([np.trace(hp.init_weights(n, n, "orthogonal", rng)) for _ in range(reps)])
    assert abs(traces.mean()) < 4 * np.sqrt(1 / reps)        # Var(tr Q) = 1
    assert abs(np.mean(traces ** 2) - 1) < 4 * np.sqrt(2 / reps) * 1.5
    # the same statistics catch QR without the sign correction (so the test can fail)
    unsigned = _first_entries(lambda m, r: np.linalg.qr(r.normal(size=(m, m)))[0], n, reps, seed=1)
    assert abs(np.mean(unsigned > 0) - 0.5) > 0.25


def test_orthogonal_nonsquare_entries_have_haar_variance(rng):
    W = hp.init_weights(300, 120, "orthogonal", rng)
    assert abs(W.var() * 300 - 1) < 0.03   # columns of unit length in 300 dimensions: Var = 1 / 300
    assert abs(W.mean()) < 5 / np.sqrt(W.size * 300)


def test_orthogonal_bad_input(rng):
    with pytest.raises(ValueError, match="gain"):
        hp.init_weights(4, 4, "orthogonal", rng, gain=0)
    with pytest.raises(ValueError, match="fan_out must be a positive integer"):
        hp.init_weights(4, 0, "orthogonal", rng)
    with pytest.raises(ValueError, match="rng must be a numpy Generator"):
        hp.init_weights(4, 4, "orthogonal", None)
