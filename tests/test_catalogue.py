"""The one message catalogue: every msgid translated in both languages."""

from __future__ import annotations

from boligmonitor.i18n import LANGUAGES, catalogue, translate


def test_every_message_has_both_translations() -> None:
    ids = {lang: set(catalogue(lang)) for lang in LANGUAGES}
    assert ids["da"] == ids["en"], ids["da"] ^ ids["en"]
    assert all(text.strip() for lang in LANGUAGES for text in catalogue(lang).values())


def test_parameters_are_filled_in_each_language() -> None:
    assert translate("unknown") == "ukendt"
    assert translate("unknown", "en") == "unknown"
