"""The ``taskforce`` command line: a thin layer over the library. Each module registers one group."""
import importlib.util
import sys

from .main import cli
from . import archive, demo, drafting, search, sessions, web  # noqa: F401  (each registers its commands)


def main() -> None:
    # The `taskforce` script is `python -m pipeline` under another name; saying so in its module spec tells
    # multiprocessing that the parser children (pipeline.pdf.sandbox) need not run the script again, which
    # would import the whole command line into each of them (~0.4 s a file).
    script = sys.modules["__main__"]
    if getattr(script, "__spec__", None) is None:
        script.__spec__ = importlib.util.find_spec("pipeline.__main__")
    cli(prog_name="taskforce")
