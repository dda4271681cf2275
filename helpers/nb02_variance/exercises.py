"""Exercise checkers of notebook 02: the expected property, the known slips, their hints.

    hp.ex02.check_layer_variance(predicted_var_z)   # Var(z) = fan_in Var(W) E[a^2]
    hp.ex02.check_spectral_radius(spectral_radius)  # max |eigenvalue|
    hp.ex02.check_relu_std(weight_std)              # the std that keeps a ReLU net of width 250 steady
    hp.ex02.check_steps_to_grow(steps)              # steps until rho = 1.05 multiplies a norm by 1000

Function answers are tried on the checker's own cases (properties, not one seed's arrays).
"""
from __future__ import annotations

import numpy as np

from ..ui.feedback import NotYet, call, checker, expect, known_slip, number, same

__all__ = ["check_layer_variance", "check_spectral_radius", "check_relu_std", "check_steps_to_grow"]

RELU_WIDTH = 250
RELU_DEPTH = 50
GROWTH_RADIUS = 1.05
GROWTH_FACTOR = 1000.0


def _variance_cases():
    rng = np.random.default_rng(2)
    logistic = 1 / (1 + np.exp(-3 * rng.standard_normal((400, 60))))  # mean near 0.5, like a sigmoid layer
    centred = np.tanh(2 * rng.standard_normal((300, 80)))             # mean near 0
    shifted = 0.3 * rng.standard_normal((500, 40)) + 1.0              # mean 1: the mean dominates
    return [(logistic, 1.0), (centred, 0.5), (shifted, 0.1)]


_VARIANCE_SLIPS = [
    (lambda a, s: a.shape[1] * s ** 2 * a.var(), "you used Var(a); the sum of fan_in terms a_i W_ij has variance "
     "fan_in Var(W) E[a^2], and E[a^2] = Var(a) + mean(a)^2. The mean matters: for a logistic layer it is about "
     "0.5 (Claim C05)"),
    (lambda a, s: a.shape[1] * s * np.mean(a ** 2), "you used weight_std where the formula needs the variance "
     "weight_std**2"),
    (lambda a, s: s ** 2 * np.mean(a ** 2), "you left out fan_in: each z_j adds up fan_in = a.shape[1] terms"),
    (lambda a, s: a.shape[0] * s ** 2 * np.mean(a ** 2), "you used a.shape[0], the batch size; fan_in is a.shape[1]"),
    (lambda a, s: a.shape[1] * s ** 2 * np.mean(a) ** 2, "you used mean(a)^2; the formula needs the mean of a^2, "
     "E[a^2]"),
    (lambda a, s: a.shape[1] * s ** 2 * np.mean(np.abs(a)), "you used mean(|a|); the formula needs the mean of a^2"),
]


@checker
def check_layer_variance(predicted_var_z):
    """Check predicted_var_z(a, weight_std) = fan_in * weight_std**2 * mean(a**2), fan_in = a.shape[1].

    a (batch, fan_in) are a layer's inputs; the weights are N(0, weight_std^2), independent of a.
    """
    for a, std in _variance_cases():
        got = number(call(predicted_var_z, a.copy(), std, name="predicted_var_z"), "predicted_var_z's result")
        right = a.shape[1] * std ** 2 * np.mean(a ** 2)
        expect(got, right, "predicted_var_z", _VARIANCE_SLIPS, case=(a, std), atol=1e-12,
               otherwise=f"for a of shape {a.shape} and weight_std = {std} you return {got:.4g}; "
                         f"fan_in * weight_std**2 * E[a^2] is {right:.4g}")
    return "Var(z) = fan_in * Var(W) * E[a^2] on every test case, means included."


def _radius_cases():
    theta = 0.7
    rotation = 1.2 * np.array([[np.cos(theta), -np.sin(theta)], [np.sin(theta), np.cos(theta)]])
    negative = np.diag([-2.0, 1.5, 0.5])                 # the largest |eigenvalue| is a negative one
    non_normal = np.array([[0.5, 10.0], [0.0, 0.5]])     # rho = 0.5, but the largest singular value is ~10
    random = np.random.default_rng(3).standard_normal((30, 30)) / np.sqrt(30)
    return [("a scaled rotation (complex eigenvalues)", rotation), ("minus that rotation", -rotation),
            ("diag(-2, 1.5, 0.5)", negative),
            ("[[0.5, 10], [0, 0.5]]", non_normal), ("a random 30 x 30 matrix", random)]


_RADIUS_SLIPS = [
    (lambda W: np.max(np.linalg.eigvals(W).real), "you took the largest real part; eigenvalues can be negative or "
     "complex, so take the largest modulus np.abs(...)"),
    (lambda W: np.max(np.abs(np.linalg.eigvals(W).real)), "you took |real part|; a complex eigenvalue's modulus is "
     "sqrt(re^2 + im^2): use np.abs on the complex eigenvalues"),
    (lambda W: np.linalg.norm(W, 2), "that is the largest singular value ||W||_2; it bounds rho from above and equals "
     "it only for normal (e.g. symmetric) matrices. The long-run growth per step is rho = max |eigenvalue|"),
    (lambda W: np.max(np.abs(np.linalg.eigvalsh(W))), "np.linalg.eigvalsh assumes a symmetric matrix; use "
     "np.linalg.eigvals for a general W"),
    (lambda W: np.max(np.abs(W)), "that is the largest entry of W, not of its eigenvalues"),
    (lambda W: np.linalg.norm(W), "that is the Frobenius norm of W, not an eigenvalue"),
]


