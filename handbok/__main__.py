"""`python -m handbok`: the same command as the `handbok` script."""

from .cli import run

run()
