"""Path resolution and gitignore-style patterns."""

from __future__ import annotations

import os

import pytest
from claw_permissions.paths import compile_pattern, inside, resolve

RELATIVE = [
    "a",
    "a/b/c",
    "link",
    "link/x/y",
    "a/link2/z",
    "missing/x",
    "a/../link/x",
    "./a//b",
    "~/x",
    ".",
    "a/./b",
]


@pytest.fixture
def tree(tmp_path):
    ws = tmp_path / "ws"
    (ws / "a" / "b").mkdir(parents=True)
    out = tmp_path / "out"
    (out / "x").mkdir(parents=True)
    (ws / "link").symlink_to(out)
    (ws / "a" / "link2").symlink_to(ws / "a" / "b")
    return os.path.realpath(ws), str(tmp_path / "home")


@pytest.mark.parametrize("rel", RELATIVE)
def test_resolve_agrees_with_realpath(tree, rel):
    ws, home = tree
    expected = os.path.realpath(os.path.join(ws, rel.replace("~", home, 1) if rel.startswith("~") else rel))
    assert resolve(rel, ws, home) == expected
    assert resolve(os.path.join(ws, rel) if not rel.startswith("~") else rel, ws, home) == expected


def test_inside(tree):
    ws, _ = tree
    assert inside(ws, [ws]) and inside(ws + "/x", [ws])
    assert not inside(ws + "x", [ws]) and not inside("/", [ws])


@pytest.mark.parametrize(
    ("spec", "path", "matches"),
    [
        ("./secrets/**", "{cwd}/secrets/a/b", True),
        ("./secrets/**", "{cwd}/secretsx/a", False),
        ("secrets", "{cwd}/x/secrets/y", True),
        ("*.env", "{cwd}/deep/dir/.env", True),
        ("*.env", "{cwd}/deep/dir/prod.env", True),
        (".env", "{cwd}/.env", True),
        ("/src/**/*.ts", "{anchor}/src/a/b/c.ts", True),
        ("/src/**/*.ts", "{cwd}/src/a.ts", False),
        ("/src/*.ts", "{anchor}/src/a/b.ts", False),
        ("//etc/passwd", "/etc/passwd", True),
        ("~/.ssh/**", "{home}/.ssh/id", True),
        ("./a?.txt", "{cwd}/ab.txt", True),
        ("./[ab].txt", "{cwd}/c.txt", False),
        # the one answer claw._globs gives everywhere: "**" inside a segment is "*", braces expand
        ("./src/a**b", "{cwd}/src/aXX/YYb", False),
        ("./src/a**b", "{cwd}/src/aXXb", True),
        ("*.{py,md}", "{cwd}/docs/x.md", True),
        ("*.{py,md}", "{cwd}/x.txt", False),
        ("./secrets", "{cwd}/secrets/deep/key", True),
        ("./src/", "{cwd}/src/a.py", True),
    ],
)
def test_patterns(tmp_path, spec, path, matches):
    dirs = {k: str(tmp_path / k) for k in ("cwd", "anchor", "home")}
    test = compile_pattern(spec, dirs["anchor"], dirs["cwd"], dirs["home"])
    assert test(path.format(**dirs)) is matches
