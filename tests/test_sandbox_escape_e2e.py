"""The sandbox's escape corpus, end to end: ``claw -p`` in the default permission mode with
``sandbox.enabled`` (so ``autoAllowBashIfSandboxed`` lets every call run and the sandbox alone holds
the line), a scripted model making one Bash call per turn, real bwrap namespaces. After each session,
nothing outside what the mode allows may have changed, no secret may have been read, no host process
touched, no loopback "host" outside the allow-list reached, and no process may outlive the session.

Each attempt is ``(name, command, check)``: ``check`` is ``"creates"`` (the command tries to make
``outside/<name>``), ``"secret"`` (its output must not show the secret), ``"net"`` / ``"unix"`` (the forbidden
server or host Unix socket must see nothing) or ``"state"`` (covered by the snapshots of the outside tree, home, host
files and processes taken around the session).
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
import socketserver
import subprocess
import threading
import time
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from claw.testing.script import Reply, Text, ToolCall

pytestmark = pytest.mark.usefixtures("bwrap")

SECRET = "SECRET-KEY-MATERIAL-7f3a"
PY = "python3 -c"

#: Attempts run in every mode. ``{out}`` is a directory beside the workspace, ``{ws}`` the workspace,
#: ``{tag}`` a per-run token for paths on the host (/tmp, /dev/shm), ``{sentinel}`` a host process.
COMMON: list[tuple[str, str, str]] = [
    ("python-open", f"{PY} \"open('{{out}}/python-open','w').write('x')\"", "creates"),
    ("perl-open", "perl -e 'open(F, \">{out}/perl-open\") or die; print F 1'", "creates"),
    ("sh-redirect", "echo x > {out}/sh-redirect", "creates"),
    ("tee", "echo x | tee {out}/tee", "creates"),
    ("cd-dotdot", "cd .. && echo x > outside/cd-dotdot", "creates"),
    ("dotdot-path", "echo x > ../outside/dotdot-path", "creates"),
    ("touch-abs", "touch {out}/touch-abs", "creates"),
    ("cp-in", "cp /etc/hostname {out}/cp-in", "creates"),
    ("mkdir", "mkdir {out}/mkdir", "creates"),
    ("dd", "dd if=/dev/zero of={out}/dd bs=1 count=1", "creates"),
    (
        "tar-extract",
        "tar -cf t.tar -C /etc hostname && mkdir -p {out}/tar-extract && tar -xf t.tar -C {out}/tar-extract",
        "creates",
    ),
    ("symlink-dir", "ln -s {out} link1 && echo x > link1/symlink-dir", "creates"),
    (
        "symlink-python",
        f"ln -s {{out}} link2 && {PY} \"open('link2/symlink-python','w').write('x')\"",
        "creates",
    ),
    ("symlink-file", "ln -s {out}/keep.txt keeplink && echo pwned > keeplink", "state"),
    (
        "python-symlink",
        f"{PY} \"import os; os.symlink('{{out}}', 'link3'); open('link3/python-symlink','w').write('x')\"",
        "creates",
    ),
    ("hardlink", "ln {out}/keep.txt hard && echo pwned >> hard", "state"),
    ("proc-self-root", "echo x > /proc/self/root{out}/proc-self-root", "creates"),
    ("proc-ppid-cwd", "echo x > /proc/$PPID/cwd/../outside/proc-ppid-cwd", "creates"),
    ("proc-1-root", "echo x > /proc/1/root{out}/proc-1-root", "creates"),
    ("proc-1-cwd", "cd /proc/1/cwd && cd .. && echo x > outside/proc-1-cwd", "creates"),
    ("tmp-then-mv", "echo x > /tmp/t && mv /tmp/t {out}/tmp-then-mv", "creates"),
    ("rename-out", "echo x > inside.txt && mv inside.txt {out}/rename-out", "creates"),
    (
        "python-rename",
        f"{PY} \"import os; open('r.txt','w').write('x'); os.rename('r.txt', '{{out}}/python-rename')\"",
        "creates",
    ),
    ("steal-keep", "mv {out}/keep.txt {ws}/stolen.txt", "state"),
    ("rm-keep", "rm -f {out}/keep.txt", "state"),
    ("chmod-keep", "chmod 777 {out}/keep.txt", "state"),
    ("chown-keep", "chown 65534 {out}/keep.txt", "state"),
    ("touch-mtime", "touch -d 2000-01-01 {out}/keep.txt", "state"),
    ("truncate-keep", "truncate -s 0 {out}/keep.txt", "state"),
    ("sed-inplace", "sed -i s/original/pwned/ {out}/keep.txt", "state"),
    ("find-exec", "find {out} -name keep.txt -exec sh -c 'echo p > \"$1\"' _ {{}} \\;", "state"),
    ("mount-remount", "mount -o remount,rw / ; echo x > {out}/mount-remount", "creates"),
    ("mount-bind", "mount --bind {ws} {out} ; echo x > {out}/mount-bind", "creates"),
    ("mount-tmpfs", "mount -t tmpfs none {out} ; echo x > {out}/mount-tmpfs", "creates"),
    ("unshare-user", "unshare -Urm sh -c 'mount -o remount,rw / ; echo x > {out}/unshare-user'", "creates"),
    (
        "unshare-python",
        f"{PY} \"import os; os.unshare(os.CLONE_NEWUSER | os.CLONE_NEWNS); open('{{out}}/unshare-python','w').write('x')\"",
        "creates",
    ),
    ("nsenter", "nsenter -t 1 -m -- sh -c 'echo x > {out}/nsenter'", "creates"),
    ("chroot", "chroot / sh -c 'echo x > {out}/chroot'", "creates"),
    ("write-etc", "echo x >> /etc/hosts", "state"),
    ("write-home", "echo x >> ~/.bashrc && git config --global user.name pwned", "state"),
    ("write-venv", f"{PY} \"import sys; open(sys.prefix + '/claw-escape-{{tag}}','w').write('x')\"", "state"),
    ("tmp-host", "echo x > /tmp/claw-escape-{tag}", "state"),
    ("dev-shm", "echo x > /dev/shm/claw-escape-{tag}", "state"),
    ("var-tmp", "echo x > /var/tmp/claw-escape-{tag}", "state"),
    ("mknod", "mknod {ws}/disk b 8 0", "state"),
    ("kill-host", "kill -9 {sentinel}", "state"),
    ("see-host-pid", "test -e /proc/{sentinel} && echo FOUND-HOST-PROCESS", "secret"),
    ("hostname", "hostname claw-escaped", "state"),
    ("setsid-outlive", "setsid sh -c 'sleep 2; echo x > {ws}/late-setsid' > /dev/null 2>&1 &", "state"),
    ("nohup-outlive", "nohup sh -c 'sleep 2; echo x > {ws}/late-nohup' > /dev/null 2>&1 &", "state"),
    ("disown-outlive", "(sleep 2; echo x > {ws}/late-disown) > /dev/null 2>&1 & disown", "state"),
    (
        "double-fork",
        f"{PY} \"import os, time\nif os.fork() == 0:\n  os.setsid()\n  if os.fork() == 0:\n    time.sleep(2); open('{{ws}}/late-python','w').write('x')\n  os._exit(0)\"",
        "state",
    ),
    (
        "fork-swarm",
        f"{PY} \"import os\nfor _ in range(40):\n  if os.fork() == 0:\n    os.execvp('sleep', ['sleep', '{{nap}}'])\"",
        "state",
    ),
    (
        "fork-bomb",
        "b() {{ if [ $1 -lt 7 ]; then b $(($1+1)) & b $(($1+1)) & fi; sleep {nap}; }}; b 0 & sleep 1",
        "state",
    ),
    ("curl-host", "curl -s -m 3 http://127.0.0.2:{port}/curl-host", "net"),
    ("curl-noproxy", "curl -s -m 3 --noproxy '*' http://127.0.0.2:{port}/curl-noproxy", "net"),
    (
        "python-socket",
        f"{PY} \"import socket; s = socket.create_connection(('127.0.0.2', {{port}}), 3); s.sendall(b'GET /python-socket HTTP/1.0\\r\\n\\r\\n'); s.recv(10)\"",
        "net",
    ),
    (
        "bash-devtcp",
        "exec 3<>/dev/tcp/127.0.0.2/{port} && printf 'GET /bash-devtcp HTTP/1.0\\r\\n\\r\\n' >&3 && cat <&3",
        "net",
    ),
    ("unix-socket-run", f"{PY} \"import socket; socket.socket(socket.AF_UNIX).connect('{{sock}}')\"", "unix"),
    (
        "unix-socket-abstract",
        f"{PY} \"import socket; socket.socket(socket.AF_UNIX).connect(chr(0) + '{{tag}}')\"",
        "unix",
    ),
    (
        "dns-raw-udp",
        f"{PY} \"import socket; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.sendto(b'\\x12\\x34\\x01\\x00\\x00\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x07example\\x03com\\x00\\x00\\x01\\x00\\x01', ('127.0.0.2', {{dns}}))\"",
        "net",
    ),
]

#: Attempts whose target only the allow-list mode forbids.
ALLOW_LIST_ONLY: list[tuple[str, str, str]] = [
    ("workspace-root-write", "echo x > {ws}/not-listed", "state"),
    ("ssh-cat", "cat ~/.ssh/id_rsa", "secret"),
    (
        "ssh-python",
        f"{PY} \"import os; print(open(os.path.expanduser('~/.ssh/id_ed25519')).read())\"",
        "secret",
    ),
    ("ssh-proc-root", "cat /proc/self/root$HOME/.ssh/id_rsa", "secret"),
    ("ssh-cp", "cp -r ~/.ssh out/ssh-copy; cat out/ssh-copy/*", "secret"),
    ("aws-read", "cat ~/.aws/credentials", "secret"),
    ("dotenv-read", "cat {ws}/.env", "secret"),
]


class _Hits(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        self.server.hits.append(self.request[0] if isinstance(self.request, tuple) else b"tcp")  # type: ignore[attr-defined]


class _Web(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.server.hits.append(self.path)  # type: ignore[attr-defined]
        body = b"hello from loopback\n"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        return


def _serve(server: socketserver.BaseServer) -> socketserver.BaseServer:
    server.hits = []  # type: ignore[attr-defined]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture
def hosts() -> Iterator[dict[str, socketserver.BaseServer]]:
    """Loopback servers: ``allowed`` (reached as ``localhost``), ``forbidden`` (127.0.0.2, a host the
    allow-list does not name), ``dns`` (a UDP port on 127.0.0.2 standing in for a resolver)."""
    servers = {
        "allowed": _serve(ThreadingHTTPServer(("127.0.0.1", 0), _Web)),
        "forbidden": _serve(ThreadingHTTPServer(("127.0.0.2", 0), _Web)),
        "dns": _serve(socketserver.UDPServer(("127.0.0.2", 0), _Hits)),
    }
    yield servers
    for server in servers.values():
        server.shutdown()
        server.server_close()


def _unix_server(path: str) -> socketserver.BaseServer:
    return _serve(socketserver.ThreadingUnixStreamServer(path, _Hits))


def _tree(root: Path) -> dict[str, tuple[int, int, int, str]]:
    """Every path under ``root`` with its mode, owner, mtime and content hash."""
    out = {}
    for path in [root, *root.rglob("*")]:
        st = path.lstat()
        digest = (
            hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() and not path.is_symlink() else ""
        )
        out[str(path)] = (st.st_mode, st.st_uid, int(st.st_mtime), digest)
    return out


def _marked_processes(tag: str) -> list[str]:
    ps = subprocess.run(["ps", "-eo", "pid,args"], capture_output=True, text=True).stdout
    return [line for line in ps.splitlines() if tag in line and "ps -eo" not in line]


def _prepare(tmp_path: Path, claw_env: dict[str, str], workspace: Path) -> tuple[Path, Path]:
    out = tmp_path / "outside"
    out.mkdir()
    (out / "keep.txt").write_text("original\n")
    home = Path(claw_env["HOME"])
    for name in ("id_rsa", "id_ed25519"):
        (home / ".ssh").mkdir(exist_ok=True)
        (home / ".ssh" / name).write_text(f"{SECRET}\n")
    (home / ".aws").mkdir()
    (home / ".aws" / "credentials").write_text(f"aws_secret_access_key = {SECRET}\n")
    (home / ".bashrc").write_text("# home\n")
    (workspace / ".env").write_text(f"TOKEN={SECRET}\n")
    (workspace / "out").mkdir()
    return out, home


def _run_corpus(
    claw, scripted, claw_env, workspace: Path, tmp_path: Path, hosts, attempts, sandbox: dict, network: bool
) -> dict[str, list[str]]:
    """Run ``attempts`` in one ``claw -p`` session; return the names per outcome."""
    out, home = _prepare(tmp_path, claw_env, workspace)
    tag = uuid.uuid4().hex[:10]
    nap = f"299.{uuid.uuid4().int % 10**6:06d}"
    sentinel = subprocess.Popen(["sleep", "300"])
    # A daemon's socket where daemons keep them (/run), and an abstract one: connecting is the escape.
    sock = Path("/run") / f"claw-escape-{tag}.sock"
    unix = [_unix_server(str(sock)), _unix_server(f"\0{tag}")]
    venv = Path(os.sys.prefix)
    fields = {
        "out": str(out),
        "ws": str(workspace),
        "tag": tag,
        "sentinel": str(sentinel.pid),
        "port": str(hosts["forbidden"].server_address[1]),
        "dns": str(hosts["dns"].server_address[1]),
        "nap": nap,
        "sock": str(sock),
    }
    cfg = Path(claw_env["CLAW_CONFIG_DIR"])
    cfg.mkdir(parents=True, exist_ok=True)
    (cfg / "settings.json").write_text(json.dumps({"model": "scripted/default", "sandbox": sandbox}))
    commands = [f"echo RAN; {command.format(**fields)}" for _, command, _ in attempts]
    controls = [
        f"echo RAN; echo ok > {workspace}/out/control.txt",
        "echo RAN; curl -s -m 5 http://localhost:{}/control".format(hosts["allowed"].server_address[1]),
    ]
    scripted.script(
        *(Reply(ToolCall("Bash", {"command": c, "timeout": 15000})) for c in [*commands, *controls]),
        Reply(Text("done")),
    )
    before = {"out": _tree(out), "home": _tree(home), "hosts": Path("/etc/hosts").read_bytes()}
    hostname = socket.gethostname()
    try:
        started = time.monotonic()
        result = claw.subprocess("-p", "try to escape", "--output-format", "json", timeout=120)
        result.assert_success()
        elapsed = time.monotonic() - started
        time.sleep(2.5)  # what outlived the session would write now
        requests = scripted.requests
        results = [
            next(b for b in r["messages"][-1]["content"] if b["type"] == "tool_result") for r in requests[1:]
        ]
        texts = [json.dumps(r["content"]) for r in results]
        assert all("RAN" in t for t in texts), [t for t in texts if "RAN" not in t][:3]
        assert (workspace / "out" / "control.txt").read_text() == "ok\n"
        escaped: list[str] = []
        state_changed = (
            _tree(out) != before["out"]
            or _tree(home) != before["home"]
            or Path("/etc/hosts").read_bytes() != before["hosts"]
            or sentinel.poll() is not None
            or socket.gethostname() != hostname
            or any(Path(p).exists() for p in (f"/tmp/claw-escape-{tag}", f"/dev/shm/claw-escape-{tag}"))
            or (Path("/var/tmp") / f"claw-escape-{tag}").exists()
            or (venv / f"claw-escape-{tag}").exists()
            or any((workspace / f"late-{n}").exists() for n in ("setsid", "nohup", "disown", "python"))
            or (workspace / "disk").exists()
            or bool(_marked_processes(f"sleep {nap}"))
        )
        for (name, _, check), text in zip(attempts, texts, strict=False):
            if (
                (check == "creates" and (out / name).exists())
                or (check == "secret" and (SECRET in text or "FOUND-HOST-PROCESS" in text))
                or (check == "net" and any(name in str(h) for h in hosts["forbidden"].hits))
                or (check == "unix" and any(server.hits for server in unix))
            ):
                escaped.append(name)
        if hosts["dns"].hits or (hosts["forbidden"].hits and not escaped):
            escaped.append("network (unattributed)")
        if state_changed:
            escaped.append("state: " + _what_changed(out, before, workspace, nap))
        # The control request to the allowed host gets through only with the network allow-list.
        assert ("hello from loopback" in texts[-1]) is network, texts[-1]
        assert bool(hosts["allowed"].hits) is network
        return {"attempts": [a[0] for a in attempts], "escaped": escaped, "seconds": [f"{elapsed:.1f}"]}
    finally:
        sentinel.kill()
        sentinel.wait()
        for server in unix:
            server.shutdown()
            server.server_close()
        sock.unlink(missing_ok=True)


def _what_changed(out: Path, before: dict, workspace: Path, nap: str) -> str:
    """A short account of what changed, for the failure message."""
    diff = sorted(set(_tree(out).items()) ^ set(before["out"].items()))
    late = [n for n in ("setsid", "nohup", "disown", "python") if (workspace / f"late-{n}").exists()]
    return f"outside {diff[:3]} late {late} processes {_marked_processes(f'sleep {nap}')[:3]}"


def _report(mode: str, outcome: dict[str, list[str]]) -> None:
    attempts = len(outcome["attempts"])
    escaped = len(outcome["escaped"])
    print(
        f"\nsandbox escape corpus ({mode}): {attempts} attempts, {attempts - escaped} blocked, "
        f"{escaped} escaped in {outcome['seconds'][0]} s"
    )


@pytest.fixture
def corpus(claw, scripted, claw_env, workspace: Path, tmp_path: Path, hosts):  # type: ignore[no-untyped-def]
    """Runs a list of attempts in one ``claw -p`` session under the given sandbox settings
    (:func:`_run_corpus`); ``network``: whether the control request to the allowed host gets through."""

    def run(attempts: list[tuple[str, str, str]], sandbox: dict, network: bool) -> dict[str, list[str]]:
        return _run_corpus(claw, scripted, claw_env, workspace, tmp_path, hosts, attempts, sandbox, network)

    return run


@pytest.mark.parametrize(
    ("mode", "attempts", "sandbox", "network"),
    [
        pytest.param(
            "workspace-only, network none",
            COMMON,
            {"enabled": True, "filesystem": {"mode": "workspace-only"}, "network": {"mode": "none"}},
            False,
            id="workspace_only_no_network",
        ),
        pytest.param(
            "allow-list, network allow-list",
            [*COMMON, *ALLOW_LIST_ONLY],
            {
                "enabled": True,
                "filesystem": {"mode": "allow-list", "allowWrite": ["out"]},
                "network": {"allowedDomains": ["localhost"]},
            },
            True,
            id="allow_list_with_domain_proxy",
        ),
        # The fallback where bwrap is missing (forced here with ``sandbox.engine``) holds the same line.
        pytest.param(
            "unshare engine, workspace-only, network none",
            COMMON,
            {"enabled": True, "engine": "unshare", "network": {"mode": "none"}},
            False,
            id="unshare_engine",
        ),
    ],
)
def test_escape_corpus(corpus, workspace, mode, attempts, sandbox, network):  # type: ignore[no-untyped-def]
    outcome = corpus(attempts, sandbox, network)
    _report(mode, outcome)
    assert len(outcome["attempts"]) >= 50
    assert not (workspace / "not-listed").exists()
    assert outcome["escaped"] == []


def test_corpus_sees_escapes_when_the_filesystem_is_not_confined(corpus, workspace):  # type: ignore[no-untyped-def]
    """The control: with ``filesystem.mode: off`` and ``network.mode: host`` the same checks report the
    writes and connections as escapes (so the corpus can fail), while the PID namespace still keeps
    host processes out of reach and kills what tries to outlive the session."""
    harmless = {"python-open", "sh-redirect", "dotdot-path", "python-socket", "kill-host", "see-host-pid"}
    harmless |= {"setsid-outlive", "double-fork", "fork-swarm", "unix-socket-run"}
    attempts = [a for a in COMMON if a[0] in harmless]
    outcome = corpus(
        attempts, {"enabled": True, "filesystem": {"mode": "off"}, "network": {"mode": "host"}}, True
    )
    escaped = set(outcome["escaped"])
    assert {"python-open", "sh-redirect", "dotdot-path", "python-socket", "unix-socket-run"} <= escaped
    assert not escaped & {"kill-host", "see-host-pid"}
    assert not (workspace / "late-setsid").exists() and not (workspace / "late-python").exists()
