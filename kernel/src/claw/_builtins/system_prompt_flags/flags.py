"""The system prompt flags' table (imported for ``claw --help``: click only). Each ``-file`` option puts
its file's text in its text option's parameter (``system_prompt``, ``append_system_prompt``): whichever
of the two click reads second finds the other given, and refuses the pair."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from claw._errors import UsageError

if TYPE_CHECKING:
    from claw._loop.options import LoopOptions

_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)


def options() -> list[click.Option]:
    """The options, in the order ``claw --help`` lists them."""
    return [
        click.Option(["--system-prompt"], callback=_text, help="Replace claw's own instructions."),
        click.Option(
            ["--system-prompt-file"],
            type=_FILE,
            expose_value=False,
            callback=_read,
            help="Replace claw's own instructions with this file's text.",
        ),
        click.Option(
            ["--append-system-prompt"], callback=_text, help="Add text to the end of the system prompt."
        ),
        click.Option(
            ["--append-system-prompt-file"],
            type=_FILE,
            expose_value=False,
            callback=_read,
            help="Add this file's text to the end of the system prompt.",
        ),
    ]


def _text(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """A text option's callback: given with its file form, a usage error; not given, the file's text."""
    read = ctx.params.get(param.name or "")
    if value is not None and read is not None:
        raise _together(param.name or "")
    return read if value is None else value


def _read(ctx: click.Context, param: click.Parameter, path: Path | None) -> None:
    """A ``-file`` option's callback: the file's text into the text option's parameter.

    :raises claw.UsageError: the text option given too, or a file that cannot be read.
    """
    if path is None or ctx.resilient_parsing:
        return
    key = (param.name or "").removesuffix("_file")
    if ctx.params.get(key) is not None:
        raise _together(key)
    try:
        ctx.params[key] = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{_flag(key)}-file: cannot read {path}: {exc}") from None


def _flag(key: str) -> str:
    return "--" + key.replace("_", "-")


def _together(key: str) -> UsageError:
    return UsageError(f"{_flag(key)} and {_flag(key)}-file cannot be used together")


def adjust(options: LoopOptions) -> None:
    """The texts (a ``-file`` option's already read into its text option) onto ``options``."""
    options.system_prompt = options.extra.get("system_prompt")
    options.append_system_prompt = options.extra.get("append_system_prompt")
