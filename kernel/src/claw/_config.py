"""Layered settings: load, merge, validate and remember where each value came from. The layers and their
files (Claude Code's directly below claw's at each scope), ``--setting-sources`` and the merge rules are
described in docs/configuration.md, "Settings files"."""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from claw import _console as console
from claw import _paths as paths
from claw._errors import ConfigError


@dataclass
class Layer:
    """One source of settings. ``label`` is what messages and ``config show`` print."""

    scope: str  # defaults | user | project | local | cli | managed
    label: str
    data: dict[str, Any]
    #: The file's directory anchor for relative permission paths (project root, config dir).
    anchor: Path | None = None
    #: ``"claude"`` for Claude Code's own files: keys claw does not know are expected there.
    origin: str = "claw"


#: The file scopes ``--setting-sources`` chooses from.
FILE_SCOPES = ("user", "project", "local")


@dataclass(frozen=True)
class SettingsFile:
    """Where one file-scope settings layer is read from (it may not exist)."""

    scope: str
    path: Path
    anchor: Path
    origin: str  # claude | claw


def settings_files(
    workspace: Path, env: Mapping[str, str], sources: Sequence[str] | None = None
) -> list[SettingsFile]:
    """The user, project and local settings files, lowest precedence first: at each scope Claude
    Code's file, then claw's. ``sources`` (``--setting-sources``) keeps only those scopes."""
    cfg, claude = paths.config_dir(env), paths.claude_config_dir(env)
    project, claude_project = workspace / paths.PROJECT_DIR_NAME, workspace / paths.CLAUDE_PROJECT_DIR_NAME
    files = [
        SettingsFile("user", claude / "settings.json", claude, "claude"),
        SettingsFile("user", cfg / "settings.json", cfg, "claw"),
        SettingsFile("project", claude_project / "settings.json", workspace, "claude"),
        SettingsFile("project", project / "settings.json", workspace, "claw"),
        SettingsFile("local", claude_project / "settings.local.json", workspace, "claude"),
        SettingsFile("local", project / "settings.local.json", workspace, "claw"),
    ]
    return [f for f in files if sources is None or f.scope in sources]


def read_json_file(path: Path) -> dict[str, Any] | None:
    """Parse a JSON settings-style file (an object at the top); ``None`` when it does not exist.

    :raises ConfigError: ``<file>:<line>:<col>: invalid JSON: <why>``, ``<file>:<line>: not valid
        UTF-8``, or when the top level is not an object.
    """
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror}") from exc
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        # JSON is UTF-8 (RFC 8259); guessing would silently change a value such as a path in a rule.
        line = data.count(b"\n", 0, exc.start) + 1
        raise ConfigError(
            f"{path}:{line}: not valid UTF-8 (byte 0x{data[exc.start]:02x}); save the file as UTF-8"
        ) from None
    return parse_json(text, str(path))


