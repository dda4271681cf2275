"""Notebook 07, residual connections, layer norm and real digits: the residual stream's growth at
initialization (C25), batch norm's dependence on the batch against layer norm (C26), and the series'
recipes replayed on scikit-learn's 8x8 digits (C27).

In a notebook: `from helpers import nb07_residual as nb`, then nb.<name>; its checkers are hp.ex07.
"""
from .experiments import (BATCH, BLOCKS, CHANCE_LOSS, DIGIT_BATCH, DIGIT_DEPTH, DIGIT_STEPS, DIGIT_WIDTH, WIDTH,
                          BatchDependence, DigitRuns, Growth, batch_dependence, residual_growth, residual_sizes, rms,
                          run_digits, stream_sizes, stream_theory)
from .figures import plot_accuracy_spread, plot_batch_dependence, plot_growth, plot_loss_bands
from .explorer import BENCH, alpha_value, residual_compute, residual_explorer
from . import exercises
