"""Notebook 05, SELU, batch normalization and gradient clipping.

In a notebook: `from helpers import nb05_normalization as nb`, then nb.<name>; its checkers are hp.ex05.
"""
from .experiments import ScaleCheck, Signal, deep_signal, scale_check
from .training_run import NormalizationRun, normalization_run
from .explorer import BENCH, normalization_explorer
from . import exercises
