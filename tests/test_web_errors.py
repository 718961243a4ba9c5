"""The dashboard's 404 and 422 answers in the reader's language: pages and the JSON API."""

from __future__ import annotations

import html
import re

import pytest
from fastapi.testclient import TestClient

from boligmonitor.web.errors import BadParameter, NotFound, choices, validation_message
from boligmonitor.web.text import LANG_COOKIE

API = "/api/v1"
_HEADING = re.compile(r"<h1>(.*?)</h1>", re.S)
_MESSAGE = re.compile(r'<p class="error-message">(.*?)</p>', re.S)


def _page(client: TestClient, path: str, status: int, **params: object) -> tuple[str, list[str]]:
    """The error page's heading and its messages, as the reader sees them."""
    response = client.get(path, params=params)
    assert response.status_code == status
    assert response.headers["content-type"].startswith("text/html")
    heading = _HEADING.search(response.text)
    assert heading is not None
    return html.unescape(heading[1]), [html.unescape(m) for m in _MESSAGE.findall(response.text)]


# -- pages ------------------------------------------------------------------------------------


def test_unknown_area_page_in_danish_and_english(web_client: TestClient) -> None:
    assert _page(web_client, "/areas/NO-SUCH", 404) == (
        "Ikke fundet",
        ["intet boligområde med id'et 'NO-SUCH'"],
    )
    assert _page(web_client, "/areas/NO-SUCH", 404, lang="en") == (
        "Not found",
        ["no area with id 'NO-SUCH'"],
    )


def test_unknown_plan_page(web_client: TestClient) -> None:
    assert _page(web_client, "/plans/no-such-plan", 404)[1] == [
        "ingen helhedsplan med id'et 'no-such-plan'"
    ]
    assert _page(web_client, "/plans/no-such-plan", 404, lang="en")[1] == [
        "no plan with id 'no-such-plan'"
    ]


def test_year_without_statistics(web_client: TestClient) -> None:
    # the web workspace holds the example areas' statistics for 2014-2022
    assert _page(web_client, "/", 422, year=1999) == (
        "Ugyldig parameter",
        ["Parameteren 'year': ingen områdestatistik for listeåret 1999 (listeår 2014–2022)"],
    )
    assert _page(web_client, "/", 422, year=1999, lang="en") == (
        "Invalid parameter",
        ["Parameter 'year': no area statistics for the list year 1999 (list years 2014–2022)"],
    )


def test_area_year_lists_the_area_years_joined_the_danish_way(web_client: TestClient) -> None:
    years = ", ".join(str(y) for y in range(2014, 2022))
    assert _page(web_client, "/areas/EX-01", 422, year=2013)[1] == [
        "Parameteren 'year': boligområdet har ingen statistik for listeåret 2013; "
        f"vælg {years} eller 2022"
    ]


def test_unknown_rule_set_names_the_known_ones(web_client: TestClient, web_engine: object) -> None:
    known = [s.id for s in web_engine.designations.rule_sets()]  # type: ignore[attr-defined]
    quoted = [f"'{k}'" for k in known]
    danish = f"{', '.join(quoted[:-1])} eller {quoted[-1]}"
    english = f"{', '.join(quoted[:-1])} or {quoted[-1]}"
    assert len(known) > 2
    assert _page(web_client, "/", 422, rules="dk-1066")[1] == [
        f"Parameteren 'rules': ukendt regelsæt 'dk-1066'; vælg {danish}"
    ]
    assert _page(web_client, "/", 422, rules="dk-1066", lang="en")[1] == [
        f"Parameter 'rules': unknown rule set 'dk-1066'; choose {english}"
    ]


def test_unknown_source_and_screening_round(web_client: TestClient) -> None:
    assert _page(web_client, "/city", 422, source="x")[1] == [
        "Parameteren 'source': ukendt kilde 'x'; brug 'workspace' eller 'reference'"
    ]
    assert _page(web_client, "/goals", 422, source="x")[1] == [
        "Parameteren 'source': ukendt kilde 'x'; brug 'auto', 'published' eller 'microdata'"
    ]
    # the web workspace is screened in 2017 and 2021
    assert _page(web_client, "/city", 422, round=2019)[1] == [
        "Parameteren 'round': ingen screeningsrunde 2019; vælg 2017 eller 2021"
    ]
    assert _page(web_client, "/city", 422, source="x", lang="en")[1] == [
        "Parameter 'source': unknown source 'x'; use 'workspace' or 'reference'"
    ]


def test_invalid_integer_query_parameter(web_client: TestClient) -> None:
    assert _page(web_client, "/", 422, year="x") == (
        "Ugyldig parameter",
        ["Parameteren 'year': ikke et helt tal"],
    )
    assert _page(web_client, "/download/overview.csv", 422, year="abc")[1] == [
        "Parameteren 'year': 'abc' er ikke et helt tal"
    ]
    assert _page(web_client, "/", 422, year="x", lang="en")[1] == [
        "Parameter 'year': not a whole number"
    ]


def test_each_invalid_parameter_gets_its_own_sentence(web_client: TestClient) -> None:
    assert _page(web_client, "/download/overview.pdf", 422, dialect="word")[1] == [
        "Parameteren 'fmt': skal være en af 'csv', 'xlsx' eller 'geojson'",
        "Parameteren 'dialect': skal være en af 'excel' eller 'machine'",
    ]


