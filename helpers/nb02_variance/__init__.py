"""Notebook 02, variance blow-up: how the weight scale sets each layer's signal; the recurrent case.

In a notebook: `from helpers import nb02_variance as nb`, then nb.<name>; its checkers are hp.ex02.
"""
from .experiments import MATRIX_KINDS, RecurrentRun, growth_per_step, mean_offset_stats, recurrent_matrix, spectral_radius, unroll_recurrent
from .explorer import BENCH, variance_explorer
from . import exercises