def parse_json(text: str, label: str) -> dict[str, Any]:
    """Parse ``text`` as a JSON object; ``label`` (a file name) starts every error message.

    :raises ConfigError: ``<label>:<line>:<col>: invalid JSON: <why>``, or when the top level is not
        an object."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConfigError(f"{label}:{exc.lineno}:{exc.colno}: invalid JSON: {exc.msg}") from exc
    if not isinstance(data, dict):
        raise ConfigError(f"{label}: settings must be a JSON object, not {type(data).__name__}")
    return data


def load_layers(
    workspace: Path,
    env: Mapping[str, str],
    *,
    cli_settings: str | None = None,
    managed_path: Path | None = None,
    setting_sources: Sequence[str] | None = None,
) -> list[Layer]:
    """Read every settings layer that exists, lowest precedence first.

    :param cli_settings: ``--settings`` value: a file path or an inline JSON object.
    :param setting_sources: ``--setting-sources``: the file scopes to read (default all).
    """
    layers: list[Layer] = []
    for file in settings_files(workspace, env, setting_sources):
        data = read_json_file(file.path)
        if data is not None:
            layers.append(Layer(file.scope, str(file.path), data, file.anchor, file.origin))
    if cli_settings is not None:
        stripped = cli_settings.strip()
        if stripped.startswith("{"):
            layers.append(Layer("cli", "--settings", parse_json(stripped, "--settings"), workspace))
        else:
            path = Path(cli_settings).expanduser()
            data = read_json_file(path)
            if data is None:
                raise ConfigError(f"--settings: no such file: {path}")
            layers.append(Layer("cli", str(path), data, path.parent.resolve()))
    managed = managed_path or paths.MANAGED_SETTINGS
    data = read_json_file(managed)
    if data is not None:
        layers.append(Layer("managed", str(managed), data, managed.parent))
    return layers


def _merge(
    base: dict[str, Any], sources: dict[str, str], new: Mapping[str, Any], label: str, prefix: str = ""
) -> None:
    from claw._settings import ORDERED_LISTS

    for key, value in new.items():
        path = f"{prefix}{key}"
        old = base.get(key)
        if isinstance(value, dict) and isinstance(old, dict):
            _merge(old, sources, value, label, path + ".")
        elif isinstance(value, list) and isinstance(old, list) and path not in ORDERED_LISTS:
            start = len(old)
            old.extend(v for v in value if v not in old)
            for i in range(start, len(old)):
                sources[f"{path}[{i}]"] = label
        else:
            base[key] = json.loads(json.dumps(value))  # a deep copy layers cannot share
            _record(sources, path, base[key], label)


def _record(sources: dict[str, str], path: str, value: Any, label: str) -> None:
    for k in [k for k in sources if k == path or k.startswith(path + ".") or k.startswith(path + "[")]:
        del sources[k]
    if isinstance(value, dict) and value:
        for k, v in value.items():
            _record(sources, f"{path}.{k}", v, label)
    elif isinstance(value, list) and value:
        for i in range(len(value)):
            sources[f"{path}[{i}]"] = label
    else:
        sources[path] = label


def merge_layers(layers: list[Layer]) -> tuple[dict[str, Any], dict[str, str]]:
    """Merge layers into one mapping plus ``{key path: layer label}`` for each leaf value."""
    merged: dict[str, Any] = {}
    sources: dict[str, str] = {}
    for layer in layers:
        _merge(merged, sources, layer.data, layer.label)
    return merged, sources


@dataclass
class EffectiveSettings:
    """The merged, validated settings of a run."""

    #: The typed view of the keys the kernel knows.
    model: Any  # claw._settings.Settings (typed lazily to keep this module import-light)
    #: The merged JSON, defaults filled in, plugin keys included: what ``config show`` prints.
    data: dict[str, Any]
    #: ``"permissions.allow[0]" -> "/home/u/.config/claw/settings.json"``.
    sources: dict[str, str]
    layers: list[Layer] = field(default_factory=list)
    #: The folder's trust (:mod:`claw._trust`): whether the workspace layers' code-running keys, its
    #: ``.mcp.json`` servers and its commands' ``!`cmd` `` lines take effect. ``None``: not decided
    #: (settings validated outside a run), which plugins treat as untrusted.
    trust: Any = None  # claw._trust.WorkspaceTrust
    #: What the workspace layers set that was left out because the folder is not trusted.
    held_back: list[Any] = field(default_factory=list)  # claw._trust.HeldBack

    def get(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default)

    @property
    def trusted(self) -> bool:
        """Whether the folder is trusted (:attr:`trust`); undecided counts as not."""
        return bool(self.trust is not None and self.trust.trusted)


def key_path(loc: Iterable[Any]) -> str:
    """``("hooks", "Stop", 0)`` -> ``hooks.Stop[0]``: where a value sits, as messages name it. pydantic's
    ``"[key]"`` (the error is in a mapping's key, not its value) is left out: the key is the last part."""
    out = ""
    for part in loc:
        if part != "[key]":
            out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _unknown_key(layer: Layer, key: str, known: Iterable[str]) -> None:
    """A key no schema knows: a warning naming the closest known one; in Claude Code's files, which have
    many keys claw has no use for, only a debug line."""
    if layer.origin == "claude":
        from claw._log import get_logger

        get_logger("claw._config").debug("unused_claude_setting", file=layer.label, key=key)
        return
    name = key.rpartition(".")[2]
    hint = difflib.get_close_matches(name, sorted(known), n=1)
    suggestion = f' (did you mean "{key[: len(key) - len(name)]}{hint[0]}"?)' if hint else ""
    console.warn(f'{layer.label}: unknown settings key "{key}"{suggestion}; ignored')


def _unknown_inside(value: Any, path: str) -> Iterable[tuple[str, list[str]]]:
    """``(key path, the names known there)`` for each key one of the kernel's settings sections does not
    know. They keep such keys (``extra="allow"``), so without this a typo such as ``sandbox.enabeld`` left
    the sandbox off without a word. (A plugin's section says itself what it accepts: ``agents`` is open
    to its backends' keys, most forbid unknown ones.)"""
    from claw._settings import _Section

    if not isinstance(value, _Section):
        return
    names = list(type(value).model_fields)
    for key in value.model_extra or {}:
        yield f"{path}.{key}", names
    for name in names:
        yield from _unknown_inside(getattr(value, name), f"{path}.{name}")


def _invalid(label: str, exc: Any, *loc: Any) -> ConfigError:
    """``<label>: <key path>: <what is wrong>`` for a pydantic ``ValidationError`` under ``loc``, reporting
    an unknown key first (a typo also makes the intended key "missing")."""
    errors = exc.errors()
    err = next((e for e in errors if e.get("type") == "extra_forbidden"), errors[0])
    return ConfigError(f"{label}: {key_path((*loc, *err['loc']))}: {err['msg']}")


def validate(
    layers: list[Layer], plugin_keys: Mapping[str, Any] | None = None, restricted: Sequence[str] = ()
) -> EffectiveSettings:
    """Validate each layer (so an error names its file), then the merge.

    :param plugin_keys: ``{key: type or pydantic model}`` registered by plugins.
    :param restricted: key paths left out of the workspace (project, local) layers before the merge:
        the folder is not trusted (:func:`claw._trust.restricted_layers`).
    :raises ConfigError: ``<file>: <key path>: <what is wrong>``.
    """
    from pydantic import TypeAdapter, ValidationError

    from claw._plugins import SETTINGS_PROVIDERS, missing_provider
    from claw._settings import Settings

    plugin_keys = dict(plugin_keys or {})
    known = set(Settings.model_fields) | {"$schema"} | set(plugin_keys)
    for layer in layers:
        try:
            sections = {k: v for k, v in Settings.model_validate(layer.data) if k in layer.data}
        except ValidationError as exc:
            raise _invalid(layer.label, exc) from exc
        for key, model in plugin_keys.items():
            if key in layer.data:
                try:
                    sections[key] = TypeAdapter(model).validate_python(layer.data[key])
                except ValidationError as exc:
                    raise _invalid(layer.label, exc, key) from exc
        for key in layer.data:
            if key not in known and key in SETTINGS_PROVIDERS:
                console.warn(missing_provider(key))
            elif key not in known:
                _unknown_key(layer, key, known)
        for key, value in sections.items():
            for path, names in _unknown_inside(value, key):
                _unknown_key(layer, path, names)
    held: list[Any] = []
    if restricted:
        from claw._trust import restricted_layers

        layers, held = restricted_layers(layers, restricted)
    merged, sources = merge_layers(layers)
    model = Settings.model_validate(merged)
    data = model.model_dump(by_alias=True, exclude_none=True)
    data.pop("$schema", None)
    data.update({k: v for k, v in merged.items() if k not in data and k != "$schema"})
    return EffectiveSettings(model=model, data=data, sources=sources, layers=layers, held_back=held)
