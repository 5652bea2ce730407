"""TodoWrite, Sleep, AskUser, ToolSearch, Skill and Markdown slash commands."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import claw
import pytest
from claw.testing import call_tool as call
from claw_tools_workflow import plugin
from claw_tools_workflow._commands import expand
from claw_tools_workflow._interaction import AskUserTool, SleepTool
from claw_tools_workflow._skill import SkillTool
from claw_tools_workflow._todo import TODOS, TodoWriteTool
from claw_tools_workflow._toolsearch import ToolSearchTool


@pytest.fixture
def ctx(workspace: Path, claw_env: dict[str, str]) -> claw.ToolContext:
    return claw.ToolContext(workspace=workspace, session_id="sess-1", env=claw_env)


def test_todowrite_validates_and_stores(ctx):
    todos = [
        {"content": "Run tests", "status": "completed", "activeForm": "Running tests"},
        {"content": "Fix bug", "status": "in_progress", "activeForm": "Fixing bug"},
        {"content": "Ship", "status": "pending", "activeForm": "Shipping"},
    ]
    result = call(TodoWriteTool(), ctx, todos=todos)
    assert result.content == "Todo list updated (1/3 completed):\n[x] Run tests\n[~] Fix bug\n[ ] Ship"
    assert ctx.stash[TODOS] == todos and result.data == {"oldTodos": [], "newTodos": todos}
    second = call(TodoWriteTool(), ctx, todos=todos[:1])
    assert second.data["oldTodos"] == todos
    assert (
        "`todos[0].status` must be one of"
        in call(TodoWriteTool(), ctx, todos=[{"content": "x", "status": "done", "activeForm": "y"}]).content
    )
    missing = call(TodoWriteTool(), ctx, todos=[{"content": "x", "status": "pending"}]).content
    assert "the required parameter `todos[0].activeForm` is missing" in missing
    assert call(TodoWriteTool(), ctx, todos="nope").is_error
    assert (
        "content must not be blank"
        in call(
            TodoWriteTool(), ctx, todos=[{"content": " ", "status": "pending", "activeForm": "y"}]
        ).content
    )
    with_id = [{"content": "x", "status": "pending", "activeForm": "y", "id": "1"}]
    assert not call(TodoWriteTool(), ctx, todos=with_id).is_error


def test_sleep_bounded_and_cancellable(ctx):
    start = time.monotonic()
    assert call(SleepTool(), ctx, duration_ms=100).content == "Slept 0.1 s."
    assert time.monotonic() - start >= 0.1
    assert "at most 300000" in call(SleepTool(), ctx, duration_ms=400_000).content
    assert call(SleepTool(), ctx, duration_ms=0).is_error

    async def interrupted() -> claw.ToolResult:
        task = asyncio.create_task(SleepTool().run({"duration_ms": 60_000}, ctx))
        await asyncio.sleep(0.1)
        ctx.cancelled.set()
        return await asyncio.wait_for(task, 5)

    result = asyncio.run(interrupted())
    assert result.is_error and "Interrupted" in result.content


def test_askuser_headless_and_programmatic(ctx):
    headless = call(AskUserTool(), ctx, question="Which DB?")
    assert headless.is_error and "no one can answer" in headless.content
    asked = []

    async def asker(question: str, options: list[str] | None) -> str | None:
        asked.append((question, options))
        return "postgres"

    answered = call(
        AskUserTool(),
        ctx.model_copy(update={"ask": asker}),
        question="Which DB?",
        options=["postgres", "sqlite"],
    )
    assert answered.content == "The user answered: postgres" and asked == [
        ("Which DB?", ["postgres", "sqlite"])
    ]


def test_toolsearch_ranks(ctx, workspace):
    session = claw.SessionContext(
        trust=claw.WorkspaceTrust(workspace, True, "this run"),
        session_id="s",
        workspace=workspace,
        settings={},
        env={},
    )
    session.available_tools = [
        claw.ToolSpec(name="Read", description="Read a file from disk."),
        claw.ToolSpec(name="NotebookEdit", description="Edit a Jupyter notebook cell."),
        claw.ToolSpec(name="WebFetch", description="Fetch a web page as markdown."),
        claw.ToolSpec(name="Edit", description="Replace text in a file."),
    ]
    with_session = ctx.model_copy(update={"session": session})
    result = call(ToolSearchTool(), with_session, query="notebook edit", max_results=2)
    assert result.data["matches"] == ["NotebookEdit", "Edit"]
    assert "input_schema" in result.content
    assert call(ToolSearchTool(), with_session, query="web", max_results=5).data["matches"] == ["WebFetch"]
    assert call(ToolSearchTool(), with_session, query="read", max_results=1).data["matches"] == ["Read"]
    picked = call(ToolSearchTool(), with_session, query="select:Edit,Nope", max_results=5)
    assert picked.data["matches"] == ["Edit"] and "not available: Nope" in picked.content
    assert "No tools match" in call(ToolSearchTool(), with_session, query="kubernetes", max_results=3).content


def test_frontmatter_and_expansion():
    meta, body = claw.parse_frontmatter(
        "---\ndescription: Review a file\nargument-hint: <file> [focus]\nallowed-tools: Bash(git diff:*), Read\n"
        "model: haiku\ntags:\n  - a\n  - b\n---\nReview $1 with focus $2.\n",
        "review.md",
    )
    assert meta == {
        "description": "Review a file",
        "argument-hint": "<file> [focus]",
        "allowed-tools": "Bash(git diff:*), Read",
        "model": "haiku",
        "tags": ["a", "b"],
    }
    assert body == "Review $1 with focus $2.\n"
    text = "All: $ARGUMENTS | first0: $ARGUMENTS[0] | second0: $ARGUMENTS[1] | one: $1 | two: $2 | nine: $9 | $0 | ${CLAUDE_SESSION_ID} ${CLAW_PROJECT_DIR}"
    out = expand(text, 'src/app.py "error handling"', session_id="S", project_dir=Path("/p"))
    assert (
        out
        == 'All: src/app.py "error handling" | first0: src/app.py | second0: error handling | one: src/app.py | two: error handling | nine:  | $0 | S /p'
    )
    assert (
        expand("Just do it.", "extra words", session_id="S", project_dir=Path("/p"))
        == "Just do it.\n\nARGUMENTS: extra words"
    )
    assert expand("No args.", "", session_id="S", project_dir=Path("/p")) == "No args."


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def test_session_commands_precedence_and_skill(ctx, workspace, claw_env):
    user = Path(claw_env["CLAW_CONFIG_DIR"]) / "commands"
    _write(user / "greet.md", "---\ndescription: user greet\n---\nHello from user, $ARGUMENTS")
    _write(user / "only-user.md", "User only $1")
    _write(workspace / ".claude/commands/greet.md", "---\ndescription: claude greet\n---\nHello from .claude")
    _write(
        workspace / ".claw/commands/greet.md",
        "---\ndescription: claw greet\nallowed-tools: [Read, Grep]\n---\nHello from .claw, $ARGUMENTS in ${CLAW_PROJECT_DIR}",
    )
    _write(workspace / ".claw/commands/frontend/component.md", "Make component $1")
    _write(
        workspace / ".claw/commands/secret.md", "---\ndisable-model-invocation: true\n---\nUser-only command"
    )
    _write(
        workspace / ".claude/skills/deploy/SKILL.md",
        "---\nname: deploy\ndescription: Deploy the app\n---\nDeploy to $1",
    )
    session = claw.SessionContext(
        trust=claw.WorkspaceTrust(workspace, True, "this run"),
        session_id="sess-1",
        workspace=workspace,
        settings={},
        env=claw_env,
    )
    plugin.claw_session_start(session)
    commands = session.commands
    assert set(commands) == {"greet", "only-user", "frontend:component", "secret", "deploy"}
    greet = commands["greet"]
    assert (
        greet.description == "claw greet"
        and greet.source == "project"
        and greet.allowed_tools == ("Read", "Grep")
    )
    assert commands["only-user"].source == "user"
    assert asyncio.run(greet.expand("Bob")) == f"Hello from .claw, Bob in {workspace}"

    with_session = ctx.model_copy(update={"session": session})
    result = call(SkillTool(), with_session, skill="/frontend:component", args="Button")
    assert result.content == "Make component Button"
    assert call(SkillTool(), with_session, skill="deploy", args="prod").content == "Deploy to prod"
    assert "only be run by the user" in call(SkillTool(), with_session, skill="secret").content
    missing = call(SkillTool(), with_session, skill="nope")
    assert missing.is_error and "available: deploy, frontend:component, greet" in missing.content
    # without a session the tool reads the same files
    assert (
        call(SkillTool(), ctx, skill="greet", args="Ann").content == f"Hello from .claw, Ann in {workspace}"
    )


def test_a_plugin_folders_commands_and_skills_are_namespaced(workspace, claw_env, tmp_path):
    """``SessionContext.plugin_folders`` (what claw-claude-plugins fills from ``--plugin-dir``): commands, a skills
    directory and a skill directory itself, named ``<plugin>:<name>``, ``${CLAUDE_PLUGIN_ROOT}``
    replaced, each also under its name without the prefix (Claude Code's shorthand); a user command of
    the same name wins."""
    root = tmp_path / "plug"
    _write(root / "commands/hello.md", "---\ndescription: Greet\n---\nHi $1 from ${CLAUDE_PLUGIN_ROOT}")
    _write(root / "commands/git/log.md", "Show the log")
    _write(root / "skills/check/SKILL.md", "---\nname: checklist\n---\nCheck ${CLAUDE_PLUGIN_ROOT}/LIST")
    _write(root / "solo/SKILL.md", "Solo skill")
    folder = claw.PluginFolder(
        name="myplug", root=root, commands=(root / "commands",), skills=(root / "skills", root / "solo")
    )

    def started() -> dict[str, claw.SlashCommand]:
        session = claw.SessionContext(session_id="s", workspace=workspace, settings={}, env=claw_env)
        session.plugin_folders = (folder,)
        plugin.claw_session_start(session)
        return session.commands

    commands = started()
    names = {"hello", "git:log", "checklist", "solo"}
    assert set(commands) == names | {f"myplug:{name}" for name in names}
    assert asyncio.run(commands["hello"].expand("Bo")) == f"Hi Bo from {root}"
    hello = commands["myplug:hello"]
    assert (hello.description, hello.source) == ("Greet", "plugin:myplug")
    assert asyncio.run(hello.expand("Ann")) == f"Hi Ann from {root}"
    assert asyncio.run(commands["myplug:checklist"].expand("")) == f"Check {root}/LIST"
    _write(Path(claw_env["CLAW_CONFIG_DIR"]) / "commands/myplug/hello.md", "Hi from the user")
    assert started()["myplug:hello"].source == "user"
