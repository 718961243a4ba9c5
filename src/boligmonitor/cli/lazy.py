"""The command tree, built one command at a time as the command line asks for it.

Typer turns every registered command into a Click command before it runs any: it reads each
function's signature and evaluates its annotations, some 40 commands and 250 parameters. The
console entry point needs only the command it runs (``boligmonitor designate --help`` builds
``designate`` alone); the top-level help and shell completion still list, and so build, all.
The tree is the same one :func:`typer.main.get_command` builds, in the same order: each
command is built by Typer itself from its registration, only later.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator, MutableMapping
from typing import TYPE_CHECKING

import typer
import typer.main
from typer.core import TyperGroup
from typer.models import CommandInfo, TyperInfo

if TYPE_CHECKING:
    from typer import _click

    Command = _click.Command

__all__ = ["LazyCommands", "lazy_command"]


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

    def __getitem__(self, name: str) -> Command:
        if name not in self._built:
            info = self._pending[name]
            if info is None:  # deleted and added back by name only: nothing to build
                raise KeyError(name)
            self._built[name] = self._build(name, info)
        return self._built[name]

    def __setitem__(self, name: str, command: Command) -> None:
        self._pending.setdefault(name, None)
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

    def _build(self, name: str, info: CommandInfo | TyperInfo) -> Command:
        """Let Typer build one registration, with the app's own settings."""
        alone = copy.copy(self._app)
        alone.registered_callback = None
        if isinstance(info, CommandInfo):
            alone.registered_commands, alone.registered_groups = [info], []
            return typer.main.get_command(alone)
        alone.registered_commands, alone.registered_groups = [], [info]
        return _group(alone).commands[name]


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
    return group


def _group(app: typer.Typer) -> TyperGroup:
    """The Click group Typer builds for an app with a callback or a sub-app."""
    group = typer.main.get_command(app)
    assert isinstance(group, TyperGroup), "the app has a callback or a sub-app, so a group"
    return group
