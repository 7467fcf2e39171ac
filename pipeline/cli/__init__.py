"""The ``taskforce`` command line: a thin layer over the library. Each module registers one group of
commands, and is imported when one of its commands is used (``main.LAZY_COMMANDS``); :func:`load_all`
imports every one of them."""
import importlib.util
import sys

from .main import LAZY_COMMANDS, cli


def load_all():
    """Import every command module, so that ``cli.commands`` holds every command (for tools and tests)."""
    for name in sorted(LAZY_COMMANDS):
        cli.get_command(None, name)
    return cli


def main() -> None:
    # The `taskforce` script is `python -m pipeline` under another name; saying so in its module spec tells
    # multiprocessing that the parser children (pipeline.pdf.sandbox) need not run the script again, which
    # would import the whole command line into each of them (~0.4 s a file).
    script = sys.modules["__main__"]
    if getattr(script, "__spec__", None) is None:
        script.__spec__ = importlib.util.find_spec("pipeline.__main__")
    cli(prog_name="taskforce")
