"""Typer's rich help formatter, imported without the two renderers our help never uses.

``typer.rich_utils`` imports ``rich.markdown`` (and with it ``markdown_it``) for help written
in Markdown and ``rich.traceback`` for pretty exceptions at import, which is a third of the
time ``--help`` takes. This command line writes its help in rich markup and shows plain
exceptions, so :func:`import_rich_help` imports the formatter with stand-ins for the two
classes; a stand-in imports the real class the moment it is used, so Markdown help and rich
tracebacks still work. The stand-in modules are gone from ``sys.modules`` once the formatter
is imported: any later ``import rich.markdown`` gets Rich's own module.
"""

from __future__ import annotations

import sys
from importlib import import_module
from types import ModuleType

__all__ = ["import_rich_help"]

#: The classes ``typer.rich_utils`` imports from modules it needs only for unused features.
DEFERRED = {"rich.markdown": "Markdown", "rich.traceback": "Traceback"}


def _stand_in(module_name: str, class_name: str) -> type:
    """A class that builds, and answers class attributes from, the real class when used."""

    def real() -> type:
        cls: type = getattr(import_module(module_name), class_name)
        return cls

    class Meta(type):
        def __getattr__(cls, name: str) -> object:
            if name.startswith("__"):  # typing asks for dunders; they must not load the class
                raise AttributeError(name)
            return getattr(real(), name)

    def new(cls: type, *args: object, **kwargs: object) -> object:
        return real()(*args, **kwargs)

    return Meta(class_name, (), {"__new__": new, "__module__": module_name})


def import_rich_help() -> None:
    """Import ``typer.rich_utils`` without importing ``rich.markdown`` or ``rich.traceback``."""
    if "typer.rich_utils" in sys.modules:
        return
    stand_ins: dict[str, ModuleType] = {}
    for module_name, class_name in DEFERRED.items():
        if module_name not in sys.modules:
            module = ModuleType(module_name)
            setattr(module, class_name, _stand_in(module_name, class_name))
            stand_ins[module_name] = module
    sys.modules.update(stand_ins)
    try:
        import typer.rich_utils  # noqa: F401
    finally:
        for module_name, module in stand_ins.items():
            if sys.modules.get(module_name) is module:
                del sys.modules[module_name]
