"""Run inside the sandbox before the command: listen on the sandbox's own loopback and forward each
connection to the proxy's Unix socket, point ``HTTP(S)_PROXY`` at it, then run the command.

``python -m claw_sandbox._bridge SOCKET -- ARGV...``; the exit status is the command's.
"""

from __future__ import annotations

import contextlib
import os
import socket
import sys
import threading


def _forward(a: socket.socket, b: socket.socket) -> None:
    try:
        while data := a.recv(65536):
            b.sendall(data)
    except OSError:
        pass
    finally:
        for s in (a, b):
            with contextlib.suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)


def _serve(listener: socket.socket, target: str) -> None:
    while True:
        client, _ = listener.accept()
        upstream = socket.socket(socket.AF_UNIX)
        try:
            upstream.connect(target)
        except OSError:
            client.close()
            continue
        threading.Thread(target=_forward, args=(client, upstream), daemon=True).start()
        threading.Thread(target=_forward, args=(upstream, client), daemon=True).start()


def main(argv: list[str]) -> int:
    target, argv = argv[0], argv[2:]
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    url = f"http://127.0.0.1:{listener.getsockname()[1]}"
    env = dict(os.environ)
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY", "all_proxy"):
        env[name] = url
    env["NO_PROXY"] = env["no_proxy"] = ""
    threading.Thread(target=_serve, args=(listener, target), daemon=True).start()
    pid = os.fork()
    if pid == 0:
        listener_fd = listener.fileno()
        os.set_inheritable(listener_fd, False)
        os.execvpe(argv[0], argv, env)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
