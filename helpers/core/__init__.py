"""The maths every notebook shares: activations, initializers, the net (forward/backward, optionally normalized or
residual), losses, data, one training loop, one per-layer statistics, gradient checks. Imports nothing from above."""
