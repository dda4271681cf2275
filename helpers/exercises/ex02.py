"""Exercise checkers of notebook 02: each says what is wrong (shape, dtype, value)."""
