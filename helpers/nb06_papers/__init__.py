"""Notebook 06, papers reproduced: Glorot & Bengio 2010, He et al. 2015, Lu et al. 2019.

In a notebook: `from helpers import nb06_papers as nb`, then nb.<name>; its checkers are hp.ex06.
"""
from .experiments import DeadNets, WEIGHT_DISTRIBUTIONS, binomial_band, dead_net_grid, dead_net_probability, simulate_dead_nets
from .explorer import BENCH, dying_nets_explorer, glorot_bengio_explorer
from . import exercises
