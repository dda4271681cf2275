"""The maths every notebook shares: activations, initializers, the net (forward/backward, with optional
batch or layer normalization), losses, data, one training loop, one per-layer statistics, gradient checks.

Imports nothing from `helpers.ui` or from a notebook package.
"""
