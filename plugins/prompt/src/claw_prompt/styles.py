"""Output styles, as Claude Code's: the settings key ``outputStyle`` names how the model should talk to the
user, a built-in style (``default``, ``Explanatory``, ``Learning``) or a custom one.

A custom style is a Markdown file ``<name>.md`` with optional YAML frontmatter
(:func:`claw.parse_frontmatter`; a file whose frontmatter is not YAML is skipped with a warning) ``name``
(else the file's stem), ``description`` and ``keep-coding-instructions`` (default false), read from, later
winning a name clash:
``~/.claude/output-styles/`` (Claude Code's user folder), ``<config dir>/output-styles/``,
``.claude/output-styles/`` then ``.claw/output-styles/`` in the workspace (as claw finds agents). Like
``CLAUDE.md`` it is text for the model only, so a folder's styles load whether or not it is trusted; bare
and safe mode (``claw.bare``, ``claw.safe_mode``) skip custom styles as they skip ``CLAUDE.md``.

Every style but ``default`` drops claw's "how to answer" instructions (its own replace them); a custom style
also drops claw's coding instructions unless ``keep-coding-instructions: true``. The style's text is the
last section of the system prompt. Names match case-insensitively.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import claw

DEFAULT = "default"


@dataclass(frozen=True)
class Style:
    name: str
    description: str
    #: The text added at the end of the system prompt (``""`` for ``default``).
    text: str
    keep_coding_instructions: bool = True


BUILTIN = (
    Style(DEFAULT, "claw's normal instructions: complete software engineering tasks efficiently", ""),
    Style(
        "Explanatory",
        "Does the work and explains the reasoning: short insights about choices and the codebase's patterns",
        """\
# Output style: Explanatory
The user wants to understand the code as well as get the task done. Do the work as usual, and alongside it \
teach:
- Before and after a meaningful step, add a short insight, set apart under a line starting with \
"Insight:", about why you chose this approach, what pattern or convention in this codebase it follows, \
or what trade-off it makes. Two or three points, specific to this code, not general programming advice.
- Explain unfamiliar parts of the codebase when you meet them (how modules fit, where data flows).
- Longer answers than usual are fine when they teach something; keep the insights accurate and concrete.""",
    ),
    Style(
        "Learning",
        "Learn by doing: claw explains its choices and asks the user to write small, meaningful pieces of code",
        """\
# Output style: Learning
The user wants to learn by doing, so share the work with them:
- Explain your choices as you go with short insights (under a line starting with "Insight:") about this \
codebase's patterns and the trade-offs of the approach.
- Do the routine parts yourself, but for a small piece where a design decision or the core logic lives \
(a function body of 2 to 10 lines, a condition, an error-handling choice), leave a `TODO(human)` marker in \
the code at that spot and ask the user to write it: say what it must do, what it should consider and \
where it goes. Ask for one such piece at a time and wait for their answer before continuing.
- When they have written it, review it kindly and concretely, then carry on.""",
    ),
)


def _custom(workspace: Path, env: Mapping[str, str]) -> list[Style]:
    folders = [
        claw.claude_config_dir(env) / "output-styles",
        claw.config_dir(env) / "output-styles",
        workspace / ".claude" / "output-styles",
        workspace / claw.PROJECT_DIR_NAME / "output-styles",
    ]
    found: list[Style] = []
    for folder in folders:
        for path in sorted(folder.glob("*.md")) if folder.is_dir() else []:
            try:
                text = claw.model_text(path.read_bytes())
            except OSError as exc:
                claw.warn(f"cannot read output style {path}: {exc}")
                continue
            try:
                meta, body = claw.parse_frontmatter(text, path)
            except claw.ConfigError as exc:
                claw.warn(f"output style skipped: {exc}")
                continue
            keep = str(meta.get("keep-coding-instructions", False)).lower() == "true"
            name, description = meta.get("name"), meta.get("description")
            found.append(Style(str(name or path.stem), str(description or ""), body.strip(), keep))
    return found


def available(workspace: Path, env: Mapping[str, str]) -> dict[str, Style]:
    """Every style by lower-cased name, built-ins first; a later custom file replaces a same-named one."""
    customs = [] if claw.bare(env) or claw.safe_mode(env) else _custom(workspace, env)
    return {s.name.lower(): s for s in (*BUILTIN, *customs)}


def active(name: object, workspace: Path, env: Mapping[str, str]) -> Style:
    """The style ``outputStyle`` names; ``default`` when unset, and for an unknown name after one line on
    stderr naming the styles there are (bare and safe mode say nothing of a custom name they skip)."""
    if not isinstance(name, str) or not name:
        return BUILTIN[0]  # no folder is read for a run that names no style
    return chosen(name, available(workspace, env), env)


def chosen(name: object, styles: Mapping[str, Style], env: Mapping[str, str]) -> Style:
    """:func:`active` among ``styles`` already read (:func:`available`)."""
    if not isinstance(name, str) or not name:
        return BUILTIN[0]
    if (style := styles.get(name.lower())) is not None:
        return style
    if not (claw.bare(env) or claw.safe_mode(env)):
        names = ", ".join(s.name for s in styles.values())
        claw.warn(f'outputStyle "{name}": no such output style (available: {names}); using default')
    return BUILTIN[0]
