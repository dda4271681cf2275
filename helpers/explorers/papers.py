"""Explorers of one notebook (filled in by its issue)."""
__all__ = []
