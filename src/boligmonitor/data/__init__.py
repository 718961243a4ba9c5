"""Reference and example data shipped with Boligmonitor."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

__all__ = ["data_path", "example_path"]


def data_path(*parts: str) -> Path:
    """Path of a packaged data file, e.g. ``data_path("reference", "kk-2021.yaml")``."""
    return Path(str(resources.files("boligmonitor.data").joinpath(*parts)))


def example_path(name: str) -> Path:
    """Path of a packaged example file in ``data/examples``."""
    return data_path("examples", name)
