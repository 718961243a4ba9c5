"""Allocation policies as data: YAML files validated by pydantic.

A policy switches on the letting tools of DESIGN § 6 (seed ``004_d4ab5518b5ec9b17.txt``,
appendix "Anvisning og udlejningsredskaber"):

- *anvisning*: the municipality allocates a share (usually every fourth, 25 %) of vacant public
  family dwellings to its target groups (Almenboligloven § 59);
- *trappemodel*: Copenhagen stops allocating residents outside the labour market to an area once
  their share *exceeds* the threshold (40 %), sending them to other areas instead;
- *fleksibel udlejning*: chosen groups get priority on the waiting list (§ 60);
- *kombineret udlejning*: applicants on certain benefits are refused in areas on the § 51 b list;
- *statutory refusal*: parallelsamfund and omdannelsesområder must refuse applicants on certain
  benefits, even if dwellings stay empty (§ 51 c, from 1 July 2019);
- *forebyggelse ban*: such households may not be allocated by anvisning to forebyggelsesområder
  (anvisning rules as amended by L 23, 2021-22);
- *udviklingsplaner*: the measures of the workspace's development plans (§ 168 a: demolition,
  sale, conversion, new dwellings) take effect in the simulated years they are dated, and the
  households of the affected dwellings are re-housed (on unless the policy says
  ``udviklingsplaner: false``; nothing happens in a workspace without plans).

Applicant groups are household flags derived from microdata (``docs/simulation.md``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field

from boligmonitor.data import resolve_yaml, shipped_ids
from boligmonitor.i18n import localized
from boligmonitor.schema.yamlfile import StrictModel, load_yaml_model

__all__ = [
    "GROUPS",
    "Anvisning",
    "Fleksibel",
    "Kombineret",
    "Policy",
    "Scope",
    "Statutory",
    "Trappemodel",
    "load_policy",
    "shipped_policies",
]

Group = Literal["outside_labour", "benefits", "employed", "in_education", "low_income"]


def _groups(*names: Group) -> list[Group]:
    return list(names)


#: Applicant groups, in the bit order of :mod:`boligmonitor.simulation.households`.
GROUPS: tuple[str, ...] = ("outside_labour", "benefits", "employed", "in_education", "low_income")


class Scope(StrictModel):
    """Where a tool applies: every statutory area, named areas, or areas holding a designation
    on the latest simulated list (e.g. ``kombineret_udlejning`` for the § 51 b list)."""

    kind: Literal["all_areas", "areas", "designations"] = "all_areas"
    areas: list[str] = Field(default_factory=list)
    designations: list[str] = Field(default_factory=list)


class Anvisning(StrictModel):
    """Municipal allocation of a share of vacant public dwellings to target groups."""

    share: float = Field(0.25, ge=0, le=1)
    target_groups: list[Group] = Field(default_factory=lambda: _groups("outside_labour"))


class Trappemodel(StrictModel):
    """No allocation of ``group`` to an area whose share of 18-64-year-olds outside the labour
    market exceeds ``threshold_pct`` (strict: "overstiger")."""

    threshold_pct: float = Field(40.0, ge=0, le=100)
    group: Group = "outside_labour"
    scope: Scope = Field(default_factory=Scope)


class Fleksibel(StrictModel):
    """Priority on the waiting list for ``priority_groups`` in ``scope``; ``share`` of the
    vacancies there go to a priority applicant when one exists."""

    priority_groups: list[Group] = Field(
        default_factory=lambda: _groups("employed", "in_education")
    )
    share: float = Field(0.5, ge=0, le=1)
    scope: Scope = Field(default_factory=Scope)


class Kombineret(StrictModel):
    """Refusal of ``refused_groups`` in ``scope`` (default: the simulated § 51 b list)."""

    refused_groups: list[Group] = Field(default_factory=lambda: _groups("benefits"))
    scope: Scope = Field(
        default_factory=lambda: Scope(kind="designations", designations=["kombineret_udlejning"])
    )


class Statutory(StrictModel):
    """Refusal in parallelsamfund/omdannelsesområder and the anvisning ban for
    forebyggelsesområder, tied to each simulated year's designations."""

    refusal: bool = True
    refusal_designations: list[str] = Field(
        default_factory=lambda: ["parallelsamfund", "omdannelsesomraade"]
    )
    forebyggelse_ban: bool = True
    ban_designations: list[str] = Field(default_factory=lambda: ["forebyggelsesomraade"])
    refused_groups: list[Group] = Field(default_factory=lambda: _groups("benefits"))


class Policy(StrictModel):
    """One allocation policy: the tools switched on (absent = off)."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    name_da: str
    name_en: str
    description_da: str = ""
    description_en: str = ""
    anvisning: Anvisning | None = None
    trappemodel: Trappemodel | None = None
    fleksibel: Fleksibel | None = None
    kombineret: Kombineret | None = None
    statutory: Statutory | None = None
    udviklingsplaner: bool = True

    def name(self, lang: str) -> str:
        """The policy's name in ``lang`` (``da`` or ``en``)."""
        return localized(self.name_da, self.name_en, lang)


def _read(path: Path) -> Policy:
    return load_yaml_model(path, Policy)


def shipped_policies() -> dict[str, Policy]:
    """The named policies shipped with Boligmonitor, by id (``baseline`` = no policy)."""
    policies = (load_policy(name) for name in shipped_ids("policies"))
    return {policy.id: policy for policy in policies}


def load_policy(ref: str | Path) -> Policy:
    """A shipped policy by id (``data/policies``), or a policy YAML file.

    Raises
    ------
    InputError
        When ``ref`` is neither a shipped id nor a valid policy file (file, line, field).
    """
    return resolve_yaml("policies", ref, _read, "policy")