def test_an_unknown_address_gives_the_404_page_and_the_api_fastapis_answer(
    web_client: TestClient,
) -> None:
    assert _page(web_client, "/no/such/page", 404) == (
        "Ikke fundet",
        ["der er ingen side på adressen '/no/such/page'"],
    )
    assert _page(web_client, "/static/no-such.css", 404, lang="en")[1] == [
        "there is no page at '/static/no-such.css'"
    ]
    missing = web_client.get(f"{API}/no-such-endpoint")
    assert (missing.status_code, missing.json()) == (404, {"detail": "Not Found"})
    assert web_client.post("/").status_code == 405


def test_the_language_cookie_chooses_the_page_language(web_client: TestClient) -> None:
    web_client.cookies.set(LANG_COOKIE, "en")
    assert _page(web_client, "/areas/NO-SUCH", 404)[1] == ["no area with id 'NO-SUCH'"]


# -- the JSON API ------------------------------------------------------------------------------


def test_api_404_keeps_its_shape_in_the_requested_language(web_client: TestClient) -> None:
    danish = web_client.get(f"{API}/areas/NO-SUCH")
    assert danish.status_code == 404
    assert danish.json() == {"detail": "intet boligområde med id'et 'NO-SUCH'"}
    english = web_client.get(f"{API}/areas/NO-SUCH/designations", params={"lang": "en"})
    assert english.json() == {"detail": "no area with id 'NO-SUCH'"}


def test_the_pages_json_endpoints_answer_json_too(web_client: TestClient) -> None:
    missing = web_client.get("/api/outlook")  # the web workspace stores no outlook
    assert missing.status_code == 404
    assert missing.json() == {
        "detail": "Der er ingen prognose i arbejdsområdet: kør boligmonitor outlook --year ÅR "
        "-w MAPPE."
    }


def test_api_422_keeps_its_shape_in_the_requested_language(web_client: TestClient) -> None:
    params = {"year": 2021, "designation": "ghettoomraade"}
    danish = web_client.get(f"{API}/designations", params=params)
    assert danish.status_code == 422
    assert danish.json() == {
        "detail": [
            {
                "loc": ["query", "designation"],
                "msg": "'ghettoomraade' er ikke en udpegning i regelsættet 'dk-2021'; vælg "
                "'udsat_boligomraade', 'parallelsamfund', 'omdannelsesomraade' eller "
                "'forebyggelsesomraade'",
                "type": "value",
            }
        ]
    }
    english = web_client.get(f"{API}/designations", params={"year": 1999, "lang": "en"})
    assert english.json() == {
        "detail": [
            {
                "loc": ["query", "year"],
                "msg": "no area statistics for the list year 1999 (list years 2014–2022)",
                "type": "value",
            }
        ]
    }


def test_api_validation_errors_keep_fastapis_shape_with_the_message_translated(
    web_client: TestClient,
) -> None:
    danish = web_client.get(f"{API}/areas", params={"page": "one"})
    assert danish.status_code == 422
    assert danish.json() == {
        "detail": [
            {
                "type": "int_parsing",
                "loc": ["query", "page"],
                "msg": "ikke et helt tal",
                "input": "one",
            }
        ]
    }
    english = web_client.get(f"{API}/areas/EX-01/designations", params={"lang": "de"})
    detail = english.json()["detail"]
    assert [(d["type"], d["loc"], d["input"]) for d in detail] == [
        ("string_pattern_mismatch", ["query", "lang"], "de")
    ]
    assert detail[0]["msg"] == "skal være en af 'da' eller 'en'"  # no valid language: Danish


def test_the_api_language_is_its_lang_parameter_not_the_page_cookie(
    web_client: TestClient,
) -> None:
    web_client.cookies.set(LANG_COOKIE, "en")
    response = web_client.get(f"{API}/indicators", params={"area_id": "NO-SUCH"})
    assert response.status_code == 422
    assert response.json()["detail"] == [
        {
            "loc": ["query", "area_id"],
            "msg": "intet boligområde med id'et 'NO-SUCH'",
            "type": "value",
        }
    ]


# -- the errors themselves --------------------------------------------------------------------


def test_str_of_an_error_stays_english() -> None:
    missing = NotFound("no area with id '{area_id}'", area_id="X")
    assert str(missing) == "no area with id 'X'"
    bad = BadParameter(
        "round",
        "no screening round {round}; choose {rounds}",
        round=2019,
        rounds=choices([2017, 2021]),
    )
    assert str(bad) == "round: no screening round 2019; choose 2017 or 2021"
    assert bad.message == "no screening round 2019; choose 2017 or 2021"
    assert bad.render("da") == "ingen screeningsrunde 2019; vælg 2017 eller 2021"


@pytest.mark.parametrize(
    ("error", "danish"),
    [
        ({"type": "int_parsing", "loc": ("query", "year")}, "ikke et helt tal"),
        ({"type": "missing", "loc": ("query", "year")}, "feltet skal udfyldes"),
        (
            {"type": "less_than_equal", "loc": ["query", "per_page"], "ctx": {"le": 500}},
            "skal være mindre end eller lig med 500",
        ),
        (
            {"type": "string_too_long", "loc": ("query", "x"), "ctx": {"max_length": 200}},
            "må højst have 200 tegn",
        ),
    ],
)
def test_validation_messages_use_the_input_catalogue(error: dict[str, object], danish: str) -> None:
    assert validation_message({"msg": "English words", **error}) == danish


def test_an_id_echoed_in_an_error_page_is_escaped(web_client: TestClient) -> None:
    response = web_client.get("/areas/<script>alert(1)<%2Fscript>")
    assert response.status_code == 404
    assert "<script>alert(1)" not in response.text
    assert "&lt;script&gt;alert(1)" in response.text
