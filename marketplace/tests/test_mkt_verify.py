"""The one verification function: every refusal it owns, in the order it checks."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from claw_marketplace.errors import MarketplaceError
from claw_marketplace.settings import Trust
from claw_marketplace.signing import sign_digest
from claw_marketplace.testing import make_wheel
from claw_marketplace.verify import Candidate, verify

PLUGIN = 'import claw\nCLAW_API = "{api}"\n'


def wheel(tmp_path: Path, version: str = "1.0.0", *, api: str = ">=1.0,<2", **kwargs: object) -> Path:
    return make_wheel(
        tmp_path / f"w{len(list(tmp_path.glob('w*')))}",
        "claw-hello",
        version,
        {"claw_hello/__init__.py": "", "claw_hello/plugin.py": PLUGIN.format(api=api)},
        entry_points={"hello": "claw_hello.plugin"},
        **kwargs,  # type: ignore[arg-type]
    )


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def signed(path: Path, key: Path, **kwargs: object) -> Candidate:
    return Candidate(
        wheel=path,
        source="test",
        expected_name="claw-hello",
        expected_version="1.0.0",
        expected_sha256=sha(path),
        signature=sign_digest(sha(path), key.read_bytes()),
        **kwargs,  # type: ignore[arg-type]
    )


def test_signed_wheel_passes_and_names_its_signer(tmp_path: Path, keypair: tuple[Path, Path]) -> None:
    w = wheel(tmp_path)
    result = verify(signed(w, keypair[0]), Trust(public_key_pem=keypair[1].read_bytes(), require_signed=True))
    assert result.info.name == "claw-hello" and result.signer and result.signer.startswith("key SHA256:")
    assert result.sha256 == sha(w)


def test_tampered_wheel_is_refused(tmp_path: Path, keypair: tuple[Path, Path]) -> None:
    w = wheel(tmp_path)
    candidate = signed(w, keypair[0])
    w.write_bytes(w.read_bytes() + b"\0")
    with pytest.raises(MarketplaceError, match="does not match the SHA-256 in its manifest"):
        verify(candidate, Trust(public_key_pem=keypair[1].read_bytes()))


def test_tampered_wheel_with_a_matching_manifest_hash_fails_the_signature(
    tmp_path: Path, keypair: tuple[Path, Path]
) -> None:
    w = wheel(tmp_path)
    candidate = signed(w, keypair[0])
    w.write_bytes(w.read_bytes() + b"\0")
    candidate.expected_sha256 = sha(w)
    with pytest.raises(MarketplaceError, match="does not match the configured public key"):
        verify(candidate, Trust(public_key_pem=keypair[1].read_bytes()))


def test_signature_by_another_key_is_refused(tmp_path: Path, keypair: tuple[Path, Path]) -> None:
    from claw_marketplace.publish import keygen

    other, _ = keygen(tmp_path / "other")
    with pytest.raises(MarketplaceError, match="does not match the configured public key"):
        verify(signed(wheel(tmp_path), other), Trust(public_key_pem=keypair[1].read_bytes()))


def test_unsigned_is_refused_when_signing_is_required(tmp_path: Path, keypair: tuple[Path, Path]) -> None:
    w = wheel(tmp_path)
    with pytest.raises(MarketplaceError, match="is not signed and signing is required"):
        verify(
            Candidate(wheel=w, source="x"), Trust(public_key_pem=keypair[1].read_bytes(), require_signed=True)
        )
    assert verify(Candidate(wheel=w, source="x"), Trust()).signer is None


def test_signed_without_a_configured_key_is_not_trusted(
    tmp_path: Path, keypair: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    candidate = signed(wheel(tmp_path), keypair[0])
    assert verify(candidate, Trust()).signer is None
    assert "no public key is configured" in capsys.readouterr().err
    with pytest.raises(MarketplaceError, match="no signature a configured key or identity can check"):
        verify(candidate, Trust(require_signed=True))


def test_manifest_name_must_match_metadata(tmp_path: Path) -> None:
    w = wheel(tmp_path)
    with pytest.raises(
        MarketplaceError, match="manifest names 'claw-other' but the wheel contains 'claw-hello'"
    ):
        verify(Candidate(wheel=w, source="x", expected_name="claw-other"), Trust())


def test_manifest_version_must_match_metadata(tmp_path: Path) -> None:
    w = wheel(tmp_path)
    with pytest.raises(
        MarketplaceError, match=r"manifest says claw-hello 2.0.0 but the wheel contains version 1.0.0"
    ):
        verify(Candidate(wheel=w, source="x", expected_version="2.0.0"), Trust())


def test_downgrade_is_refused_unless_allowed(tmp_path: Path) -> None:
    w = wheel(tmp_path)
    with pytest.raises(MarketplaceError, match=r"would downgrade the installed 2.0.0"):
        verify(Candidate(wheel=w, source="x"), Trust(), installed={"claw-hello": "2.0.0"})
    assert verify(
        Candidate(wheel=w, source="x"), Trust(), installed={"claw-hello": "2.0.0"}, allow_downgrade=True
    )
    assert verify(Candidate(wheel=w, source="x"), Trust(), installed={"claw-hello": "0.9"})


@pytest.mark.parametrize(
    ("api", "manifest_api", "kernel", "message"),
    [
        (">=2.0,<3", None, None, "needs claw plugin API >=2.0,<3"),
        (">=1.0,<2", ">=9", None, "needs claw plugin API >=9"),
        (">=1.0,<2", None, ">=5", "needs claw-kernel >=5"),
        ("one", None, None, "invalid plugin API range"),
    ],
)
def test_incompatible_ranges_are_refused(
    tmp_path: Path, api: str, manifest_api: str | None, kernel: str | None, message: str
) -> None:
    w = wheel(tmp_path, api=api)
    with pytest.raises(MarketplaceError, match=message):
        verify(Candidate(wheel=w, source="x", claw_api=manifest_api, kernel=kernel), Trust())


def test_kernel_requirement_in_the_wheel_is_checked(tmp_path: Path) -> None:
    w = wheel(tmp_path, requires=("claw-kernel>=7",))
    with pytest.raises(MarketplaceError, match="needs claw-kernel >=7"):
        verify(Candidate(wheel=w, source="x"), Trust())


def test_wheel_without_claw_entry_point_is_refused(tmp_path: Path) -> None:
    w = make_wheel(tmp_path, "plain-lib", "1.0.0", {"plain_lib/__init__.py": ""})
    with pytest.raises(MarketplaceError, match="registers no 'claw' entry point"):
        verify(Candidate(wheel=w, source="x"), Trust())


def test_size_limit(tmp_path: Path) -> None:
    w = wheel(tmp_path)
    with pytest.raises(MarketplaceError, match="larger than the 100-byte limit"):
        verify(Candidate(wheel=w, source="x"), Trust(wheel_size_limit=100))


def test_path_traversal_is_refused_even_when_signed(tmp_path: Path, keypair: tuple[Path, Path]) -> None:
    w = make_wheel(
        tmp_path, "claw-hello", "1.0.0", {"../../evil.py": ""}, entry_points={"hello": "claw_hello.plugin"}
    )
    with pytest.raises(MarketplaceError, match="escapes the install directory"):
        verify(signed(w, keypair[0]), Trust(public_key_pem=keypair[1].read_bytes()))
