"""Notebook 08, the edge of chaos and dynamical isometry: mean-field maps, Jacobian spectra, trainability.

In a notebook: `from helpers import nb08_edge_of_chaos as nb`, then nb.<name>; its checkers are hp.ex08.
"""
from .meanfield import (MeanField, chi_1, correlation_map, critical_point_for_q, critical_sw2, gauss_hermite,
                        gaussian_mean, length_map, mean_field, q_star)
from .iterates import c_iterates, q_iterates
from .isometry import (Propagation, Spectrum, WEIGHTS, input_pair, jacobian, jacobian_singular_values, propagate,
                       propagation, random_net, spectrum_by_depth, start_length, theory_curves)
from .trainability import DepthRace, INITS, TrainabilityGrid, linear_depth_race, tanh_net, trainability_grid
from .figures import (phase_background, plot_depth_race, plot_phase_diagram, plot_spectra, plot_spread_by_depth,
                      plot_theory_vs_sim, plot_trainability)
from .explorer import BENCH, edge_of_chaos_explorer
from . import exercises
