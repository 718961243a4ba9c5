"""Danmarks Statistik's register layout (SAS, Parquet, CSV) into the microdata schema.

See ``docs/registers.md``.
"""

from boligmonitor.registers.importer import (
    GEOGRAPHY,
    ImportReport,
    import_registers,
    load_register_microdata,
)
from boligmonitor.registers.mapping import Mapping, load_mapping

__all__ = [
    "GEOGRAPHY",
    "ImportReport",
    "Mapping",
    "import_registers",
    "load_mapping",
    "load_register_microdata",
]
