"""The fallback engine where bwrap is missing: util-linux's ``unshare`` makes the namespaces (user,
mount, PID with a fresh ``/proc``, UTS, IPC, network), then a short shell script inside binds the
writable paths onto themselves, hides denied paths and ``/run``, remounts every other mount read-only
and drops every capability (``setpriv``) before running the command. It is slower than bwrap (one
``mount`` process per mount point) and ``/tmp`` stays read-only: the private temp dir is ``$TMPDIR``.
"""

from __future__ import annotations

import claw

#: Runs as root of the new user namespace: ``$0`` is a label, then the counts and paths, ``--``, argv.
SETUP = r"""
set -e
n=$1; shift; keep="|"
while [ "$n" -gt 0 ]; do mount --bind "$1" "$1"; keep="$keep$1|"; shift; n=$((n-1)); done
n=$1; shift
while [ "$n" -gt 0 ]; do
  if [ -d "$1" ]; then mount -t tmpfs -o ro,mode=0 tmpfs "$1"; else mount --bind /dev/null "$1"; fi
  shift; n=$((n-1))
done
tmp=$1; shift; shift
if [ -d /run ] && [ ! -L /run ]; then mount -t tmpfs -o mode=0755 tmpfs /run; fi
for m in $(awk '{print $5}' /proc/self/mountinfo | sort -u); do
  case "$keep" in *"|$m|"*) continue ;; esac
  case "$m" in /proc|/proc/*) continue ;; esac
  mount -o remount,bind,ro "$m" || { echo "claw sandbox: cannot make $m read-only" >&2; exit 126; }
done
hostname claw-sandbox
cd "$PWD"  # the working directory again, now through the read-write bind over it
exec setpriv --bounding-set=-all --inh-caps=-all --ambient-caps=-all -- env TMPDIR="$tmp" "$@"
"""


def unshare_argv(unshare: str, argv: list[str], policy: claw.SandboxPolicy, tmpdir: str) -> list[str]:
    """``unshare ... sh -c SETUP ... -- argv`` confining ``argv`` under ``policy``."""
    out = [
        unshare,
        "--user",
        "--map-root-user",
        "--mount",
        "--pid",
        "--fork",
        "--kill-child",
        "--uts",
        "--ipc",
    ]
    if policy.network != "host":
        out.append("--net")
    out += ["--mount-proc", "--", "/bin/sh", "-c"]
    if policy.filesystem == "off":
        return [
            *out,
            'hostname claw-sandbox; exec setpriv --bounding-set=-all --inh-caps=-all -- "$@"',
            "sh",
            *argv,
        ]
    writable = [*(str(p) for p in policy.writable), tmpdir]
    writable += [str(s) for s in policy.allow_unix_sockets if s.exists()]
    deny = [str(p) for p in policy.deny_read]
    return [
        *out,
        SETUP,
        "claw-sandbox",
        str(len(writable)),
        *writable,
        str(len(deny)),
        *deny,
        tmpdir,
        "--",
        *argv,
    ]
