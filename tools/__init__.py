"""The project's tools, run from the repository's root as modules: `python -m tools.site`, `python -m tools.nav`,
`python -m tools.run_notebooks`, `python -m tools.lock` (see the Makefile)."""
