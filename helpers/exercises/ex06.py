"""Exercise checkers of notebook 06: each says what is wrong (shape, dtype, value)."""
