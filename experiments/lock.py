"""An exclusive lock on a result folder for the length of a sweep.

``DIR/.lock`` is created exclusively (``O_EXCL``) and holds who made it: host, process id
and that process's start time, the command and when. A second command on the same folder
is refused at once, naming the holder. The lock is removed on any exit of the holder that
Python sees (normal, error, Ctrl-C, SIGTERM); after ``kill -9`` it stays, and the next
command on the same host finds that its holder is gone (no such process, or a different
process with the same id) and takes it over.
"""

from __future__ import annotations

import json
import os
import socket
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

LOCK = ".lock"
UNREADABLE_GRACE = 10.0
"""Seconds an empty or unreadable lock is respected (its holder may be writing it)."""


def command_line() -> str:
    """This process's command as one would type it, ``python -m experiments run ...``
    (the interpreter's own arguments, ``sys.orig_argv``, with its path shortened to
    ``python``; quoted as a shell would need)."""
    import shlex

    typed = getattr(sys, "orig_argv", None) or [sys.executable, *sys.argv]
    return shlex.join(["python", *typed[1:]])


class LockHeld(Exception):
    """The folder is in use by another command; the message names the holder."""


def _start_time(pid: int) -> str | None:
    """The process's start time in clock ticks since boot (Linux), or None if unknown."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return stat.rsplit(")", 1)[1].split()[19]  # field 22: starttime


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class DirectoryLock:
    """Hold ``root/.lock`` while a sweep writes into ``root``."""

    def __init__(self, root: Path) -> None:
        self.path = root / LOCK
        self.held = False

    def __enter__(self) -> DirectoryLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()

    def acquire(self) -> None:
        me = {"host": socket.gethostname(), "pid": os.getpid(),
              "pid_started": _start_time(os.getpid()),
              "command": command_line(),
              "since": datetime.now(UTC).isoformat(timespec="seconds")}
        for _ in range(2):
            try:
                fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                holder = self.holder()
                if self._stale(holder):
                    self.path.unlink(missing_ok=True)
                    continue
                raise LockHeld(f"{self.path.parent} is in use by {describe(holder)}; wait "
                               "for it to finish, or choose another --out (if that command "
                               f"is surely gone, delete {self.path})") from None
            with os.fdopen(fd, "w") as f:
                json.dump(me, f)
            self.held = True
            return
        raise LockHeld(f"{self.path.parent}: could not take the lock {self.path}")

    def release(self) -> None:
        if self.held:
            self.path.unlink(missing_ok=True)
            self.held = False

    def holder(self) -> dict[str, Any] | None:
        try:
            data = json.loads(self.path.read_text())
        except (OSError, ValueError):
            return None
        return data if isinstance(data, dict) else None

    def _stale(self, holder: dict[str, Any] | None) -> bool:
        if holder is None:  # being written, or its writer died at once
            try:
                age = time.time() - self.path.stat().st_mtime
            except FileNotFoundError:
                return True
            return age > UNREADABLE_GRACE
        if holder.get("host") != socket.gethostname():
            return False  # another machine's process: we cannot tell
        pid = int(holder.get("pid", -1))
        if pid <= 0 or not _alive(pid):
            return True
        started = holder.get("pid_started")
        return started is not None and _start_time(pid) not in (None, started)


def running(root: Path) -> bool:
    """Whether a command still holds ``root``'s lock: a lock whose process has ended (on
    this machine) is not held; one of another machine's process is taken as held."""
    lock = DirectoryLock(root)
    return lock.path.exists() and not lock._stale(lock.holder())


def status(root: Path, recorded: str | None) -> str:
    """A dataset's status as a listing should say it: what its manifest records, except
    that "running" with no command running is a sweep that stopped without saying so
    (killed, or its machine went down)."""
    if recorded == "running" and not running(root):
        return "stopped (resume it)"
    return str(recorded)


def describe(holder: dict[str, Any] | None) -> str:
    if holder is None:
        return "another command (its lock is being written)"
    return (f"{holder.get('command', '?')!r} (process {holder.get('pid', '?')} on "
            f"{holder.get('host', '?')}, since {holder.get('since', '?')})")
