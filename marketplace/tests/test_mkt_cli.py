"""``claw plugin`` in-process: refusals that happen before anything is installed, lifecycle hooks,
``info``/``list``, and the entry point's import cost.

Every run sets ``CLAW_PLUGIN_INSTALLER=pip``: the development environment has no pip, so a bug that
let a refused wheel through would fail loudly instead of changing the test interpreter. Real installs
run in a fresh venv in ``tests/test_marketplace_e2e.py``.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from claw.testing import assert_import_light
from claw_marketplace.publish import keygen
from claw_marketplace.signing import fingerprint
from claw_marketplace.testing import MarketplaceDir, hook_recorder, make_wheel, read_hook_log


@pytest.fixture
def env(claw_env: dict[str, str], market: MarketplaceDir, tmp_path: Path) -> dict[str, str]:
    claw_env.update(
        CLAW_PLUGIN_INSTALLER="pip",
        CLAW_MARKETPLACE_URL=str(market.root),
        CLAW_PLUGIN_PUBLIC_KEY=str(market.public),
        HOOK_LOG=str(tmp_path / "hooks.jsonl"),
    )
    return claw_env


def one_error_line(stderr: str) -> str:
    lines = [ln for ln in stderr.splitlines() if ln.startswith("claw: error:")]
    assert len(lines) == 1, stderr
    return lines[0]


def test_entry_point_module_is_light() -> None:
    assert_import_light(
        "claw_marketplace.plugin", banned={"httpx", "cryptography", "sigstore", "pydantic", "packaging"}
    )


def test_settings_key_is_registered(claw, env, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    manifests = claw("dump-manifests", "--json").assert_success().json()
    assert {"name": "marketplace", "source": "claw-marketplace 0.1.0"}.items() <= next(
        s for s in manifests["settings"] if s["name"] == "marketplace"
    ).items()
    bad = claw("--settings", json.dumps({"marketplace": {"wheelSizeLimit": -1}}), "plugin", "install", "x")
    bad.assert_failure(1, "marketplace.wheelSizeLimit")


def test_unknown_name_suggests_close_ones(claw, env) -> None:  # type: ignore[no-untyped-def]
    r = claw("plugin", "install", "claw-helo").assert_failure(1)
    assert "unknown plugin 'claw-helo'" in one_error_line(r.stderr)
    assert "did you mean: claw-hello?" in r.stderr


def test_no_marketplace_configured(claw, env) -> None:  # type: ignore[no-untyped-def]
    del env["CLAW_MARKETPLACE_URL"]
    claw("plugin", "install", "claw-hello").assert_failure(1, "no marketplace configured")


def test_oversized_index_is_refused(claw, env, market: MarketplaceDir) -> None:  # type: ignore[no-untyped-def]
    (market.root / "index.json").write_text(json.dumps({"plugins": [], "pad": "x" * (1024 * 1024)}))
    r = claw("plugin", "install", "claw-hello").assert_failure(1)
    assert "larger than the 1,048,576-byte limit" in one_error_line(r.stderr)


def test_malformed_manifest_is_refused(claw, env, market: MarketplaceDir) -> None:  # type: ignore[no-untyped-def]
    market.manifest().write_text('{"name": "claw-hello", "version": 2}')
    r = claw("plugin", "install", "claw-hello").assert_failure(1)
    assert "manifest.json is malformed" in one_error_line(r.stderr)


def edit_manifest(market: MarketplaceDir, **changes: object) -> None:
    data = json.loads(market.manifest().read_text())
    data.update(changes)
    market.manifest().write_text(json.dumps(data))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"name": "claw-other"}, "manifest names 'claw-other' but the wheel contains 'claw-hello'"),
        ({"version": "3.0.0"}, "manifest says claw-hello 3.0.0 but the wheel contains version 2.0.0"),
        ({"claw_api": ">=5"}, "needs claw plugin API >=5"),
        ({"kernel": ">=9"}, "needs claw-kernel >=9"),
        ({"sha256": "0" * 64}, "does not match the SHA-256 in its manifest"),
        ({"signature": None}, "is not signed and signing is required"),
        ({"wheel": "../../../../etc/passwd"}, "is not a wheel"),
    ],
)
def test_manifest_refusals(
    claw, env, market: MarketplaceDir, change: dict[str, object], message: str
) -> None:  # type: ignore[no-untyped-def]
    edit_manifest(market, **change)
    r = claw("plugin", "install", "claw-hello", "--require-signed").assert_failure(1)
    assert message in one_error_line(r.stderr)


def test_tampered_wheel_is_refused(claw, env, market: MarketplaceDir) -> None:  # type: ignore[no-untyped-def]
    served = next((market.root / "claw-hello").glob("claw_hello-2.0.0-*.whl"))
    served.write_bytes(served.read_bytes() + b"trailing")
    r = claw("plugin", "install", "claw-hello").assert_failure(1)
    assert "tampered" in one_error_line(r.stderr)


def test_signature_by_another_key_is_refused(claw, env, market: MarketplaceDir, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _, other_public = keygen(tmp_path / "other")
    env["CLAW_PLUGIN_PUBLIC_KEY"] = other_public.read_text()  # inline PEM works too
    r = claw("plugin", "install", "claw-hello").assert_failure(1)
    assert "does not match the configured public key" in one_error_line(r.stderr)


def test_unsigned_required_through_the_environment(claw, env, market: MarketplaceDir) -> None:  # type: ignore[no-untyped-def]
    edit_manifest(market, signature=None)
    env["CLAW_REQUIRE_SIGNED"] = "1"
    claw("plugin", "install", "claw-hello").assert_failure(1, "is not signed and signing is required")


def test_unsigned_required_through_settings(claw, env, market: MarketplaceDir) -> None:  # type: ignore[no-untyped-def]
    edit_manifest(market, signature=None)
    settings = json.dumps({"marketplace": {"requireSigned": True}})
    claw("--settings", settings, "plugin", "install", "claw-hello").assert_failure(1, "signing is required")


def test_path_traversal_wheel_is_refused(claw, env, market: MarketplaceDir) -> None:  # type: ignore[no-untyped-def]
    for w in market.wheels.glob("*.whl"):
        w.unlink()
    make_wheel(
        market.wheels,
        "claw-hello",
        "3.0.0",
        {"../../evil.py": "boom"},
        entry_points={"hello": "claw_hello.plugin"},
    )
    # marketplace build itself refuses such a wheel, so sign it by hand as a malicious publisher would
    with pytest.raises(Exception, match="escapes the install directory"):
        market.build()
    r = claw("plugin", "install", next(market.wheels.glob("*.whl"))).assert_failure(1)
    assert "escapes the install directory" in one_error_line(r.stderr)


def test_version_not_in_marketplace(claw, env) -> None:  # type: ignore[no-untyped-def]
    claw("plugin", "install", "claw-hello", "--version", "7.0").assert_failure(
        1, "claw-hello has no version 7.0 in"
    )


def test_wheel_without_claw_entry_point(claw, env, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    w = make_wheel(tmp_path / "plain", "plain-lib", "1.0.0", {"plain_lib/__init__.py": ""})
    claw("plugin", "install", w).assert_failure(1, "registers no 'claw' entry point")


def test_pre_install_hook_blocks_and_post_reports_the_error(claw, env, plugin_module) -> None:  # type: ignore[no-untyped-def]
    plugin_module("mkt_hooks", hook_recorder("policy says no"))
    env["HOOK_BLOCK"] = "PrePluginInstall"
    os.environ.update(env)
    r = claw("plugin", "install", "claw-hello").assert_failure(1)
    assert "a PrePluginInstall hook blocked installing claw-hello: policy says no" in one_error_line(r.stderr)
    events = read_hook_log(Path(env["HOOK_LOG"]))
    assert [e["event"] for e in events] == ["PrePluginInstall", "PostPluginInstall"]
    assert events[0]["plugin"] == {
        "name": "claw-hello",
        "version": "2.0.0",
        "source": str(Path(env["CLAW_MARKETPLACE_URL"]) / "claw-hello" / "manifest.json"),
    }
    assert "policy says no" in events[1]["plugin"]["error"]  # type: ignore[index]


def test_post_install_fires_for_a_refused_download(claw, env, market: MarketplaceDir, plugin_module) -> None:  # type: ignore[no-untyped-def]
    plugin_module("mkt_hooks", hook_recorder("policy says no"))
    edit_manifest(market, sha256="0" * 64)
    claw("plugin", "install", "claw-hello").assert_failure(1)
    events = read_hook_log(Path(env["HOOK_LOG"]))
    assert [e["event"] for e in events] == ["PostPluginInstall"]
    assert "SHA-256" in events[0]["plugin"]["error"]  # type: ignore[index]


@pytest.fixture
def fake_plugin(tmp_path: Path) -> Iterator[str]:
    """A distribution ``claw-fake`` with a ``claw`` entry point, visible to importlib.metadata only."""
    site = tmp_path / "fake-site"
    info = site / "claw_fake-1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: claw-fake\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text("[claw]\nfake = claw_fake.plugin\n")
    sys.path.append(str(site))
    yield "claw-fake"
    sys.path.remove(str(site))


def test_uninstall_refusals(claw, env, plugin_module, fake_plugin: str) -> None:  # type: ignore[no-untyped-def]
    plugin_module("mkt_hooks", hook_recorder("policy says no"))
    r = claw("plugin", "uninstall", "claw-fak").assert_failure(1)
    assert "'claw-fak' is not installed (did you mean: claw-fake" in r.stderr
    claw("plugin", "uninstall", "pluggy").assert_failure(1, "is installed but is not a claw plugin")
    claw("plugin", "uninstall", "marketplace").assert_failure(1, "claw-marketplace is part of claw")
    env["HOOK_BLOCK"] = "PrePluginUninstall"
    r = claw("plugin", "uninstall", "fake").assert_failure(1)
    assert "a PrePluginUninstall hook blocked uninstalling claw-fake: policy says no" in r.stderr
    events = read_hook_log(Path(env["HOOK_LOG"]))
    assert [e["event"] for e in events] == [
        "PostPluginUninstall",  # not installed
        "PostPluginUninstall",  # not a plugin
        "PostPluginUninstall",  # part of claw
        "PrePluginUninstall",
        "PostPluginUninstall",  # blocked
    ]
    assert all("error" in e["plugin"] for e in events if e["event"] == "PostPluginUninstall")  # type: ignore[operator]
    assert events[-1]["plugin"] == {
        "name": "claw-fake",
        "version": "1.0",
        "source": "environment",
        "error": "refused: a PrePluginUninstall hook blocked uninstalling claw-fake: policy says no",
    }


def test_info_and_list(claw, env, market: MarketplaceDir) -> None:  # type: ignore[no-untyped-def]
    info = claw("plugin", "info", "claw-hello", "--json").assert_success().json()
    assert info["installed"] is None
    assert info["marketplace"]["version"] == "2.0.0" and info["marketplace"]["publisher"] == {
        "name": "Hello Inc."
    }
    text = claw("plugin", "info", "claw-hello").assert_success().stdout
    assert "marketplace: 2.0.0" in text and "signed: signature" in text
    listed = claw("plugin", "list", "--json").assert_success().json()
    assert {
        "name": "claw-marketplace",
        "version": "0.1.0",
        "entry_points": ["marketplace"],
        "source": None,
        "signer": None,
    } in listed
    claw("plugin", "info", "claw-nothing").assert_failure(1, "unknown plugin 'claw-nothing'")


def test_no_pip_and_no_uv_is_explained(claw, env, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    w = make_wheel(
        tmp_path / "w",
        "claw-hello",
        "1.0.0",
        {"claw_hello/__init__.py": "", "claw_hello/plugin.py": ""},
        entry_points={"hello": "claw_hello.plugin"},
    )
    r = claw("plugin", "install", w).assert_failure(1)
    assert "CLAW_PLUGIN_INSTALLER=pip but" in one_error_line(r.stderr) and "has no pip" in r.stderr
    del env["CLAW_PLUGIN_INSTALLER"]
    env["PATH"] = str(tmp_path / "empty")  # no uv anywhere
    r = claw("plugin", "install", w).assert_failure(1)
    assert "'uv' is not on PATH and" in one_error_line(r.stderr) and "-m ensurepip" in r.stderr


DATA = Path(__file__).parent / "data"
RFC_WHEEL = "rfc8785-0.1.2-py3-none-any.whl"
RFC_IDENTITY = {
    "issuer": "https://token.actions.githubusercontent.com",
    "identity": "https://github.com/trailofbits/rfc8785.py/.github/workflows/release.yml@refs/tags/v0.1.2",
}


def test_local_wheel_with_a_sigstore_bundle_and_identities_from_settings(claw, env, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    for name in (RFC_WHEEL, RFC_WHEEL + ".sigstore.json"):
        shutil.copy(DATA / name, tmp_path / name)
    trusted = json.dumps({"marketplace": {"sigstoreIdentities": [RFC_IDENTITY]}})
    # The bundle verifies (a real release signature), then the wheel is refused for not being a plugin.
    r = claw(
        "--settings", trusted, "plugin", "install", tmp_path / RFC_WHEEL, "--require-signed"
    ).assert_failure(1)
    assert "registers no 'claw' entry point" in one_error_line(r.stderr)
    wrong = json.dumps(
        {"marketplace": {"sigstoreIdentities": [{**RFC_IDENTITY, "identity": "https://github.com/evil/x"}]}}
    )
    r = claw(
        "--settings", wrong, "plugin", "install", tmp_path / RFC_WHEEL, "--require-signed"
    ).assert_failure(1)
    assert "Sigstore bundle of rfc8785-0.1.2-py3-none-any.whl does not verify" in one_error_line(r.stderr)


def test_marketplace_bundle_for_other_bytes_is_refused(claw, env, market: MarketplaceDir) -> None:  # type: ignore[no-untyped-def]
    """A publisher's bundle that does not sign the served wheel: refused even with a valid key signature."""
    wheel = market.add("2.1.0")
    shutil.copy(DATA / (RFC_WHEEL + ".sigstore.json"), wheel.with_name(wheel.name + ".sigstore.json"))
    market.build()
    manifest = json.loads(market.manifest().read_text())
    assert manifest["sigstore_bundle"] == wheel.name + ".sigstore.json"
    trusted = json.dumps({"marketplace": {"sigstoreIdentities": [RFC_IDENTITY]}})
    r = claw("--settings", trusted, "plugin", "install", "claw-hello").assert_failure(1)
    assert "does not verify (Bundle message digest mismatch)" in one_error_line(r.stderr)


