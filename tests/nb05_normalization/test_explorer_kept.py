"""Notebook 05's explorer after issue 16: the training loop's slope reuse changes no number, and the kept figure
moves its 'diverged' mark with the run (a kept annotation once stayed where the first diverged run put it)."""
import numpy as np

import helpers as hp
from helpers.nb05_normalization import normalization_run


def test_normalization_run_is_one_plain_train():
    X, y = hp.make_moons(256, np.random.default_rng(0))
    for activation, norm, clip in (("selu", "batch", "norm"), ("tanh", None, "value"), ("relu", "batch", "none")):
        run = normalization_run(depth=6, activation=activation, batch_norm=norm == "batch", clip=clip,
                                threshold=0.5, lr=0.3, seed=3)
        params = hp.init_mlp([2] + [32] * 5 + [2], "he_normal", np.random.default_rng(4), norm=norm)
        h = hp.train(params, X, y, activation, norm=norm, lr=0.3, steps=80, batch_size=32, rng=np.random.default_rng(5),
                     clip_value=0.5 if clip == "value" else None, clip_norm=0.5 if clip == "norm" else None)[1]
        for k in ("loss", "accuracy", "grad_norm", "update_norm", "dead"):
            np.testing.assert_array_equal(getattr(run.history, k), getattr(h, k))


def test_the_diverged_mark_follows_the_run():
    first = dict(depth=30, init="standard_normal", clip="none", lr=0.3)  # diverges at one step
    second = dict(depth=20, lr=3.0, clip="none")  # and this at another
    kept = hp.nb05_normalization.normalization_explorer()
    fresh = hp.nb05_normalization.normalization_explorer()
    for ex, settings in ((kept, (first, second)), (fresh, (second,))):
        for values in settings:
            ex.presets["here"] = {**ex.defaults, **values}
            ex.apply("here")
    words = [[(t.get_text(), t.get_position()) for t in ex.fig.axes[2].texts if t.get_visible()] for ex in (kept, fresh)]
    assert words[0] == words[1] and any(" diverged" == w for w, _ in words[0])
    assert bytes(kept.image.value) == bytes(fresh.image.value)