@checker
def check_spectral_radius(spectral_radius):
    """Check spectral_radius(W) = max |eigenvalue of W| on complex, negative and non-normal cases.

    A slip is named when it explains the answer on every case that missed.
    """
    misses = []
    for label, W in _radius_cases():
        got = number(call(spectral_radius, W.copy(), name="spectral_radius"), f"spectral_radius of {label}")
        if not same(got, np.max(np.abs(np.linalg.eigvals(W))), atol=1e-12):
            misses.append(((W,), got, label))
    if misses:
        (W,), got, label = misses[0]
        hint = known_slip([(case, g) for case, g, _ in misses], _RADIUS_SLIPS, atol=1e-12)
        raise NotYet(f"for {label}: {hint}" if hint else
                     f"for {label} you return {got:.4g}; max |eigenvalue| is {np.max(np.abs(np.linalg.eigvals(W))):.4g}")
    return "rho(W) = max |eigenvalue| on rotations, negative and non-normal matrices."


@checker
def check_relu_std(weight_std):
    """Check the std of N(0, std^2) weights that keeps a ReLU net of width 250 steady: sqrt(2 / 250)."""
    got = number(weight_std, "weight_std", positive=True)
    n, L = RELU_WIDTH, RELU_DEPTH
    gain = np.sqrt(n * got ** 2 / 2)  # ReLU keeps E[a^2] = Var(z) / 2
    if abs(gain - 1) < 0.02:
        return (f"sqrt(2 / fan_in) = {np.sqrt(2 / n):.4g}: fan_in * std^2 * 1/2 = 1, so each layer keeps the std "
                "(He initialization, notebook 03).")
    over = f"each layer multiplies the std by sqrt({n} * std^2 / 2) = {gain:.3g}, so over {L} layers by {gain ** L:.3g}"
    slips = [(2 / n, f"{got:.4g} is 2 / fan_in, the variance; the question asks for the std, its square root"),
             (np.sqrt(1 / n), "sqrt(1 / fan_in) keeps z's variance for a linear or tanh layer, but ReLU sets half "
                              f"of z to 0 and so halves E[a^2]: {over}. Double the variance"),
             (1 / n, f"1 / fan_in = {got:.4g} is far too small: {over}"),
             (np.sqrt(2 / L), "the variance depends on fan_in (the width), not on the depth")]
    raise NotYet(known_slip([((), got)], slips, atol=1e-12)
                 or f"too {'large' if gain > 1 else 'small'}: {over}. Find std with fan_in * std^2 * 1/2 = 1")


@checker
def check_steps_to_grow(steps):
    """Check the steps after which rho = 1.05 multiplies a norm by 1000: ln(1000) / ln(1.05) ~ 141.6.

    Right: the exact real t (to 1e-4) or any t up to the first whole step that gets there, 142;
    141 is not, since 1.05^141 ~ 972 < 1000.
    """
    got = number(steps, "steps")
    exact = np.log(GROWTH_FACTOR) / np.log(GROWTH_RADIUS)
    first = int(np.ceil(exact))
    if exact * (1 - 1e-4) <= got <= first:
        return (f"ln(1000) / ln(1.05) = {exact:.1f} steps: the norm passes 1000 during step {first}, "
                f"1.05^{first} = {GROWTH_RADIUS ** first:.0f}.")
    grown = np.float64(GROWTH_RADIUS) ** got
    slips = [(GROWTH_FACTOR / (GROWTH_RADIUS - 1), "growth is multiplicative: after t steps the norm is 1.05^t "
              "times larger; solve 1.05^t = 1000 with logarithms"),
             (GROWTH_FACTOR * (GROWTH_RADIUS - 1), "growth is multiplicative: after t steps the norm is 1.05^t "
              "times larger; solve 1.05^t = 1000 with logarithms"),
             (np.log10(GROWTH_FACTOR) / np.log(GROWTH_RADIUS), "you mixed a base-10 and a natural logarithm; use "
              "the same base above and below"),
             (np.log(GROWTH_FACTOR) / np.log10(GROWTH_RADIUS), "you mixed a base-10 and a natural logarithm; use "
              "the same base above and below"),
             (np.log(GROWTH_FACTOR) / GROWTH_RADIUS, "divide by ln(1.05), not by 1.05"),
             (first - 1, f"1.05^{first - 1} = {GROWTH_RADIUS ** (first - 1):.0f} is still below 1000: round up, "
                         f"not down")]
    raise NotYet(known_slip([((), got)], slips, rtol=1e-3) or f"{got:g} steps multiply the norm by 1.05^{got:g} = "
                 f"{grown:.4g}, not 1000" + ("; fewer steps already get there" if got > first else ""))
