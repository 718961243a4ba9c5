"""No hard-coded Danish output: Danish words in the code are msgids' translations or data.

Every string literal in ``src/boligmonitor`` with a Danish letter (æ, ø, å) must be a docstring,
a help or description text, a msgid (``translate``, ``N_`` and the input-error calls) or a data
literal on the allow-list below. A new Danish output text written as a plain literal fails here:
put its English msgid in the code and its Danish and English texts in the two ``.po`` files.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "boligmonitor"

_DANISH_LETTERS = re.compile(r"[æøåÆØÅ]")

#: Keyword arguments holding documentation: Typer help texts, column and OpenAPI descriptions.
_DOCUMENTATION = {
    "help",
    "short_help",
    "epilog",
    "rich_help_panel",
    "metavar",
    "description",
    "summary",
}

#: Calls whose first argument is a msgid (see tests/test_catalogue.py).
_FIRST_ARGUMENT_MSGIDS = {"translate", "N_", "Text", "CellError", "refusal"}
#: Calls whose second argument is a msgid: ``InputError.single(file, msgid)``, ``Problem``,
#: ``Finding``.
_SECOND_ARGUMENT_MSGIDS = {"single", "Problem", "Finding"}

#: Data literals with Danish letters, by module: names, ids and spellings the program reads or
#: writes as data, never as a sentence to the user.
_DATA: dict[str, set[str]] = {
    # Budget type ids of a budget note (YAML data); headings come from the catalogue.
    "finance/budget_note.py": {"anlæg"},
    "finance/model.py": {"anlæg", "København", "Københavns Kommune"},  # ids, place defaults
    # A policy document's title, cited as an indicator's definition.
    "indicators/copenhagen.py": {"Politik for Udsatte Byområder, Bilag 1"},
    # Danish designation names and column aliases a history file may use.
    "record/history.py": {
        "ghettoområde",
        "udsat boligområde",
        "hårdt ghettoområde",
        "omdannelsesområde",
        "forebyggelsesområde",
        "områdeid",
        "område id",
        "område",
        "boligområde",
        "områdenavn",
        "år",
        "listeår",
        "liste år",
        "på listen",
    },
    "record/identity.py": {"æ", "ø", "å"},  # spelling folded when matching area names
    # Column aliases of area statistics and unit statistics files.
    "schema/area_statistics.py": {
        "områdeid",
        "område id",
        "boligområde id",
        "boligområde",
        "områdenavn",
        "område",
        "år",
        "listeår",
        "liste år",
    },
    "screening/units.py": {"år"},
    "schema/columns.py": {"[^0-9a-zæøåé]+"},  # letters kept when normalising a heading
    # Synthetic place, street and area names.
    "synth/generate.py": {"København"},
    "synth/world.py": {
        "Region Sjælland",
        "Lærke",
        "Hørgårds",
        "Bellahøj",
        "Sjælør",
        "Rønne",
        "Stærekassen",
        "gården",
        "vænget",
    },
    # English texts naming a Danish unit or law: internal errors and column documentation.
    "finance/allocation.py": {" thousand kr. is not a whole number of øre"},
    "finance/pools.py": {" øre at ", " is not whole øre"},
    "schema/microdata_tables.py": {
        "Municipality code (e.g. 101 København).",
        "Statutory boligområde the department belongs to (empty: none).",
        "Name of the boligområde.",
        "Convicted that year under straffeloven, våbenloven or lov om euforiserende stoffer.",
    },
}


def _call_name(call: ast.Call) -> str | None:
    if isinstance(call.func, ast.Name):
        return call.func.id
    return call.func.attr if isinstance(call.func, ast.Attribute) else None


def _not_output(tree: ast.AST) -> set[int]:
    """Ids of the nodes that are docstrings, documentation keywords or msgids."""
    skipped: set[int] = set()

    def skip(node: ast.AST) -> None:
        skipped.update(id(n) for n in ast.walk(node))

    for node in ast.walk(tree):
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            skip(node.value)  # a docstring (of a module, class, function or attribute)
        elif isinstance(node, ast.keyword) and node.arg in _DOCUMENTATION:
            skip(node.value)
        elif isinstance(node, ast.Call):
            name = _call_name(node)
            if name in _FIRST_ARGUMENT_MSGIDS and node.args:
                skip(node.args[0])
            elif name in _SECOND_ARGUMENT_MSGIDS and len(node.args) > 1:
                skip(node.args[1])
    return skipped


def danish_literals(source: str) -> list[tuple[int, str]]:
    """(line, text) of every string literal with a Danish letter that is not docs or a msgid."""
    tree = ast.parse(source)
    skipped = _not_output(tree)
    found = [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in skipped
        and _DANISH_LETTERS.search(node.value)
    ]
    return sorted(found)


def _literals_by_module() -> dict[str, list[tuple[int, str]]]:
    return {
        str(path.relative_to(SRC)): danish_literals(path.read_text(encoding="utf-8"))
        for path in sorted(SRC.rglob("*.py"))
    }


def test_no_danish_output_written_as_a_literal() -> None:
    hard_coded = [
        f"{module}:{line}: {text!r}"
        for module, found in _literals_by_module().items()
        for line, text in found
        if text not in _DATA.get(module, set())
    ]
    assert not hard_coded, "Danish text outside the catalogue:\n" + "\n".join(hard_coded)


def test_the_data_allow_list_names_only_literals_that_exist() -> None:
    found = {module: {text for _, text in texts} for module, texts in _literals_by_module().items()}
    stale = {
        f"{module}: {text!r}"
        for module, texts in _DATA.items()
        for text in texts
        if text not in found.get(module, set())
    }
    assert not stale, sorted(stale)


def test_the_scan_tells_output_from_docs_msgids_and_data() -> None:
    source = '''
"""Modul om områder."""
from typing import Annotated

def command(lang: str = typer.Option("da", help="Sprog for års-tabeller.")) -> None:
    """Vis områderne."""
    print(translate("Areas in {year}", lang, year=2024))
    print(N_("Goals"), Column("x", description="Id of the boligområde."))
    raise InputError.single(path, "the year is not a list year: {år}", row)
    print("Skrev områderne")
    print(f"{n} områder i alt")
    rows = {"år": 2024}
'''
    assert danish_literals(source) == [(10, "Skrev områderne"), (11, " områder i alt"), (12, "år")]
