"""Area identity across years: a stable id, the names an area was published under and when.

Areas are renamed (Agervang became Grønneparken), split (from the 2018 list "Vollsmose" means
the six Parkerne departments, and Hybenhaven, Slåenhaven og Tjørnehaven is an area of its own)
and published with varying spellings ("Ringparken, Slagelse", "Stærevej mv."). The packaged
catalogue (``data/record/areas.yaml``) names the special cases; every other name is matched
after normalising. A user's YAML file of the same shape extends the catalogue.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import Field

from boligmonitor.record.data import left_lists, official_lists, record_path
from boligmonitor.schema.yamlfile import StrictModel, load_yaml_model

__all__ = ["AreaCatalogue", "AreaEntry", "AreaName", "Catalogue", "normalise_name", "slug"]


class AreaName(StrictModel):
    """One published name and the first and last list year it was used (``null``: still)."""

    name: str
    years: tuple[int, int | None] | None = None


class SplitFrom(StrictModel):
    """The area this one was split off from, and the first list year it stood alone."""

    area: str
    year: int


class AreaEntry(StrictModel):
    """An area of the catalogue."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_.-]*$")
    municipality: str
    names: list[AreaName] = Field(min_length=1)
    split_from: SplitFrom | None = None
    merged_from: list[str] = Field(default_factory=list)
    note: str | None = None


class Catalogue(StrictModel):
    """The YAML file: a list of areas."""

    areas: list[AreaEntry]


def _ascii(text: str) -> str:
    text = (
        unicodedata.normalize("NFC", text)
        .lower()
        .replace("æ", "ae")
        .replace("ø", "oe")
        .replace("å", "aa")
    )
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def normalise_name(name: str, municipality: str | None = None) -> str:
    """A spelling-insensitive key: case, "mv."/"m.fl.", ", <kommune>" and A/B order ignored.

    Examples
    --------
    >>> normalise_name("Æblehaven/Rønnebærparken") == normalise_name("Rønnebærparken/Æblehaven")
    True
    >>> normalise_name("Stærevej mv.") == normalise_name("Stærevej")
    True
    """
    text = name.strip()
    if municipality:
        text = re.sub(rf",\s*{re.escape(municipality)}$", "", text, flags=re.IGNORECASE)
    text = re.sub(r"\s+(mv|m\.fl)\.?$", "", text, flags=re.IGNORECASE)
    parts = sorted(_ascii(p).strip() for p in text.split("/"))
    return "/".join(re.sub(r"[^a-z0-9]+", " ", p).strip() for p in parts)


def slug(name: str, municipality: str) -> str:
    """An id from a name and municipality, e.g. ``mjoelnerparken-koebenhavn``."""
    base = normalise_name(name, municipality).replace("/", "-").replace(" ", "-")
    return f"{base}-{re.sub(r'[^a-z0-9]+', '-', _ascii(municipality)).strip('-')}"


@dataclass
class AreaCatalogue:
    """Every area of the record (and the user's additions), findable by any of its names."""

    entries: dict[str, AreaEntry] = field(default_factory=dict)
    _keys: dict[str, str] = field(default_factory=dict)

    @classmethod
    def packaged(cls, extra: Iterable[Path] = ()) -> AreaCatalogue:
        """The packaged catalogue, areas found in the record, then the user's files.

        Raises
        ------
        InputError
            When a catalogue file is invalid (file, line, field).
        """
        catalogue = cls()
        catalogue.extend(load_yaml_model(record_path("areas.yaml"), Catalogue).areas)
        for frame in (official_lists(), left_lists()):
            for name, municipality in frame[["area", "municipality"]].drop_duplicates().values:
                if catalogue.find(str(name), str(municipality)) is None:
                    catalogue.add_name(str(name), str(municipality))
        for path in extra:
            catalogue.extend(load_yaml_model(Path(path), Catalogue).areas)
        return catalogue

    def extend(self, areas: Iterable[AreaEntry]) -> None:
        """Add areas; an entry with a known id replaces it, its names then point to it."""
        for entry in areas:
            self.entries[entry.id] = entry
            for name in entry.names:
                self._keys[normalise_name(name.name)] = entry.id
                self._keys[normalise_name(name.name, entry.municipality)] = entry.id
            self._keys[entry.id] = entry.id

    def add_name(self, name: str, municipality: str) -> str:
        """Add an area known only by one name; returns its id."""
        entry = AreaEntry(
            id=slug(name, municipality), municipality=municipality, names=[AreaName(name=name)]
        )
        self.extend([entry])
        return entry.id

    def find(self, name: str, municipality: str | None = None) -> str | None:
        """The id of the area with this id or name (any spelling), or ``None``."""
        if name in self.entries:
            return name
        return self._keys.get(normalise_name(name, municipality)) or self._keys.get(
            normalise_name(name)
        )

    def entry(self, area_id: str) -> AreaEntry:
        """The catalogue entry of an id."""
        return self.entries[area_id]

    def display_name(self, area_id: str, year: int | None = None) -> str:
        """The name in use in ``year`` (the latest name when ``year`` is ``None``)."""
        entry = self.entries[area_id]
        if year is not None:
            for name in entry.names:
                if name.years and name.years[0] <= year <= (name.years[1] or 9999):
                    return name.name
        dated = [n for n in entry.names if n.years]
        return (max(dated, key=lambda n: n.years[0]) if dated else entry.names[0]).name  # type: ignore[index]
