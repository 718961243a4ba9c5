"""The command line's help in the language the command line asks for.

The help texts are written in Danish in the code (``help=`` of every option and argument, and
the command docstrings), Danish first. The one gettext catalogue holds each of them under the
context ``help``: the English msgid, and the text as written in the code as its Danish msgstr.
Help in another language finds a written text's msgid by that Danish msgstr and shows the
msgid's translation. Danish help shows the texts as written: it reads no catalogue, so printing
it imports no Babel (see ``tests/test_cli_startup.py``).
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from boligmonitor.i18n import Language, catalogue, translate

if TYPE_CHECKING:
    from typer import _click

__all__ = ["HELP_CONTEXT", "WRITTEN_IN", "help_msgids", "help_text", "translate_help"]

#: The msgctxt of every help text in the catalogue.
HELP_CONTEXT = "help"
#: The language the help texts are written in, in the code.
WRITTEN_IN: Language = "da"


def help_text(text: str | None, lang: Language) -> str | None:
    """A help text as written in the code, in ``lang``.

    A text the catalogue does not hold is shown as written (``tests/test_cli_help.py`` fails
    on any such text of the command tree).

    Examples
    --------
    >>> help_text("Listeår.", "en")
    'List year.'
    >>> help_text("Listeår.", "da")
    'Listeår.'
    """
    if text is None or lang == WRITTEN_IN:
        return text
    msgid = help_msgids().get(text)
    return text if msgid is None else translate(msgid, lang, msgctxt=HELP_CONTEXT)


@cache
def help_msgids() -> dict[str, str]:
    """Every help text as written in the code, mapped to its English msgid."""
    prefix = f"{HELP_CONTEXT}\x04"
    return {
        text: key.removeprefix(prefix)
        for key, text in catalogue(WRITTEN_IN).items()
        if key.startswith(prefix)
    }


def translate_help(command: _click.Command, lang: Language) -> None:
    """Put the help of a built command, its parameters and built subcommands in ``lang``.

    The command is changed in place; subcommands still to be built (a
    :class:`~boligmonitor.cli.lazy.LazyCommands`) are translated when they are built.
    """
    if lang == WRITTEN_IN:
        return
    command.help = help_text(command.help, lang)
    command.short_help = help_text(command.short_help, lang)
    for param in command.params:
        written = getattr(param, "help", None)  # options and Typer's arguments have help
        if isinstance(written, str):
            param.help = help_text(written, lang)  # type: ignore[attr-defined]
    subcommands = getattr(command, "commands", None)
    if isinstance(subcommands, dict):
        for subcommand in subcommands.values():
            translate_help(subcommand, lang)
