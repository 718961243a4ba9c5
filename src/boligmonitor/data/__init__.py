"""Reference and example data shipped with Boligmonitor, and the one resolver for YAML data.

Every kind of YAML data — rule sets, screening methods, goal catalogues, reference datasets,
allocation policies, register layouts, … — ships in ``data/<kind>/<id>.yaml`` and is named on the
command line either by that id or by the path of a user's own file (:func:`resolve_yaml`).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TypeVar, cast

from boligmonitor.errors import InputError

__all__ = ["data_path", "example_path", "resolve_yaml", "shipped_ids", "shipped_yaml"]

M = TypeVar("M")


def data_path(*parts: str) -> Path:
    """Path of a packaged data file, e.g. ``data_path("reference", "kk-2021.yaml")``."""
    return Path(str(resources.files("boligmonitor.data").joinpath(*parts)))


def example_path(name: str) -> Path:
    """Path of a packaged example file in ``data/examples``."""
    return data_path("examples", name)


def shipped_yaml(kind: str) -> list[Path]:
    """The shipped YAML files of a kind (``data/<kind>/*.yaml``), by name."""
    return sorted(data_path(kind).glob("*.yaml"))


def shipped_ids(kind: str) -> list[str]:
    """The ids (file stems) of the shipped YAML files of a kind."""
    return [path.stem for path in shipped_yaml(kind)]


@cache
def _shipped(kind: str, name: str, load: Callable[[Path], object]) -> object:
    """A shipped file read once per process (they don't change while it runs)."""
    return load(data_path(kind, f"{name}.yaml"))


def resolve_yaml(kind: str, id_or_path: str | Path, load: Callable[[Path], M], what: str) -> M:
    """A shipped YAML model by id, or the model in a user's YAML file.

    Parameters
    ----------
    kind
        The folder under ``data/`` (``rules``, ``screening``, ``goals``, ``reference``,
        ``policies``, ``registers``).
    id_or_path
        A shipped id, or the path of a ``.yaml``/``.yml`` file.
    load
        Reads and validates one file (raises :class:`InputError` naming line and field).
    what
        The kind in words, for the error message.

    Raises
    ------
    InputError
        When ``id_or_path`` is neither a shipped id nor an existing YAML file.
    """
    name = str(id_or_path)
    if name in shipped_ids(kind):
        return cast(M, _shipped(kind, name, load))
    path = Path(name)
    if path.suffix.lower() in (".yaml", ".yml") and path.is_file():
        return load(path)
    known = ", ".join(shipped_ids(kind))
    raise InputError.single(
        name, "unknown {what}; known: {known}, or a YAML file", what=what, known=known
    )
