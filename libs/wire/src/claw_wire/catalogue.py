"""A provider's models as data: the catalogue the cloud provider plugins (and any new one) keep in a
``models.json`` package file, so a price or a new model is a data change (docs/providers.md, "Model
catalogues and prices"). The kernel never reads a catalogue: routing asks :meth:`claw.Provider.models`
and :meth:`claw.Provider.describe`."""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping, Sequence
from typing import Any

from claw import ModelInfo


class Catalogue:
    """A provider's models as data: entries holding :class:`ModelInfo` fields plus keys ``private`` to the
    provider (how it reaches the model: a thinking style, a wire, ...), so a price or a new model is a data
    change, and ``claw models`` reads it without an SDK.

    An entry key that is neither a :class:`ModelInfo` field nor declared ``private`` is an error, so a
    misspelt capability fails the plugin's tests instead of silently falling back to a default."""

    def __init__(
        self, provider: str, entries: Sequence[Mapping[str, Any]], private: Collection[str] = ()
    ) -> None:
        known = set(ModelInfo.model_fields) - {"provider"} | set(private)
        for item in entries:
            unknown = set(item) - known
            if unknown or "id" not in item:
                problem = f"unknown keys {sorted(unknown)}" if unknown else "no id"
                raise ValueError(f"{provider} catalogue entry {item.get('id', '?')!r}: {problem}")
        self.provider = provider
        self.private = frozenset(private)
        self.entries: tuple[dict[str, Any], ...] = tuple(dict(item) for item in entries)
        self._models = [self.info(item) for item in self.entries]

    def models(self) -> list[ModelInfo]:
        """Every entry as a :class:`ModelInfo`, in catalogue order."""
        return list(self._models)

    def info(self, entry: Mapping[str, Any], model_id: str | None = None) -> ModelInfo:
        """``entry`` (one of :attr:`entries`) as a :class:`ModelInfo`, under ``model_id`` when given (a
        deployment or profile name that maps to the entry)."""
        fields = {k: v for k, v in entry.items() if k not in self.private}
        if model_id is not None:
            fields["id"] = model_id
        return ModelInfo(provider=self.provider, **fields)

    def find(self, model_id: str) -> dict[str, Any] | None:
        """The entry whose id or one of whose aliases is ``model_id``, if any."""
        return next((i for i in self.entries if model_id in (i["id"], *i.get("aliases", ()))), None)


def load_catalogue(package: str, provider: str, *, private: Collection[str] = ()) -> Catalogue:
    """The :class:`Catalogue` in ``package``'s data file ``models.json`` (JSON: ``{"models": [entry, ...]}``;
    other top-level keys, such as a ``_comment`` giving sources and dates, are ignored).

    Read with :func:`pkgutil.get_data` (through the package's loader, so a zipped package works too):
    :mod:`importlib.resources` would import ``tempfile`` and ``shutil``, about 3 ms of the start of every
    run that resolves a model."""
    import pkgutil

    data = pkgutil.get_data(package, "models.json")
    if data is None:  # a loader that cannot read data files
        raise FileNotFoundError(f"{package}: no data file models.json")
    text = data.decode("utf-8")
    return Catalogue(provider, json.loads(text)["models"], private)
