"""Helpers for testing plugins and marketplaces offline (used by claw's own tests).

- :func:`make_tls`: a throw-away CA and a server certificate for ``127.0.0.1``/``localhost``.
- :class:`StaticServer`: a loopback HTTP(S) file server for a marketplace directory, with
  programmable redirects.
- :func:`write_plugin_project`: a real plugin project (a ``Hello`` tool) to build with
  :func:`claw.testing.venvs.build_wheel`; :func:`make_wheel` writes a wheel zip directly when a test
  needs a broken one.
- :class:`MarketplaceDir`: a signed marketplace directory built from such wheels.
- :func:`hook_recorder` + :func:`read_hook_log`: a plugin module that logs the plugin lifecycle hooks
  (``PrePluginInstall``, ...) and blocks the ones a test names.
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import hashlib
import json
import ssl
import textwrap
import threading
import zipfile
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any


@dataclass
class TLS:
    ca_cert: Path
    server_cert: Path
    server_key: Path


def make_tls(directory: Path) -> TLS:
    """A CA certificate and a server certificate it signed, valid for 127.0.0.1 and localhost."""
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    directory.mkdir(parents=True, exist_ok=True)
    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "claw test CA")])
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]
            ),
            critical=False,
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    tls = TLS(directory / "ca.pem", directory / "server.pem", directory / "server.key")
    tls.ca_cert.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    tls.server_cert.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    tls.server_key.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return tls


class _Handler(SimpleHTTPRequestHandler):
    server: Any

    def log_message(self, format: str, *args: Any) -> None:  # keep test output clean
        pass

    def do_GET(self) -> None:
        self.server.owner.requests.append(self.path)
        target = self.server.owner.redirects.get(self.path)
        if target is not None:
            self.send_response(302)
            self.send_header("Location", target)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        super().do_GET()


class StaticServer:
    """Serves ``root`` on ``127.0.0.1`` (HTTPS when ``tls`` is given) until :meth:`stop`.

    ``redirects`` maps request paths to ``Location`` values answered with 302.
    """

    def __init__(self, root: Path, tls: TLS | None = None) -> None:
        self.root = root
        self.tls = tls
        self.redirects: dict[str, str] = {}
        self.requests: list[str] = []
        handler = functools.partial(_Handler, directory=str(root))
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._httpd.owner = self  # type: ignore[attr-defined]
        self._httpd.daemon_threads = True
        if tls is not None:
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ctx.load_cert_chain(tls.server_cert, tls.server_key)
            self._httpd.socket = ctx.wrap_socket(self._httpd.socket, server_side=True)
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.05,), daemon=True)

    @property
    def url(self) -> str:
        scheme = "https" if self.tls else "http"
        return f"{scheme}://127.0.0.1:{self._httpd.server_address[1]}/"

    def start(self) -> StaticServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> StaticServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


HELLO_TOOL = """
import claw


class HelloTool(claw.Tool):
    spec = claw.ToolSpec(
        name="{tool}",
        description="Greets someone ({dist} {version}).",
        input_schema={{"type": "object", "properties": {{"name": {{"type": "string"}}}}}},
        read_only=True,
    )

    async def run(self, input, ctx):
        return claw.ToolResult(content=f"Hello, {{input.get('name', 'world')}}! from {dist} {version}")
"""

HELLO_PLUGIN = """
import claw

CLAW_API = "{claw_api}"
{extra}

@claw.hookimpl
def claw_register_tools(register):
    from {package}.tools import HelloTool

    register(HelloTool())
