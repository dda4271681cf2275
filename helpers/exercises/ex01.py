"""Exercise checkers of notebook 01: each says what is wrong (shape, dtype, value)."""
