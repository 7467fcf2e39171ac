"""The ``taskforce`` command line: a thin layer over the library. Each module registers one group."""
from .main import cli
from . import sessions  # noqa: F401  (registers its commands)
from . import archive  # noqa: F401


def main() -> None:
    cli(prog_name="taskforce")
