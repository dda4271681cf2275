"""Exercise checkers of notebook 04: each says what is wrong (shape, dtype, value)."""
