"""The microdata tables: their columns, keys, references and the values their codes take.

Declared once here and read by the validation (:mod:`boligmonitor.schema.microdata`), the
register adapter and the documentation test; ``docs/microdata.md`` describes each column.
"""

from __future__ import annotations

from typing import Any

from boligmonitor.schema.columns import Column, Kind

__all__ = [
    "EDUCATION_VALUES",
    "FOREIGN_KEYS",
    "IBIS_TYPES",
    "MICRODATA_TABLES",
    "ORIGIN_VALUES",
    "TENURE_VALUES",
    "UNIQUE_COLUMNS",
    "typed_column",
]

ORIGIN_VALUES = (
    "danish",
    "western_immigrant",
    "western_descendant",
    "nonwestern_immigrant",
    "nonwestern_descendant",
)
EDUCATION_VALUES = (
    "basic",
    "upper_secondary",
    "vocational",
    "short_tertiary",
    "medium_tertiary",
    "long_tertiary",
    "unknown",
    "foreign_not_approved",
)
TENURE_VALUES = (
    "almen_family",
    "almen_elderly",
    "almen_youth",
    "private_rental",
    "andel",
    "owner_occupied",
    "public",
)


def _id(name: str, description: str, nullable: bool = False) -> Column:
    return Column(name, Kind.INTEGER, nullable=nullable, minimum=0, description=description)


def _text(name: str, description: str, nullable: bool = True, required: bool = True) -> Column:
    return Column(name, Kind.TEXT, required=required, nullable=nullable, description=description)


def _flag(name: str, description: str) -> Column:
    return Column(name, Kind.BOOLEAN, nullable=False, description=description)


#: Columns of each microdata table, and its key.
MICRODATA_TABLES: dict[str, tuple[tuple[Column, ...], tuple[str, ...]]] = {
    "regions": (
        (
            _id("region_code", "Region code (Danmarks Statistik, e.g. 1084)."),
            _text("name", "Region name."),
        ),
        ("region_code",),
    ),
    "municipalities": (
        (
            _id("municipality_code", "Municipality code (e.g. 101 København)."),
            _text("name", "Municipality name."),
            _id("region_code", "Region of the municipality."),
        ),
        ("municipality_code",),
    ),
    "departments": (
        (
            _text("department_id", "Department id, e.g. 'VIBO-0108'.", nullable=False),
            _text("organisation", "Housing organisation (boligorganisation)."),
            Column("number", Kind.INTEGER, minimum=0, description="Department number."),
            _text("name", "Department name."),
            Column("leases", Kind.INTEGER, minimum=0, description="Number of leases (lejemål)."),
            _text("area_id", "Statutory boligområde the department belongs to (empty: none)."),
            _text("area_name", "Name of the boligområde.", required=False),
        ),
        ("department_id",),
    ),
    "addresses": (
        (
            _id("address_id", "Unit address (enhedsadresse: with floor and door)."),
            Column("x", Kind.NUMBER, nullable=False, description="Easting, EPSG:25832 (m)."),
            Column("y", Kind.NUMBER, nullable=False, description="Northing, EPSG:25832 (m)."),
            _text("dkn_100m", "DKN 100 m cell id, e.g. '100m_61763_7228'.", required=False),
            _text("screening_unit", "The city's screening unit (empty: none).", required=False),
            _id("municipality_code", "Municipality of the address."),
        ),
        ("address_id",),
    ),
    "dwellings": (
        (
            _id("dwelling_id", "Dwelling id (BBR enhed)."),
            _id("address_id", "Its unit address; one dwelling per address."),
            Column("living_area_m2", Kind.NUMBER, minimum=0, description="BBR living area (m²)."),
            Column(
                "tenure", Kind.TEXT, nullable=False, choices=TENURE_VALUES, description="Tenure."
            ),
            _text("department_id", "Public housing department (empty: not public housing)."),
        ),
        ("dwelling_id",),
    ),
    "persons": (
        (
            _id("person_id", "Person id (pseudonymised CPR)."),
            Column(
                "year",
                Kind.INTEGER,
                nullable=False,
                minimum=1990,
                maximum=2100,
                description="Year; the row describes the person at 1 January.",
            ),
            _id("address_id", "Unit address at 1 January."),
            Column(
                "age",
                Kind.INTEGER,
                nullable=False,
                minimum=0,
                maximum=130,
                description="Age at 1 January.",
            ),
            Column(
                "origin",
                Kind.TEXT,
                nullable=False,
                choices=ORIGIN_VALUES,
                description="Origin (herkomst).",
            ),
            Column(
                "no_attachment_fraction",
                Kind.NUMBER,
                nullable=False,
                minimum=0,
                maximum=1,
                description="Fraction of the year without attachment to labour market or "
                "education (full-time persons).",
            ),
            _flag(
                "permanently_outside_labour_force",
                "Permanently outside the labour force (retirement schemes and others).",
            ),
            _flag("in_education", "In education."),
            Column(
                "education",
                Kind.TEXT,
                nullable=False,
                choices=EDUCATION_VALUES,
                description="Highest completed education.",
            ),
            Column("gross_income", Kind.NUMBER, description="Gross income (kr.)."),
            Column("disposable_income", Kind.NUMBER, description="Disposable income (kr.)."),
            _flag("taxpayer", "Full taxpayer (skattepligtig)."),
            _flag(
                "convicted",
                "Convicted that year under straffeloven, våbenloven or lov om "
                "euforiserende stoffer.",
            ),
        ),
        ("person_id", "year"),
    ),
}
#: (table, column) -> (referenced table, referenced column)
FOREIGN_KEYS = {
    ("municipalities", "region_code"): ("regions", "region_code"),
    ("addresses", "municipality_code"): ("municipalities", "municipality_code"),
    ("dwellings", "address_id"): ("addresses", "address_id"),
    ("dwellings", "department_id"): ("departments", "department_id"),
    ("persons", "address_id"): ("addresses", "address_id"),
}
#: Further columns whose values must be unique, with the message when they are not.
UNIQUE_COLUMNS: dict[str, dict[tuple[str, ...], str]] = {
    "dwellings": {("address_id",): "address has more than one dwelling (one per unit address)"},
}
IBIS_TYPES = {
    Kind.INTEGER: "int64",
    Kind.NUMBER: "float64",
    Kind.TEXT: "string",
    Kind.BOOLEAN: "boolean",
}


def typed_column(table: Any, column: Column) -> Any:
    """The column cast to its kind; an absent optional column is all empty."""
    import ibis

    if column.name not in table.columns:
        return ibis.null(IBIS_TYPES[column.kind])
    return table[column.name].cast(IBIS_TYPES[column.kind])
