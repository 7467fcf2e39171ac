"""The ``taskforce`` command line: a thin layer over the library. Each module registers one group."""
from .main import cli
from . import archive, demo, drafting, search, sessions, web  # noqa: F401  (each registers its commands)


def main() -> None:
    cli(prog_name="taskforce")
