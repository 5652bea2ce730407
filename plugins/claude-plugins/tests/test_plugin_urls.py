"""``claw --plugin-url URL`` (Claude Code's flag): a plugin ``.zip`` served by a loopback HTTP server the test
starts, fetched, unpacked into a private temporary folder that is gone once the run ends, and loaded as a
``--plugin-dir`` folder; an archive that would write outside its folder, a symbolic link, an HTTP error, a
body that is not a zip or holds no plugin each end the run in one line before the model is asked."""

from __future__ import annotations

import functools
import http.server
import json
import stat
import threading
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from claw.testing.script import Reply, Text

#: A plugin whose UserPromptSubmit hook (an executable script in the archive) adds a line naming its
#: folder to the prompt: the plugin loaded, its hook ran from the unpacked folder.
HOOKS = {
    "hooks": {
        "UserPromptSubmit": [{"hooks": [{"type": "command", "command": "${CLAUDE_PLUGIN_ROOT}/say.sh"}]}]
    }
}
SAY = '#!/bin/sh\necho "zipped plugin at $CLAUDE_PLUGIN_ROOT"\n'


class _Quiet(http.server.SimpleHTTPRequestHandler):
    """Serves files without logging each request to stderr (in-process runs share it)."""

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Callable[[str, dict[str, Any]], str]]:
    """``served(name, {path: text | (text, mode)})``: a zip of those files, served over loopback HTTP;
    returns its URL."""
    root = tmp_path / "served"
    root.mkdir()
    handler = functools.partial(_Quiet, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()

    def serve(name: str, files: dict[str, Any]) -> str:
        with zipfile.ZipFile(root / name, "w") as zf:
            for path, body in files.items():
                text, mode = body if isinstance(body, tuple) else (body, 0o644)
                info = zipfile.ZipInfo(path)
                info.external_attr = (mode if mode & 0o170000 else stat.S_IFREG | mode) << 16
                zf.writestr(info, text)
        return f"http://127.0.0.1:{server.server_address[1]}/{name}"

    yield serve
    server.shutdown()
    server.server_close()


def _plugin(top: str = "") -> dict[str, Any]:
    return {
        f"{top}.claude-plugin/plugin.json": json.dumps({"name": "zipped", "version": "1.0.0"}),
        f"{top}hooks/hooks.json": json.dumps(HOOKS),
        f"{top}say.sh": (SAY, 0o755),
    }


@pytest.fixture
def tmpdir_env(claw: Any, tmp_path: Path) -> Path:
    """The run's ``TMPDIR``, where the archive is unpacked."""
    where = tmp_path / "tmp"
    where.mkdir()
    claw.env["TMPDIR"] = str(where)
    return where


@pytest.mark.parametrize("top", ["", "zipped-1.0.0/"], ids=["at-the-top", "in-one-folder"])
def test_a_zipped_plugin_loads_and_its_folder_is_gone_after_the_run(
    claw: Any, scripted: Any, served: Any, tmpdir_env: Path, top: str
) -> None:
    url = served("zipped.zip", _plugin(top))
    scripted.script(Reply(Text("hi")))
    done = claw.subprocess("--model", "scripted/default", "-p", "hello", "--plugin-url", url)
    done.assert_success()
    prompt = json.dumps(scripted.requests[0]["messages"][-1])
    root = prompt.split("zipped plugin at ", 1)[1].split("\\n", 1)[0].split('"', 1)[0]
    assert root.startswith(str(tmpdir_env / "claw-plugin-url-")), prompt
    assert root.endswith("/zipped" + ("/zipped-1.0.0" if top else ""))
    assert list(tmpdir_env.iterdir()) == [], "the unpacked plugin is removed when the run ends"


@pytest.mark.parametrize(
    ("files", "error"),
    [
        (
            {"../evil.txt": "x", ".claude-plugin/plugin.json": "{}"},
            "../evil.txt: a path outside the plugin folder",
        ),
        ({"/etc/evil": "x"}, "/etc/evil: a path outside the plugin folder (refused)"),
        (
            {"commands/link": ("/etc/passwd", stat.S_IFLNK | 0o777)},
            "commands/link: a symbolic link in the archive",
        ),
        ({"README.md": "nothing here"}, "no Claude Code plugin in the archive"),
    ],
    ids=["zip-slip", "absolute", "symlink", "no-plugin"],
)
def test_a_refused_archive_ends_the_run_in_one_line(
    claw: Any, scripted: Any, served: Any, tmpdir_env: Path, files: dict[str, Any], error: str
) -> None:
    url = served("bad.zip", files)
    done = claw.subprocess("--model", "scripted/default", "-p", "hi", "--plugin-url", url)
    done.assert_failure(2, f"--plugin-url: {url}: {error}")
    assert len(done.stderr.strip().splitlines()) == 1 and scripted.requests == []
    assert not (tmpdir_env.parent / "evil.txt").exists() and list(tmpdir_env.iterdir()) == []


def test_an_http_error_or_a_body_that_is_not_a_zip_is_one_line(claw: Any, scripted: Any, served: Any) -> None:
    url = served("plugin.zip", _plugin())
    missing = url.replace("plugin.zip", "gone.zip")
    done = claw("--model", "scripted/default", "-p", "hi", "--plugin-url", missing)
    done.assert_failure(2, f"--plugin-url: {missing}: HTTP 404 File not found")
    assert len(done.stderr.strip().splitlines()) == 1 and scripted.requests == []
    page = url.rsplit("/", 1)[0] + "/"  # the server's directory listing: HTML, not a zip
    done = claw("--model", "scripted/default", "-p", "hi", "--plugin-url", page)
    done.assert_failure(2, f"--plugin-url: {page}: not a zip archive")
    done = claw("--model", "scripted/default", "-p", "hi", "--plugin-url", "ftp://example.com/p.zip")
    done.assert_failure(2, "--plugin-url: ftp://example.com/p.zip: not an http:// or https:// URL")
    assert scripted.requests == []


def test_safe_mode_fetches_nothing(claw: Any, scripted: Any) -> None:
    """As ``--plugin-dir``: Claude Code's safe mode disables a plugin however it was asked for."""
    scripted.script(Reply(Text("hi")))
    url = "http://127.0.0.1:9/never.zip"  # nothing listens: a fetch would end the run
    claw("--model", "scripted/default", "--safe-mode", "-p", "hi", "--plugin-url", url).assert_success()


def _zip(path: Path, files: dict[str, Any]) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        for name, body in files.items():
            text, mode = body if isinstance(body, tuple) else (body, 0o644)
            info = zipfile.ZipInfo(name)
            info.external_attr = (stat.S_IFREG | mode) << 16
            zf.writestr(info, text)
    return path


def test_plugin_dir_takes_a_zip_as_claude_code_does(
    claw: Any, scripted: Any, tmpdir_env: Path, tmp_path: Path
) -> None:
    # Claude Code 2.1.128: --plugin-dir also takes a .zip; unpacked and checked as a --plugin-url one is.
    archive = _zip(tmp_path / "zipped.zip", _plugin("zipped-1.0.0/"))
    scripted.script(Reply(Text("hi")))
    claw.subprocess(
        "--model", "scripted/default", "-p", "hello", "--plugin-dir", str(archive)
    ).assert_success()
    prompt = json.dumps(scripted.requests[0]["messages"][-1])
    assert f"zipped plugin at {tmpdir_env / 'claw-plugin-url-'}" in prompt, prompt
    assert list(tmpdir_env.iterdir()) == [], "the unpacked plugin is removed when the run ends"
    bad = _zip(tmp_path / "bad.zip", {"../evil.txt": "x", ".claude-plugin/plugin.json": "{}"})
    done = claw.subprocess("--model", "scripted/default", "-p", "hi", "--plugin-dir", str(bad))
    done.assert_failure(2, f"--plugin-dir: {bad.resolve()}: ../evil.txt: a path outside the plugin folder")
    assert len(scripted.requests) == 1 and not (tmpdir_env.parent / "evil.txt").exists()
