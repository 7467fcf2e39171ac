"""Run a parser on an untrusted file in a child process with a wall-clock, CPU and memory limit.

A hostile PDF can make pypdf or pyHanko loop or allocate without end; the caller must be able to reject
the file instead of waiting. The child comes from the 'forkserver' context: forking a parent that may run
threads (a progress bar, an OCR pool) is unsafe, and spawning a fresh interpreter per file is slow. As with
any non-fork multiprocessing, a script that calls this must guard its top level with
``if __name__ == "__main__":`` (multiprocessing runs the main module again in each child).

The CPU limit (RLIMIT_CPU) also ends a runaway child whose parent was killed and can no longer kill it.
"""
from __future__ import annotations

import logging
import multiprocessing
import multiprocessing.connection
import os
import resource
import time
from dataclasses import dataclass

from .. import errors

MIB = 1024 * 1024
# Imported once by the fork server, so that each child starts with them loaded: pypdf takes ~0.1 s, pyHanko's
# validation ~0.5 s. pyHanko was left out at first (most archived PDFs are unsigned), but then every signed
# file paid its import again in its own child: 0.73 s a signed file, a third of the demo's ingest (44 signed
# files of 175); preloaded, it is paid once per batch, when the fork server starts. Only the parsers' own
# modules are here: a child should carry what it needs and no more, under its memory limit. (multiprocessing
# also runs the caller's script again in every child unless it is a package's __main__; the `taskforce`
# script declares itself to be pipeline.__main__, see pipeline.cli.main, so its children skip that.)
PRELOAD = ["pypdf", "pipeline.pdf.reader", "pipeline.pdf.text", "pipeline.pdf.signatures", "pyhanko.pdf_utils.reader",
           "pyhanko.sign.validation", "pyhanko_certvalidator"]


def usable_cpus() -> int:
    """The CPUs this process may run on (its affinity mask, which a container or taskset narrows), at least 1:
    the default number of files an ingest prepares at once, and the most OCR runs at a time."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:   # not Linux
        return os.cpu_count() or 1


@dataclass(frozen=True)
class ChildLimits:
    seconds: float
    memory_bytes: int


def parser_context():
    """The 'forkserver' multiprocessing context whose server preloads the parsers (``PRELOAD``). Whoever starts
    the server first fixes what it loaded: any pool of this process that forks from it must come from here."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)
    return context


def run_limited(target, args: tuple, limits: ChildLimits, what: str, path=None, on_progress=None):
    """Return ``target(*args)`` computed in a child process. Raise :class:`errors.PdfRejected` when it
    takes longer than ``limits.seconds`` ("<what> took longer than N s"), dies, or runs out of memory;
    a TaskforceError raised by ``target`` is raised again here with its class and message. ``target``
    must be a module-level function and its arguments and result picklable. What the child passes to
    :func:`report_progress` reaches ``on_progress`` here, while it works."""
    context = parser_context()
    receiver, sender = context.Pipe(duplex=False)
    progress_receiver, progress_sender = context.Pipe(duplex=False) if on_progress else (None, None)
    child = context.Process(target=_child_main, args=(sender, target, args, limits, what, progress_sender),
                            daemon=True)
    child.start()
    sender.close()
    if progress_sender is not None:
        progress_sender.close()
    deadline = time.monotonic() + limits.seconds
    try:
        if not _wait_for(receiver, progress_receiver, on_progress, deadline):
            raise errors.PdfRejected(f"{what} took longer than {limits.seconds:g} s", path)
        try:
            outcome = receiver.recv()
        except EOFError:
            outcome = None
    finally:
        receiver.close()
        if progress_receiver is not None:
            progress_receiver.close()
        if child.is_alive():
            child.kill()
        child.join()
    if outcome is None:
        raise errors.PdfRejected(f"{what} stopped: the parser process ended with status {child.exitcode} "
                                 f"(limits: {limits.memory_bytes // MIB} MiB of memory, {limits.seconds:g} s)",
                                 path)
    kind, payload = outcome
    if kind == "ok":
        return payload
    if kind == "rejected":
        reason, params = payload if isinstance(payload, tuple) else (payload, {})
        raise errors.PdfRejected(reason, path, **params)
    error_class = getattr(errors, kind, errors.TaskforceError)
    message, params = payload
    raise error_class(message, **params)


def _wait_for(receiver, progress_receiver, on_progress, deadline: float) -> bool:
    """Wait until the child's answer is there (True) or the deadline passed (False), passing its progress
    reports on meanwhile."""
    if progress_receiver is None:
        return receiver.poll(max(0.0, deadline - time.monotonic()))
    watched = [receiver, progress_receiver]
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return receiver.poll(0)
        ready = multiprocessing.connection.wait(watched, left)
        if receiver in ready:
            return True
        if progress_receiver in ready:
            try:
                message = progress_receiver.recv()
            except EOFError:     # the child closed its end (it is ending): only the answer is left to wait for
                watched = [receiver]
                continue
            on_progress(message)


_progress_sender = None   # in a child started with on_progress: where report_progress sends


def report_progress(message) -> None:
    """In a child of :func:`run_limited`: pass ``message`` (picklable) to the parent's ``on_progress``; nothing
    when the parent asked for no progress."""
    if _progress_sender is not None:
        try:
            _progress_sender.send(message)
        except (BrokenPipeError, ConnectionResetError, OSError):
            pass


def _child_main(sender, target, args, limits: ChildLimits, what: str, progress_sender=None) -> None:
    global _progress_sender
    _progress_sender = progress_sender
    try:
        resource.setrlimit(resource.RLIMIT_AS, (limits.memory_bytes, limits.memory_bytes))
        cpu = int(limits.seconds) + 5
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))
        # parsers log every repaired defect of a damaged file; the caller reports what matters
        for name in ("pypdf", "pyhanko", "pyhanko_certvalidator"):
            logging.getLogger(name).setLevel(logging.CRITICAL)
        try:
            outcome = ("ok", target(*args))
        except errors.PdfRejected as err:      # its code and parameters: the caller renders the reason
            outcome = ("rejected", (err.args[0], err.params))
        except errors.TaskforceError as err:
            outcome = (type(err).__name__, (err.args[0], err.params))
        except MemoryError:
            outcome = ("rejected", f"{what} needed more than {limits.memory_bytes // MIB} MiB of memory")
        except Exception as err:  # a parser bug hit by a damaged file: reject the file, keep the batch going
            outcome = ("rejected", f"{what} failed: {type(err).__name__}: {err}")
        try:
            sender.send(outcome)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the parent gave up (time limit) or was killed: nobody is waiting for the answer
    finally:
        sender.close()
