"""``install_hints``: a subcommand or flag ``claw`` does not know, which a first-party distribution or a
disabled built-in adds (:mod:`.names`), is one usage error naming what to install or enable, not click's
"No such option" or a guess at a typo. Disabled, such a name gets click's own error."""

from __future__ import annotations

from claw import hookimpl


@hookimpl(trylast=True)
def claw_unknown_name(name: str) -> str | None:
    from claw._builtins.install_hints.names import why_missing

    return why_missing(name)
