"""Exercise checkers, one module per notebook: hp.ex01.check_..., hp.ex02.check_..., ..."""
from . import ex01, ex02, ex03, ex04, ex05, ex06  # noqa: F401
