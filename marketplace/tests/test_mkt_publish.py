"""Publisher commands: keygen, sign and marketplace build, through the CLI."""

from __future__ import annotations

import hashlib
import json
import stat
from pathlib import Path

from claw_marketplace.signing import verify_key_signature
from claw_marketplace.testing import make_wheel

PLUGIN = 'import claw\nCLAW_API = ">=1.0,<2"\n'


def plugin_wheel(out: Path, version: str) -> Path:
    return make_wheel(
        out,
        "claw-hello",
        version,
        {"claw_hello/__init__.py": "", "claw_hello/plugin.py": PLUGIN},
        entry_points={"hello": "claw_hello.plugin"},
        requires=("claw-kernel>=0.1",),
    )


def test_keygen_sign_and_build(claw, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    keys = tmp_path / "keys"
    out = claw("plugin", "keygen", "--out", keys).assert_success()
    assert "claw-plugin.pub" in out.stdout
    private, public = keys / "claw-plugin.key", keys / "claw-plugin.pub"
    assert stat.S_IMODE(private.stat().st_mode) == 0o600

    wheels = tmp_path / "wheels"
    w1, w2 = plugin_wheel(wheels, "1.0.0"), plugin_wheel(wheels, "1.1.0")
    claw("plugin", "sign", w1, "--key", private).assert_success()
    digest = hashlib.sha256(w1.read_bytes()).hexdigest()
    verify_key_signature(digest, (wheels / (w1.name + ".sig")).read_text(), public.read_bytes(), what="w1")

    site = tmp_path / "site"
    claw(
        "marketplace", "build", wheels, "--key", private, "--out", site, "--publisher", "Hello Inc."
    ).assert_success()
    index = json.loads((site / "index.json").read_text())
    assert index["plugins"] == [
        {"name": "claw-hello", "version": "1.1.0", "summary": "test plugin", "versions": ["1.0.0", "1.1.0"]}
    ]
    latest = json.loads((site / "claw-hello" / "manifest.json").read_text())
    assert latest["version"] == "1.1.0" and latest["wheel"] == w2.name
    assert latest["claw_api"] == ">=1.0,<2" and latest["kernel"] == ">=0.1"
    assert latest["publisher"] == {"name": "Hello Inc."} and latest["entry_points"] == ["hello"]
    served = site / "claw-hello" / w2.name
    assert latest["sha256"] == hashlib.sha256(served.read_bytes()).hexdigest()
    verify_key_signature(latest["sha256"], latest["signature"], public.read_bytes(), what="w2")
    old = json.loads((site / "claw-hello" / "1.0.0" / "manifest.json").read_text())
    assert old["version"] == "1.0.0" and old["wheel"] == f"../{w1.name}"


def test_build_with_absolute_urls(claw, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    claw("plugin", "keygen", "--out", tmp_path).assert_success()
    wheels = tmp_path / "wheels"
    w = plugin_wheel(wheels, "1.0.0")
    claw(
        "marketplace",
        "build",
        wheels,
        "--key",
        tmp_path / "claw-plugin.key",
        "--base-url",
        "https://m.example.org/x",
    ).assert_success()
    manifest = json.loads((wheels / "claw-hello" / "manifest.json").read_text())
    assert manifest["wheel"] == f"https://m.example.org/x/claw-hello/{w.name}"


def test_build_refuses_wheels_that_are_not_plugins(claw, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    claw("plugin", "keygen", "--out", tmp_path).assert_success()
    wheels = tmp_path / "wheels"
    make_wheel(wheels, "plain-lib", "1.0.0", {"plain_lib/__init__.py": ""})
    r = claw("marketplace", "build", wheels, "--key", tmp_path / "claw-plugin.key")
    r.assert_failure(1, "registers no 'claw' entry point")
    assert not (wheels / "index.json").exists()


def test_sign_with_a_bad_key_is_one_line(claw, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    w = plugin_wheel(tmp_path, "1.0.0")
    bad = tmp_path / "bad.key"
    bad.write_text("not a key")
    r = claw("plugin", "sign", w, "--key", bad).assert_failure(1, "cannot load the signing key")
    assert len(r.stderr.strip().splitlines()) == 1
