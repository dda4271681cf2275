"""Exercise checkers of notebook 03: each says what is wrong (shape, dtype, value)."""
