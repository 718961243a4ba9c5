"""The command line's help in both languages: Danish as written in the code, English from the
one catalogue, for every command path."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import typer.main

from boligmonitor.cli import app
from boligmonitor.cli.helptext import HELP_CONTEXT, help_msgids, help_text, translate_help
from boligmonitor.cli.lazy import lazy_command
from boligmonitor.i18n import catalogue
from tests.cli_tree import command_paths, help_output
from tests.conftest import CliResult

if TYPE_CHECKING:
    from typer import _click

    Command = _click.Command

#: A Danish letter, except in the one Danish word the English help keeps (the unit øre).
_DANISH = re.compile(r"(?!øre)[æøåÆØÅ]")


def _commands(command: Command) -> Iterator[Command]:
    yield command
    for sub in getattr(command, "commands", {}).values():
        yield from _commands(sub)


def _written_texts() -> list[str]:
    """Every help text of the command tree as Typer builds it from the code."""
    texts: list[str] = []
    for command in _commands(typer.main.get_command(app)):
        texts += [t for t in (command.help, command.short_help) if t]
        texts += [t for p in command.params if isinstance(t := getattr(p, "help", None), str)]
    return texts


@pytest.fixture(autouse=True)
def _wide(monkeypatch: pytest.MonkeyPatch) -> None:
    """A terminal wide enough that rich wraps no help text."""
    monkeypatch.setenv("COLUMNS", "250")


def test_every_help_text_of_the_command_tree_is_in_the_catalogue() -> None:
    texts = _written_texts()
    assert len(set(texts)) > 150  # every option, argument, command and group
    missing = sorted({text for text in texts if text not in help_msgids()})
    assert not missing, missing


def test_each_written_help_text_has_one_msgid() -> None:
    # the English text is found by the Danish one, so no two msgids share a Danish text
    prefix = f"{HELP_CONTEXT}\x04"
    danish = [text for key, text in catalogue("da").items() if key.startswith(prefix)]
    assert len(danish) == len(help_msgids()) > 150
    assert [text for text, n in Counter(danish).items() if n > 1] == []


def test_a_help_text_in_each_language() -> None:
    assert help_text("Listeår.", "da") == "Listeår."
    assert help_text("Listeår.", "en") == "List year."
    written = "Arbejdsområde (mappe); uden: kun i hukommelsen."
    assert help_text(written, "en") == "Workspace (folder); without: in memory only."
    unknown = "Not a help text of the catalogue."
    assert help_text(unknown, "en") == unknown
    assert help_text(None, "en") is None


def test_english_help_of_a_command_with_lang(run_cli: Callable[..., CliResult]) -> None:
    english = run_cli("designate", "--lang", "en", "--help")
    assert english.code == 0
    text = " ".join(english.out.split())
    assert "Designate areas by the national criteria and show why." in text
    assert "Area statistics (CSV, Parquet, Excel)." in text
    assert "Language of text and numbers: da or en." in text
    assert "Udpeg områder" not in text and not _DANISH.search(text)


def test_english_help_from_the_environment(
    run_cli: Callable[..., CliResult], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BOLIGMONITOR_LANG", "en")
    top = " ".join(run_cli("--help").out.split())
    assert "Boligmonitor: vulnerable housing areas, vulnerable urban areas" in top
    assert "Explain one area's designation criterion by criterion." in top  # a listed summary
    history = " ".join(run_cli("lists", "history", "--help").out.split())
    assert "Show every list an area has been on, year by year, with evidence." in history
    assert "The area's id or one of its names." in history
    assert not _DANISH.search(top + history)


def test_danish_help_is_the_text_as_written(run_cli: Callable[..., CliResult]) -> None:
    danish = " ".join(run_cli("designate", "--lang", "da", "--help").out.split())
    assert "Udpeg områder efter de statslige kriterier og vis hvorfor." in danish
    assert "Listeår." in danish and "List year." not in danish


def test_english_help_of_every_command_path(monkeypatch: pytest.MonkeyPatch) -> None:
    # the lazily built tree in English is Typer's whole tree with every help text translated,
    # and no Danish text is left in any command's help
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("BOLIGMONITOR_LANG", "en")
    eager = typer.main.get_command(app)
    translate_help(eager, "en")
    paths = [(), *command_paths(eager)]
    assert len(paths) > 40
    for path in paths:
        english = help_output(lazy_command(app), list(path))
        assert english == help_output(eager, list(path)), path
        assert not _DANISH.search(english), (path, _DANISH.findall(english))


def test_the_top_level_lang_chooses_every_command_s_language(
    run_cli: Callable[..., CliResult], monkeypatch: pytest.MonkeyPatch, mimerskvarter_csv: Path
) -> None:
    # the top-level option sets the variable; monkeypatch takes it away after the test
    monkeypatch.setenv("BOLIGMONITOR_LANG", "da")
    english = run_cli("--lang", "en", "designate", "--help")
    assert "Designate areas by the national criteria and show why." in " ".join(english.out.split())
    result = run_cli("--lang", "en", "designate", mimerskvarter_csv, "--year", "2020")
    assert result.code == 0
    assert "Criteria, in order:" in result.out and "Kriterier, i rækkefølge" not in result.out
    monkeypatch.setenv("BOLIGMONITOR_LANG", "da")
    danish = run_cli("designate", mimerskvarter_csv, "--year", "2020")
    assert "Kriterier, i rækkefølge" in danish.out
    assert run_cli("--lang", "xx", "designate", "--help").code == 2
