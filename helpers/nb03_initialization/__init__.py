"""Notebook 03, Glorot, He and LeCun: Glorot's conditions, Table 11-1, the activation x scheme grid, Keras.

In a notebook: `from helpers import nb03_initialization as nb`, then nb.<name>; its checkers are hp.ex03.
"""
from .experiments import FanRatios, KERAS_INITIALIZERS, StdGrid, TABLE_11_1, TABLE_PAIRING, funnel_profile, glorot_conditions, grid_verdict, init_race, init_table, keras_initializer, note_slips, robust_std, std_grid, std_profile
from .figures import plot_race, plot_std_grid
from .explorer import BENCH, initialization_explorer
from . import exercises
from .practice import CheatRow, SymmetryRun, cheat_sheet, constant_mlp, initial_loss_run, profile, symmetry_run, torch_gain, torch_linear_default, unit_spread
