"""Shared fixtures: a fixed seed and a non-interactive matplotlib backend for every test."""
import os

os.environ.setdefault("MPLBACKEND", "Agg")

import numpy as np
import pytest

SEED = 0


@pytest.fixture
def rng():
    return np.random.default_rng(SEED)
