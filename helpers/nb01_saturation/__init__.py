"""Notebook 01, sigmoid saturation: a chain of sigmoid layers and saturation at initialization.

In a notebook: `from helpers import nb01_saturation as nb`, then nb.<name>; its checkers are hp.ex01.
"""
from .experiments import ChainGradient, SaturationProfile, chain_gradient, saturation_edges, saturation_profile
from .explorer import BENCH, SATURATION_PRESETS, saturation_explorer
from . import exercises
