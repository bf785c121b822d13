"""What the project's commands (``python -m model``, ``python -m experiments``) share."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import NoReturn

CLOSED_PIPE = 141
"""Exit code when the reader of a command's output stopped early (``| head``): 128 +
SIGPIPE, as a shell reports it."""


def run(main: Callable[[], int]) -> NoReturn:
    """Run a command's ``main`` and exit with its code. A reader that stops early
    (``python -m experiments params | head``) ends the command quietly, not with a
    traceback."""
    try:
        code = main()
        sys.stdout.flush()
    except BrokenPipeError:
        # Python's advice (the signal module's note on SIGPIPE): point stdout at devnull so
        # that the interpreter's last flush does not fail again
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = CLOSED_PIPE
    sys.exit(code)
