"""`python -m handbok`: the same command as the `handbok` script."""

from .cli import main

main(prog_name="handbok")
