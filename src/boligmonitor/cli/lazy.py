"""The command tree, built one command at a time as the command line asks for it.

Typer turns every registered command into a Click command before it runs any: it reads each
function's signature and evaluates its annotations, some 40 commands and 250 parameters. The
console entry point needs only the command it runs (``boligmonitor designate --help`` builds
``designate`` alone). The top-level help lists every command by its name and help text only,
which it reads from the registration without building the command; shell completion still
builds all. The tree is the same one :func:`typer.main.get_command` builds, in the same order:
each command is built by Typer itself from its registration, only later.

The top-level options (``--engine``, ``--help``) are read before any subcommand, even before
a subcommand's ``--help``. Typer validates an option's value with a Pydantic ``TypeAdapter``,
which it builds, importing Pydantic, even when the option is absent; the groups of the tree
built here (:class:`OnDemandGroup`) have it built only when a value is given.

Each command's help is put in the language of the command line (``--lang``, else
``BOLIGMONITOR_LANG``) as it is built, the listed summaries too (see
:mod:`boligmonitor.cli.helptext`).
"""

from __future__ import annotations

import copy
import inspect
import sys
from collections.abc import Iterator, MutableMapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import typer
import typer.main
from typer.core import TyperCommand, TyperGroup
from typer.models import CommandInfo, TyperInfo

from boligmonitor.cli.common import command_language
from boligmonitor.cli.helptext import WRITTEN_IN, translate_help

if TYPE_CHECKING:
    from typer import _click

    from boligmonitor.i18n import Language

    Command = _click.Command

__all__ = ["LazyCommands", "OnDemandGroup", "lazy_command"]


class OnDemandGroup(TyperGroup):
    """A Typer group whose own options have their coercion built for a given value only."""

    def main(self, args: Sequence[str] | None = None, *rest: Any, **extra: Any) -> Any:
        """Run the command line ``args`` (default: the program's), with help in its language."""
        lang = command_language(sys.argv[1:] if args is None else args)
        if isinstance(self.commands, LazyCommands):
            self.commands.language = lang
        translate_help(self, lang)
        return super().main(args, *rest, **extra)

    def get_params(self, ctx: _click.Context) -> list[_click.Parameter]:
        """The group's options, ``--help`` included (see :func:`_defer_coercion`)."""
        params = super().get_params(ctx)
        _defer_coercion(params)
        return params

    def format_help(self, ctx: _click.Context, formatter: _click.HelpFormatter) -> None:
        """The group's help; it lists the subcommands from their registrations alone."""
        if not isinstance(self.commands, LazyCommands):
            super().format_help(ctx, formatter)
            return
        with self.commands.summaries():
            super().format_help(ctx, formatter)


class LazyCommands(MutableMapping[str, "Command"]):
    """A group's subcommands by name; each is built by Typer the first time it is looked up.

    Parameters
    ----------
    app
        The Typer app whose registered commands and sub-apps (all with a name) are listed.
    """

    def __init__(self, app: typer.Typer) -> None:
        self._app = app
        self._pending: dict[str, CommandInfo | TyperInfo | None] = {}
        for command in app.registered_commands:
            self._pending[command_name(command)] = command
        for group in app.registered_groups:
            self._pending[group_name(group)] = group
        self._built: dict[str, Command] = {}
        self._summaries: dict[str, Command] | None = None
        #: The language of the help of the commands built from now on.
        self.language: Language = WRITTEN_IN

    def __getitem__(self, name: str) -> Command:
        if name in self._built:
            return self._built[name]
        info = self._pending[name]  # KeyError for a name nobody registered
        assert info is not None, "a command added ready-made is in _built"
        if self._summaries is not None:
            if name not in self._summaries:
                self._summaries[name] = _summary(name, info, self._app)
                translate_help(self._summaries[name], self.language)
            return self._summaries[name]
        self._built[name] = self._build(name, info)
        translate_help(self._built[name], self.language)
        return self._built[name]

    def __setitem__(self, name: str, command: Command) -> None:
        self._pending.setdefault(name, None)  # None: added ready-made, nothing to build
        self._built[name] = command

    def __delitem__(self, name: str) -> None:
        del self._pending[name]
        self._built.pop(name, None)

    def __iter__(self) -> Iterator[str]:
        return iter(self._pending)

    def __len__(self) -> int:
        return len(self._pending)

    def built(self) -> list[str]:
        """The names of the commands built so far."""
        return list(self._built)

    @contextmanager
    def summaries(self) -> Iterator[None]:
        """Within, a command not built yet is looked up as its summary (see :func:`_summary`)."""
        self._summaries = {}
        try:
            yield
        finally:
            self._summaries = None

    def _build(self, name: str, info: CommandInfo | TyperInfo) -> Command:
        """Let Typer build one registration, with the app's own settings."""
        alone = copy.copy(self._app)
        alone.registered_callback = None
        if isinstance(info, CommandInfo):
            alone.registered_commands, alone.registered_groups = [info], []
            return typer.main.get_command(alone)
        alone.registered_commands, alone.registered_groups = [], [info]
        command = _group(alone).commands[name]
        if type(command) is TyperGroup:
            command.__class__ = OnDemandGroup  # the same group; its options read on demand
        return command


