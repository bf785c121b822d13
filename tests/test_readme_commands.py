"""The README's other commands run as written: every ``make`` target it shows, and every
``python -m model`` command. The long ones (a sweep, the validation, the suite itself) run
as dry runs or on a small selection; ``make app`` is started, answers on its port, and
stops quietly on Ctrl-C; a busy port gets one line naming ``APP_PORT``."""

import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
VENV = Path(sys.executable).parent.parent
pytestmark = pytest.mark.skipif(shutil.which("make") is None or not (VENV / ".installed-stamp")
                                .is_file(), reason="needs make and the project's .venv")


def _commands(prefix: str) -> list[str]:
    """Every command of the README starting with ``prefix``: lines of its bash blocks and
    inline code (``make app APP_PORT=9000``), comments and placeholders (``...``) dropped."""
    text = README.read_text()
    found = []
    for block in re.findall(r"```bash\n(.*?)```", text, flags=re.S):
        found += [line.split("#")[0].strip() for line in block.splitlines()]
    found += re.findall(r"(?<!`)`([^`\n]+)`(?!`)", text)
    return sorted({c for c in found if c.startswith(prefix) and "..." not in c})


def _env() -> dict[str, str]:
    """This environment as a shell's, not a make's (under ``make test``, no nesting)."""
    return {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MAKELEVEL",
                                                             "MFLAGS")}


def _make(*args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run(["make", f"VENV={VENV}", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=timeout, env=_env())


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_the_readme_shows_the_make_targets_and_each_is_one():
    shown = _commands("make ")
    targets = {shlex.split(c)[1] for c in shown}
    assert {"run", "test", "app", "compare", "lint", "bench", "validate", "notebooks",
            "notebooks-html"} <= targets
    for command in shown:  # each as written, without running it
        args = shlex.split(command)[1:]
        if args[0] == "app":  # its port may be busy here (the check runs under -n too)
            args = [a for a in args if not a.startswith("APP_PORT=")]
            args.append(f"APP_PORT={_free_port()}")
        result = _make("-n", *args)
        assert result.returncode == 0, (command, result.stderr)


def test_make_run_and_validate_as_dry_runs(tmp_path):
    """``make run`` and ``make validate`` run their command (``ARGS`` reach ``make run``)."""
    out = tmp_path / "flagship"
    result = _make("run", f"ARGS=--dry-run --out {out}")
    assert result.returncode == 0, result.stderr
    assert "heroic_vs_distributed: 720 runs" in result.stdout
    assert "python -m experiments run validation" in _make("-n", "validate").stdout


def test_make_test_runs_the_suite(tmp_path):
    """``make test`` with a small selection (the whole suite is what CI runs)."""
    result = _make("test", "PYTEST_ARGS=-q -p no:cacheprovider tests/test_docs.py",
                   timeout=600)
    assert result.returncode == 0, result.stdout[-2000:]
    tests = len(re.findall(r"^def test_", (ROOT / "tests" / "test_docs.py").read_text(), re.M))
    assert re.search(rf"\b{tests} passed\b", result.stdout)


def test_make_compare_and_python_m_model_run_as_written():
    """``make compare`` is ``python -m model``; every ``python -m model`` command of the
    README and the students' guide runs as written (at a small size: the options the
    command documents)."""
    assert f"{VENV}/bin/python -m model" in _make("-n", "compare").stdout
    shown = _commands("python -m model")
    students = (ROOT / "docs" / "STUDENTS.md").read_text()
    shown += re.findall(r"`(python -m model[^`]*)`", students)
    assert shown
    for command in shown:
        args = [*shlex.split(command)[3:], "--steps", "3", "--employees", "20"]
        result = subprocess.run([sys.executable, "-m", "model", *args], cwd=ROOT,
                                capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, (command, result.stderr)
        assert "heroic" in result.stdout


def test_make_notebooks_runs_jupyter_as_root_too():
    dry = _make("-n", "notebooks").stdout
    assert "jupyter lab notebooks/" in dry
    assert ("--allow-root" in dry) == (os.getuid() == 0)


def test_make_app_serves_and_stops_quietly_on_ctrl_c():
    port = _free_port()
    process = subprocess.Popen(["make", f"VENV={VENV}", "app", f"APP_PORT={port}"], cwd=ROOT,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               start_new_session=True, env=_env())
    try:
        deadline = time.monotonic() + 240  # a bound, not a timing: it starts in seconds
        while process.poll() is None and time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.5)
        assert process.poll() is None, process.communicate()[0]
        os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C in the terminal sends
        output = process.communicate(timeout=120)[0]
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    assert f"open http://127.0.0.1:{port}" in output
    for noise in ("Error", "Interrupt", "Traceback", "Aborted"):
        assert noise not in output, output


def test_a_busy_port_gets_one_line_naming_app_port():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = _make("app", f"APP_PORT={port}", timeout=120)
    assert result.returncode != 0
    lines = (result.stdout + result.stderr).strip().splitlines()
    assert len(lines) == 1, lines
    assert re.search(rf"port {port} is in use; run make app APP_PORT=\d+", lines[0])
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("port", ["abc", "0", "70000"])
def test_a_port_that_is_no_port_gets_one_line_naming_app_port(port):
    result = _make("app", f"APP_PORT={port}", timeout=120)
    assert result.returncode != 0
    lines = (result.stdout + result.stderr).strip().splitlines()
    assert len(lines) == 1, lines
    assert f"APP_PORT={port} is not allowed; allowed: a whole number from 1 to 65535" in lines[0]
