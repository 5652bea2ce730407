"""``claw.testing.permissions``: the folder, mode table and matrix that tables of permission cases share."""

from __future__ import annotations

from pathlib import Path

from claw._config import validate
from claw.testing.permissions import ALLOW, ASK, DENY, MODE_ALIASES, MODES, PermissionFolder, mode_matrix


def test_the_folder_has_a_path_of_every_kind(permission_folder: PermissionFolder) -> None:
    ws = permission_folder.workspace
    assert (ws / "a.txt").read_text() == "a" and (ws / "sub").is_dir()
    assert (ws / "link").resolve() == permission_folder.outside.resolve()
    assert (ws / "inlink").resolve() == (ws / "sub").resolve()
    assert permission_folder.home == Path(permission_folder.env["HOME"])


def test_expand_names_the_three_places_and_keeps_other_braces(permission_folder: PermissionFolder) -> None:
    text = permission_folder.expand("cat {ws}/a {out}/b {home}/c; find . -exec rm {} ;")
    ws, out, home = permission_folder.workspace, permission_folder.outside, permission_folder.home
    assert text == f"cat {ws}/a {out}/b {home}/c; find . -exec rm {{}} ;"


def test_the_project_layer_holds_the_permissions(permission_folder: PermissionFolder) -> None:
    settings = validate([permission_folder.project_layer({"allow": ["Bash(ls *)"]})])
    assert settings.data["permissions"]["allow"] == ["Bash(ls *)"]


def test_the_matrix_crosses_every_mode_and_alias_with_every_case() -> None:
    cases = {"reads": [("Read", {"file_path": "a"}), ("Grep", {"pattern": "x"})], "runs": [("Bash", {})]}
    expect = {"reads": (ALLOW,) * len(MODES), "runs": (ASK, DENY, ASK, DENY, ASK, ALLOW, ALLOW)}
    matrix = mode_matrix(cases, expect)
    assert len(matrix) == (len(MODES) + len(MODE_ALIASES)) * 3
    by_id = {param.id: param.values for param in matrix}
    assert by_id["read-only-runs-0"] == ("read-only", "Bash", {}, DENY)
    assert by_id["plan-runs-0"] == ("plan", "Bash", {}, DENY)  # judged as the mode it names
    assert by_id["acceptEdits-reads-1"] == ("acceptEdits", "Grep", {"pattern": "x"}, ALLOW)
