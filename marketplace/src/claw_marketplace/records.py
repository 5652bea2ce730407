"""Install records under ``<state dir>/plugins/``: one JSON file per plugin, plus the installed wheel
kept in ``wheels/`` so a failed update can put the previous version back."""

from __future__ import annotations

import contextlib
import json
import shutil
import time
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path

from claw import atomic_write, state_dir, warn


@dataclass
class InstallRecord:
    name: str
    version: str
    #: Manifest URL, wheel path or project directory it was installed from.
    source: str
    sha256: str
    signer: str | None = None
    #: File name of the kept wheel in ``wheels/``.
    wheel: str = ""
    entry_points: list[str] = field(default_factory=list)
    installed_at: float = field(default_factory=time.time)
    #: The marketplace base URL, for ``claw plugin update``; None for local installs.
    marketplace: str | None = None


class Records:
    """The record store of one state directory."""

    def __init__(self, env: Mapping[str, str]) -> None:
        self.root = state_dir(env) / "plugins"
        self.wheels = self.root / "wheels"

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """One install, update or uninstall at a time per state directory: two at once would run two
        package installers over one environment and two writers over the records. A second one waits,
        saying so, and then sees what the first one did."""
        import fcntl

        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / ".lock", "w") as fh:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                warn(
                    "another claw plugin install, update or uninstall is running; waiting for it", once=False
                )
                fcntl.flock(fh, fcntl.LOCK_EX)
            yield

    def _file(self, name: str) -> Path:
        from claw_marketplace.wheels import normalize

        return self.root / f"{normalize(name)}.json"

    def get(self, name: str) -> InstallRecord | None:
        try:
            data = json.loads(self._file(name).read_text(encoding="utf-8"))
            return InstallRecord(**data)
        except (OSError, ValueError, TypeError):
            return None

    def all(self) -> list[InstallRecord]:
        if not self.root.is_dir():
            return []
        found = (self.get(p.stem) for p in sorted(self.root.glob("*.json")))
        return [r for r in found if r is not None]

    def kept_wheel(self, record: InstallRecord) -> Path | None:
        path = self.wheels / record.wheel
        return path if record.wheel and path.is_file() else None

    def save(self, record: InstallRecord, wheel: Path) -> None:
        """Keep ``wheel`` and write the record atomically."""
        self.wheels.mkdir(parents=True, exist_ok=True)
        kept = self.wheels / wheel.name
        if wheel.resolve() != kept.resolve():
            shutil.copy2(wheel, kept)
        record.wheel = wheel.name
        atomic_write(self._file(record.name), json.dumps(asdict(record), indent=2) + "\n")

    def delete(self, name: str) -> None:
        """Remove the record and its kept wheel."""
        record = self.get(name)
        self._file(name).unlink(missing_ok=True)
        if record and record.wheel:
            (self.wheels / record.wheel).unlink(missing_ok=True)
