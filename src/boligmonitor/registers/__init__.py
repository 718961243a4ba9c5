"""Danmarks Statistik's register layout (SAS, Parquet, CSV) into the microdata schema.

See ``docs/registers.md``.
"""

from boligmonitor.registers.importer import (
    GEOGRAPHY,
    ImportReport,
    import_registers,
    register_years,
)
from boligmonitor.registers.mapping import Mapping, load_mapping

__all__ = [
    "GEOGRAPHY",
    "ImportReport",
    "Mapping",
    "import_registers",
    "load_mapping",
    "register_years",
]
