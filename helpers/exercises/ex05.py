"""Exercise checkers of notebook 05: each says what is wrong (shape, dtype, value)."""
