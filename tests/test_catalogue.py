"""The one message catalogue: every msgid translated in both languages, used by all the code."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from boligmonitor.finance.model import focus_area_label
from boligmonitor.i18n import LANGUAGES, as_language, catalogue, localized, translate

SRC = Path(__file__).resolve().parents[1] / "src" / "boligmonitor"

#: Functions whose first argument is a msgid: ``translate`` and the ``N_`` marker in Python,
#: ``_`` in the Jinja templates.
_MSGID_FUNCTIONS = {"translate", "N_", "_"}

#: Input errors: ``InputError.single(file, "msgid", ...)``, ``Problem(file, "msgid", ...)``,
#: ``Finding(loc, "msgid", ...)`` and the web's ``BadParameter(name, "msgid", ...)`` carry the
#: msgid second; ``Text("msgid", ...)``, ``CellError("msgid", ...)``, a validator's
#: ``refusal("msgid", ...)`` and the web's ``NotFound("msgid", ...)`` first.
_SECOND_ARGUMENT_MSGIDS = {"single", "Problem", "Finding", "BadParameter"}
_FIRST_ARGUMENT_MSGIDS = {"Text", "CellError", "refusal", "NotFound"}

#: ``_("msgid")`` or ``_("msgid", msgctxt="context")`` in a template (either quote).
_TEMPLATE_CALL = re.compile(
    r"""\b_\(\s*(?P<q>["'])(?P<id>(?:\\.|(?!(?P=q)).)*)(?P=q)"""
    r"""(?:\s*,\s*msgctxt\s*=\s*["'](?P<ctx>[^"']+)["'])?"""
)

#: An inline language branch: ``lang == "da"``, ``"en" != chosen``, ...
_BRANCH = re.compile(
    r"""\b(?:lang|chosen|language)\s*[!=]=\s*["'](?:da|en)["']"""
    r"""|["'](?:da|en)["']\s*[!=]=\s*(?:lang|chosen|language)\b"""
)

#: Modules whose owners convert their words on their own branches (being rewritten now).
_CONVERTED_ELSEWHERE = {"rules/explain.py"}


def _python_msgids(path: Path) -> set[tuple[str | None, str]]:
    """(msgctxt, msgid) of every literal ``translate("...")``/``N_("...")`` call in a module."""
    found: set[tuple[str | None, str]] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        name = node.func.id if isinstance(node.func, ast.Name) else None
        attribute = node.func.attr if isinstance(node.func, ast.Attribute) else None
        if (name or attribute) in _SECOND_ARGUMENT_MSGIDS and len(node.args) > 1:
            message = node.args[1]
            if isinstance(message, ast.Constant) and isinstance(message.value, str):
                found.add((None, message.value))
            continue
        first = node.args[0]
        if name in _FIRST_ARGUMENT_MSGIDS and isinstance(first, ast.Constant):
            found.add((None, str(first.value)))
            continue
        if name in _MSGID_FUNCTIONS and isinstance(first, ast.Constant):
            context = next(
                (k.value.value for k in node.keywords if k.arg == "msgctxt"),
                None,
            )
            found.add((context if isinstance(context, str) else None, str(first.value)))
    return found


def _template_msgids(path: Path) -> set[tuple[str | None, str]]:
    text = path.read_text(encoding="utf-8")
    return {
        (m["ctx"], m["id"].encode().decode("unicode_escape").encode("latin-1").decode("utf-8"))
        for m in _TEMPLATE_CALL.finditer(text)
    }


def _used_msgids() -> dict[tuple[str | None, str], str]:
    """Every msgid the code and templates use, with a file that uses it."""
    used: dict[tuple[str | None, str], str] = {}
    for path in sorted(SRC.rglob("*.py")):
        for key in _python_msgids(path):
            used.setdefault(key, str(path.relative_to(SRC)))
    for pattern in ("web/templates/*.html", "report/templates/*"):
        for path in sorted(SRC.glob(pattern)):
            for key in _template_msgids(path):
                used.setdefault(key, str(path.relative_to(SRC)))
    return used


def _key(context: str | None, msgid: str) -> str:
    return msgid if context is None else f"{context}\x04{msgid}"


def test_every_message_has_both_translations() -> None:
    ids = {lang: set(catalogue(lang)) for lang in LANGUAGES}
    assert ids["da"] == ids["en"], ids["da"] ^ ids["en"]
    assert all(text.strip() for lang in LANGUAGES for text in catalogue(lang).values())


def test_every_msgid_in_code_and_templates_is_in_both_catalogues() -> None:
    used = _used_msgids()
    assert len(used) > 200  # the scan finds the code's words (there are hundreds)
    for lang in LANGUAGES:
        texts = catalogue(lang)
        missing = {
            f"{where}: {msgid!r}" + (f" ({ctx})" if ctx else "")
            for (ctx, msgid), where in used.items()
            if _key(ctx, msgid) not in texts
        }
        assert not missing, f"{lang}: {sorted(missing)}"


def test_placeholders_agree_between_msgid_and_translations() -> None:
    fields = re.compile(r"\{(\w*)\}")
    for key, text in catalogue("da").items():
        msgid = key.split("\x04")[-1]
        assert set(fields.findall(text)) == set(fields.findall(msgid)), key


def test_the_scan_sees_python_and_template_calls(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text(
        'translate("Areas", lang)\nN_("Employment")\n'
        'translate("unknown", lang, msgctxt="criteria")\nother("Not a msgid")\n'
        'raise InputError.single(path, "file not found", row)\n'
        'Problem(file, "value is required", 3, "x")\nText("empty value")\n'
        "InputError.single(path, message)\n"
        'Finding(("plans", 0), "unknown plan \'{plan_id}\'", {"plan_id": "x"})\n'
        'raise refusal("more than one value for year(s) {years}", years="2020")\n'
        "raise NotFound(\"no plan with id '{plan_id}'\", plan_id=p)\n"
        'raise BadParameter("round", "no screening round {round}; choose {rounds}")\n'
    )
    template = tmp_path / "t.html"
    template.write_text('{{ _("Areas") }} {{ _(\'Goals\', msgctxt="count") }} {{ x }}')
    assert _python_msgids(module) == {
        (None, "Areas"),
        (None, "Employment"),
        ("criteria", "unknown"),
        (None, "file not found"),
        (None, "value is required"),
        (None, "empty value"),
        (None, "unknown plan '{plan_id}'"),
        (None, "more than one value for year(s) {years}"),
        (None, "no plan with id '{plan_id}'"),
        (None, "no screening round {round}; choose {rounds}"),
    }
    assert _template_msgids(template) == {(None, "Areas"), ("count", "Goals")}


def test_no_inline_language_branch_in_the_sources() -> None:
    branches = [
        f"{path.relative_to(SRC)}:{number}: {line.strip()}"
        for path in sorted(SRC.rglob("*"))
        if path.suffix in {".py", ".html", ".typ"}
        and str(path.relative_to(SRC)) not in _CONVERTED_ELSEWHERE
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if _BRANCH.search(line)
    ]
    assert not branches, branches


def test_the_branch_pattern_catches_the_usual_spellings() -> None:
    caught = ['x if lang == "da" else y', "lang != 'en'", '"da" == chosen', "{% if lang == 'da' %}"]
    assert all(_BRANCH.search(line) for line in caught)
    assert not _BRANCH.search("lang = as_language(value)")


def test_parameters_are_filled_in_each_language() -> None:
    assert translate("unknown") == "ukendt"
    assert translate("unknown", "en") == "unknown"
    message = "Units: {a} added, {d} dropped, {k} kept."
    assert translate(message, "da", a=3, d=1, k=20) == "Enheder: 3 nye, 1 udgået, 20 bevaret."
    assert translate(message, "en", a=3, d=1, k=20) == "Units: 3 added, 1 dropped, 20 kept."


def test_a_context_tells_apart_one_english_word_with_two_danish_ones() -> None:
    assert translate("unknown", "da", msgctxt="criteria") == "ukendte"
    assert translate("Goals", "da", msgctxt="count") == "Antal mål"
    assert translate("Goals", "da") == "Mål"
    assert translate("Goals", "en", msgctxt="count") == "Goals"


def test_a_missing_msgid_falls_back_to_itself() -> None:
    assert translate("no such message", "da") == "no such message"


@pytest.mark.parametrize(("lang", "expected"), [("da", "Beskæftigelse"), ("en", "Employment")])
def test_label_tables_read_through_the_catalogue(lang: str, expected: str) -> None:
    assert focus_area_label("beskaeftigelse", lang) == expected
    assert focus_area_label("no_such_area", lang) == "no_such_area"


def test_data_texts_and_languages() -> None:
    assert localized("Mål", "Goals", "da") == "Mål"
    assert localized("Mål", "Goals", "en") == "Goals"
    assert localized("Mål", "Goals", "fr") == "Mål"
    assert [as_language(v) for v in ("en", "da", None, "xx")] == ["en", "da", "da", "da"]


def _po_keys(path: Path) -> list[tuple[str | None, str]]:
    """(msgctxt, msgid) of every entry of a ``.po`` file as written, duplicates kept."""
    keys: list[tuple[str | None, str]] = []
    context: str | None = None
    lines = path.read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines):
        if line.startswith("msgctxt "):
            context = line
        elif line.startswith("msgid "):
            continued = [lines[n] for n in range(number + 1, len(lines))]
            parts = [line, *(part for part in continued[: _run(continued)])]
            keys.append((context, "".join(parts)))
            context = None
    return keys


def _run(lines: list[str]) -> int:
    """How many of ``lines`` continue a multi-line string (start with a quote)."""
    return next((n for n, line in enumerate(lines) if not line.startswith('"')), len(lines))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_msgid_is_written_twice(lang: str) -> None:
    # gettext's msgfmt refuses a duplicate entry, and the reader here silently keeps one of the
    # two translations.
    path = SRC / "locale" / lang / "LC_MESSAGES" / "boligmonitor.po"
    keys = _po_keys(path)
    assert len(keys) > 800
    duplicated = sorted({key[1] for key in keys if keys.count(key) > 1})
    assert not duplicated, duplicated
