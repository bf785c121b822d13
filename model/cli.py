"""What the project's commands (``python -m model``, ``python -m experiments``) share."""

from __future__ import annotations

import argparse
import os
import sys
import threading
import time
from collections.abc import Callable
from typing import Any, NoReturn

CLOSED_PIPE = 141
"""Exit code when the reader of a command's output stopped early (``| head``): 128 +
SIGPIPE, as a shell reports it."""


EXIT_GRACE = 10.0
"""Seconds the interpreter's shutdown may take after a code in ``run``'s ``bounded_exit``
before the process ends without it."""


def run(main: Callable[[], int], bounded_exit: tuple[int, ...] = ()) -> NoReturn:
    """Run a command's ``main`` and exit with its code. A reader that stops early
    (``python -m experiments params | head``) ends the command quietly, not with a
    traceback. After a code in ``bounded_exit`` the interpreter's shutdown (which joins
    threads and child processes) gets ``EXIT_GRACE`` seconds, then the process ends
    without it (``os._exit``): for a command whose ``main`` has already made everything
    safe and must not hang on what it was stopping (an interrupted sweep's pool)."""
    try:
        code = main()
        sys.stdout.flush()
    except BrokenPipeError:
        # Python's advice (the signal module's note on SIGPIPE): point stdout at devnull so
        # that the interpreter's last flush does not fail again
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = CLOSED_PIPE
    if code in bounded_exit:
        def end_anyway() -> None:
            time.sleep(EXIT_GRACE)
            sys.stderr.flush()
            os._exit(code)

        threading.Thread(target=end_anyway, name="bounded-exit", daemon=True).start()
    sys.exit(code)


class OneLineParser(argparse.ArgumentParser):
    """An argument parser whose refusals are one line, as the commands' other errors are:
    ``error: <what argparse found wrong> (see <command> --help)``, exit 2 (argparse's own
    prints the whole usage first). Its subcommands' parsers are of this class too (an
    option no parser knows is reported by the top one, so it names the top's --help)."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"error: {message} (see {self.prog} --help)\n")


def _option(convert: Callable[[str], Any], allowed: str) -> Callable[[str], Any]:
    """An argument's ``type=``: ``convert`` the text, or refuse it saying what is allowed."""
    def parse(text: str) -> Any:
        try:
            return convert(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not allowed; allowed: "
                                             f"{allowed}") from None
    return parse


whole_number = _option(int, "a whole number")
"""An option's whole number, or a refusal saying so."""
number = _option(float, "a number")
"""An option's number, or a refusal saying so."""
