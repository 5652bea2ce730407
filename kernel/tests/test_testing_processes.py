"""``claw.testing.process_alive`` / ``processes_gone``: the one check tests use to see that a child process
claw started has ended (an exited child its parent has not reaped yet, a zombie, counts as ended)."""

from __future__ import annotations

import subprocess
import sys
import time

from claw.testing import process_alive, processes_gone


def test_a_running_process_is_alive_and_not_gone() -> None:
    proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        assert process_alive(proc.pid)
        start = time.monotonic()
        assert not processes_gone([proc.pid], timeout=0.3)
        assert time.monotonic() - start >= 0.3
    finally:
        proc.kill()
        proc.wait()


def test_an_exited_unreaped_child_counts_as_gone() -> None:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    assert processes_gone([proc.pid], timeout=10)  # a zombie until wait() below reaps it
    assert proc.poll() == 0
    assert not process_alive(proc.pid)


def test_gone_waits_for_every_process() -> None:
    quick = subprocess.Popen([sys.executable, "-c", "pass"])
    slow = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(0.5)"])
    try:
        start = time.monotonic()
        assert processes_gone([quick.pid, slow.pid], timeout=10)
        assert time.monotonic() - start >= 0.3  # the quick one ended at once; the slow one was waited for
        assert slow.poll() == 0
    finally:
        for proc in (quick, slow):
            proc.kill()
            proc.wait()