"""


def write_plugin_project(
    directory: Path,
    *,
    dist: str = "claw-hello",
    version: str = "1.0.0",
    tool: str = "Hello",
    claw_api: str = ">=1.0,<2",
    entry_point: bool = True,
    extra: str = "",
    dependencies: tuple[str, ...] = (),
) -> Path:
    """A plugin project registering a ``HelloTool`` named ``tool``; ``extra`` is added to the plugin
    module (``raise RuntimeError(...)`` makes a plugin that fails to import)."""
    package = dist.replace("-", "_")
    src = directory / "src" / package
    src.mkdir(parents=True, exist_ok=True)
    (src / "__init__.py").write_text("")
    (src / "tools.py").write_text(HELLO_TOOL.format(tool=tool, dist=dist, version=version))
    (src / "plugin.py").write_text(HELLO_PLUGIN.format(claw_api=claw_api, package=package, extra=extra))
    eps = f'[project.entry-points.claw]\n{tool.lower()} = "{package}.plugin"\n' if entry_point else ""
    deps = ", ".join(f'"{d}"' for d in dependencies)
    (directory / "pyproject.toml").write_text(
        textwrap.dedent(
            f"""\
            [project]
            name = "{dist}"
            version = "{version}"
            description = "Says hello ({version})"
            requires-python = ">=3.11"
            dependencies = [{deps}]

            [build-system]
            requires = ["hatchling"]
            build-backend = "hatchling.build"

            [tool.hatch.build.targets.wheel]
            packages = ["src/{package}"]
            """
        )
        + eps
    )
    return directory


def make_wheel(
    out: Path,
    name: str,
    version: str,
    files: dict[str, str | bytes],
    *,
    entry_points: dict[str, str] | None = None,
    metadata_name: str | None = None,
    metadata_version: str | None = None,
    requires: tuple[str, ...] = (),
) -> Path:
    """Write a wheel zip by hand (with a valid RECORD), for tests that need odd contents."""
    out.mkdir(parents=True, exist_ok=True)
    dist = name.replace("-", "_")
    info = f"{dist}-{version}.dist-info"
    meta = f"Metadata-Version: 2.4\nName: {metadata_name or name}\nVersion: {metadata_version or version}\nSummary: test plugin\n"
    meta += "".join(f"Requires-Dist: {r}\n" for r in requires)
    contents: dict[str, bytes] = {k: v.encode() if isinstance(v, str) else v for k, v in files.items()}
    contents[f"{info}/METADATA"] = meta.encode()
    contents[f"{info}/WHEEL"] = (
        b"Wheel-Version: 1.0\nGenerator: claw-test\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
    )
    if entry_points:
        contents[f"{info}/entry_points.txt"] = (
            "[claw]\n" + "".join(f"{k} = {v}\n" for k, v in entry_points.items())
        ).encode()
    record = []
    for path, data in contents.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        record.append(f"{path},sha256={digest},{len(data)}")
    record.append(f"{info}/RECORD,,")
    contents[f"{info}/RECORD"] = ("\n".join(record) + "\n").encode()
    wheel = out / f"{dist}-{version}-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w", zipfile.ZIP_DEFLATED) as zf:
        for path, data in contents.items():
            zf.writestr(path, data)
    return wheel


HOOK_RECORDER = """
import json, os
import claw

@claw.hookimpl
def claw_hook_event(event):
    if event.plugin is None:
        return None
    with open(os.environ["HOOK_LOG"], "a") as f:
        f.write(json.dumps({"event": event.hook_event_name, "plugin": event.plugin}) + "\\n")
    if event.hook_event_name in os.environ.get("HOOK_BLOCK", "").split(","):
        return claw.HookOutcome(action="block", reason=REASON)
    return None
"""


def hook_recorder(reason: str) -> str:
    """Source of a plugin module (load it with the ``plugin_module`` fixture) that appends every plugin
    lifecycle hook event to the JSON-lines file ``$HOOK_LOG`` and blocks the events listed in
    ``$HOOK_BLOCK`` (comma-separated) with ``reason``."""
    return HOOK_RECORDER.replace("REASON", json.dumps(reason))


def read_hook_log(path: Path) -> list[dict[str, Any]]:
    """The events :func:`hook_recorder` logged to ``path``, oldest first (none when it never ran)."""
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


class MarketplaceDir:
    """A marketplace directory (``root``) built by :func:`~claw_marketplace.publish.build_marketplace`
    from hand-made plugin wheels collected in ``wheels``, signed with ``private``."""

    def __init__(self, root: Path, wheels: Path, private: Path, public: Path) -> None:
        self.root, self.wheels, self.private, self.public = root, wheels, private, public

    def add(self, version: str, *, name: str = "claw-hello", api: str = ">=1.0,<2", **kwargs: Any) -> Path:
        """A plugin wheel of ``name`` ``version`` whose module declares ``CLAW_API = api``."""
        package = name.replace("-", "_")
        return make_wheel(
            self.wheels,
            name,
            version,
            {f"{package}/__init__.py": "", f"{package}/plugin.py": f'import claw\nCLAW_API = "{api}"\n'},
            entry_points={"hello": f"{package}.plugin"},
            **kwargs,
        )

    def build(self) -> Path:
        from claw_marketplace.publish import build_marketplace

        return build_marketplace(self.wheels, self.private, out=self.root, publisher="Hello Inc.")

    def manifest(self, name: str = "claw-hello") -> Path:
        return self.root / name / "manifest.json"