def test_doctor_reports_the_trust_configuration(claw, env, market: MarketplaceDir) -> None:  # type: ignore[no-untyped-def]
    env["CLAW_REQUIRE_SIGNED"] = "1"
    out = claw("doctor", "--json").json()
    lines = {c["name"]: c for c in out if c["section"] == "marketplace"}
    assert lines["url"]["detail"] == str(market.root)
    assert lines["public key"] == {
        "section": "marketplace",
        "name": "public key",
        "status": "ok",
        "detail": f"ECDSA P-256 {fingerprint(market.public.read_bytes())}",
    }
    assert (lines["signatures"]["status"], lines["signatures"]["detail"]) == ("ok", "required")
    assert lines["installer"]["status"] == "fail"  # CLAW_PLUGIN_INSTALLER=pip, and no pip here
    del env["CLAW_PLUGIN_PUBLIC_KEY"]
    out = claw("doctor", "--json").json()
    lines = {c["name"]: c for c in out if c["section"] == "marketplace"}
    assert lines["signatures"]["detail"] == "required, but no key or identity is configured"


def test_a_folder_named_like_the_plugin_does_not_shadow_the_marketplace(
    claw, env, workspace, plugin_module
) -> None:  # type: ignore[no-untyped-def]
    plugin_module("mkt_hooks", hook_recorder("policy says no"))
    env["HOOK_BLOCK"] = "PrePluginInstall"
    os.environ.update(env)
    (workspace / "claw-hello").mkdir()
    claw("plugin", "install", "claw-hello").assert_failure(1, "hook blocked")
    assert read_hook_log(Path(env["HOOK_LOG"]))[0]["plugin"]["source"].endswith("manifest.json")  # type: ignore[index]
    claw("plugin", "install", "./claw-hello").assert_failure(1, "cannot build a wheel from claw-hello")
    claw("plugin", "install", "./nothing-here").assert_failure(1, "no such file or directory: ./nothing-here")
    claw(
        "plugin", "install", "claw-hello", "--version", "1.0.0", "--marketplace", "./claw-hello"
    ).assert_failure(1, "marketplace index not found")


def test_names_and_versions_cannot_climb_out_of_the_marketplace(claw, env) -> None:  # type: ignore[no-untyped-def]
    claw("plugin", "install", "claw-hello", "--version", "../../etc").assert_failure(
        1, "is not a version number"
    )
    claw("plugin", "info", "..").assert_failure(1, "'..' is not a valid plugin name")
