"""Notebook 04, dying ReLUs: dead units during training, and the decision boundary.

In a notebook: `from helpers import nb04_dying_relu as nb`, then nb.<name>; its checkers are hp.ex04.
"""
from .experiments import CHANCE_LOSS, DYING_SIZES, DYING_STEPS, DeadTrace, SeedRuns, run_seeds, spiral_split, time_per_call, trace_dead_units, unit_activity
from .boundary import DecisionGrid, decision_grid, plot_decision_boundary
from .figures import plot_dead_raster, plot_first_layer_lines, plot_seed_spread, plot_unit_activity
from .explorer import BENCH, dying_relu_explorer
from . import exercises
from .capacity import NARROW_SIZES, Blowup, blowup_trace, live_width, narrow_runs