def _summary(name: str, info: CommandInfo | TyperInfo, app: typer.Typer) -> Command:
    """A command with what a group's help lists of it, as Typer reads it, and no parameters."""
    if isinstance(info, TyperInfo):
        info = typer.main.solve_typer_info_defaults(info)
        text = info.help
    elif info.help is None:
        text = inspect.getdoc(info.callback)
    else:
        text = inspect.cleandoc(info.help)
    return TyperCommand(
        name=name,
        help=text,
        short_help=info.short_help,
        hidden=bool(info.hidden),
        deprecated=bool(info.deprecated),
        rich_markup_mode=app.rich_markup_mode,
        rich_help_panel=info.rich_help_panel,
    )


def command_name(info: CommandInfo) -> str:
    """The name Typer gives a registered command."""
    if info.name:
        return info.name
    assert info.callback is not None, "a registered command has a function"
    return typer.main.get_command_name(info.callback.__name__)


def group_name(info: TyperInfo) -> str:
    """The name a sub-app is registered under (``app.add_typer(sub, name=...)``)."""
    if not isinstance(info.name, str) or not info.name:
        raise ValueError("every sub-app of the command line is added with a name")
    return info.name


def lazy_command(app: typer.Typer) -> Command:
    """The app's top-level Click group, its options ready and its subcommands built on demand."""
    shell = copy.copy(app)
    shell.registered_commands, shell.registered_groups = [], []
    group = _group(shell)
    group.commands = LazyCommands(app)
    if type(group) is TyperGroup:
        group.__class__ = OnDemandGroup
    return group


def _group(app: typer.Typer) -> TyperGroup:
    """The Click group Typer builds for an app with a callback or a sub-app."""
    group = typer.main.get_command(app)
    assert isinstance(group, TyperGroup), "the app has a callback or a sub-app, so a group"
    return group


def _defer_coercion(params: list[_click.Parameter]) -> None:
    """Build the Pydantic coercion of these options only for a value given.

    Typer (0.2x) builds a parameter's coercion on first use, but uses it for an absent value
    too, to return ``None``, and for a default text such as ``--lang``'s ``da``. A Typer
    without this machinery is left as it is.
    """
    waiting = [p for p in params if getattr(p, "_runtime_param", False) is None]
    if not waiting:
        return
    try:
        from typer._coercion import RuntimeParam, build_runtime_param
    except ImportError:  # pragma: no cover - a Typer that coerces without Pydantic
        return

    @dataclass(frozen=True)
    class OnValue(RuntimeParam):
        """Absent values as Typer returns them, a text for a text option as it is (Typer's
        ``str`` coercion returns it unchanged), any other value through Typer's coercion."""

        def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
            if type(value) is str and self.annotation is str and self.parameter_info.parser is None:
                return value
            built = build_runtime_param(param.type_descriptor)
            return built._coerce_value(value, param=param, ctx=ctx)

    for param in waiting:
        descriptor = param.type_descriptor  # type: ignore[attr-defined]
        param._runtime_param = OnValue(  # type: ignore[attr-defined]
            parameter_info=descriptor.parameter_info, annotation=descriptor.annotation
        )
