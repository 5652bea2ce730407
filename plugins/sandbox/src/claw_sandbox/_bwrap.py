"""The bwrap command line for a :class:`claw.SandboxPolicy`.

The whole system is bound read-only, then the writable paths are bound read-write over it, so what a
program may write is decided by the kernel's mount table, not by reading its command line. Every
namespace but the network's is always new: PID (the command sees only its own processes; when the
sandbox's init dies, the kernel kills them all), UTS, IPC, user (with every capability dropped and,
with bwrap 0.8+, no nested user namespaces, so ``unshare``/``mount`` from inside fail).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import claw

#: Where the proxy's socket appears inside the sandbox (in its private /tmp).
PROXY_SOCKET = "/tmp/.claw-proxy.sock"
HOSTNAME = "claw-sandbox"
#: Files under the hidden ``/run`` bound back read-only (where ``/etc/resolv.conf`` may point).
RUN_KEEP = (
    "/run/systemd/resolve/stub-resolv.conf",
    "/run/systemd/resolve/resolv.conf",
    "/run/resolvconf/resolv.conf",
)


def bwrap_argv(
    bwrap: str,
    argv: list[str],
    policy: claw.SandboxPolicy,
    *,
    disable_userns: bool,
    proxy_socket: str | None = None,
) -> list[str]:
    """``bwrap ... -- argv`` confining ``argv`` under ``policy``."""
    out = [bwrap, "--die-with-parent", "--new-session", "--unshare-user", "--cap-drop", "ALL"]
    if disable_userns:
        out.append("--disable-userns")
    out += ["--unshare-pid", "--unshare-uts", "--hostname", HOSTNAME, "--unshare-ipc"]
    if policy.network != "host":
        out.append("--unshare-net")
    if policy.filesystem == "off":
        out += ["--bind", "/", "/", "--dev", "/dev", "--proc", "/proc"]
    else:
        out += ["--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp"]
        out += ["--tmpfs", "/dev/shm", "--setenv", "TMPDIR", "/tmp"]
        out += _python_under_tmp()
        out += _hide_daemon_sockets()
        for path in policy.writable:
            out += ["--bind", str(path), str(path)]
    for sock in policy.allow_unix_sockets:
        if sock.exists():
            out += ["--bind", str(sock), str(sock)]
    for path in policy.deny_read:
        out += _hide(path)
    if proxy_socket is not None:
        out += ["--bind", proxy_socket, PROXY_SOCKET]
    return [*out, "--", *argv]


def _python_under_tmp() -> list[str]:
    """claw's own Python, read-only, where it lives under ``/tmp`` (a virtualenv or editable install made
    by CI or tox there): the private ``/tmp`` would hide it, and the network bridge runs it inside the
    sandbox. Its prefixes and import path, each existing directory once."""
    out: list[str] = []
    places = (sys.prefix, sys.base_prefix, sys.exec_prefix, *sys.path)
    for place in dict.fromkeys(os.path.realpath(p) for p in places if p):
        if place.startswith("/tmp/") and os.path.isdir(place):
            out += ["--ro-bind", place, place]
    return out


def _hide_daemon_sockets() -> list[str]:
    """An empty ``/run`` (``/var/run`` points there) and ``$XDG_RUNTIME_DIR``: a read-only mount does not
    stop ``connect()`` to a Unix socket, and the daemons' sockets there (docker, dbus, systemd) would
    reach outside the sandbox. The resolver's directory is kept for DNS with ``network.mode: host``."""
    out: list[str] = []
    for runtime in ("/run", os.environ.get("XDG_RUNTIME_DIR") or ""):
        if runtime and os.path.isdir(runtime) and not os.path.islink(runtime):
            out += ["--tmpfs", runtime]
    for keep in RUN_KEEP:
        if os.path.isfile(keep):
            out += ["--ro-bind", keep, keep]
    return out


def _hide(path: Path) -> list[str]:
    """An empty directory over a denied directory, ``/dev/null`` over a denied file."""
    if path.is_dir():
        return ["--tmpfs", str(path), "--remount-ro", str(path)]
    return ["--ro-bind", "/dev/null", str(path)]
