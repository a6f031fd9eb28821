"""The goal 5 indicator's figures in the API: the same rows as the public page
/indicator/statistics/, every shown figure on the page, every suppressed one without a value."""

import json

import pytest

from accounts.models import Organisation
from tests.indicator.conftest import cast, statements  # noqa: F401 (the indicator cast, with size classes)
from tests.indicator.test_statistics import EN, PAGE, authorities, figure, two_years  # noqa: F401

pytestmark = pytest.mark.django_db


def test_every_figure_is_the_public_pages(api_get, anonymous, two_years):  # noqa: F811
    data = json.loads(api_get("/api/v1/indicator/").content)
    assert data["min_authorities"] == 3
    assert data["web_url"].endswith(PAGE)
    html = anonymous.get(PAGE, **EN).content.decode()
    shown = [row for row in data["results"] if not row["suppressed"]]
    assert len(shown) > 20
    for row in shown:
        assert figure(row) in html, row
        assert row["label"]["en"] in html.replace("&#x27;", "'")
    kommun = next(row for row in data["results"] if row["dimension"] == "kind" and row["key"] == "kommun")
    assert (kommun["value"], kommun["authorities"], kommun["label"]["sv"]) == (3.33, 3, "Kommun")
    assert {row["key"] for row in data["results"] if row["dimension"] == "in_group"} == {"non_member"}


def test_a_small_cell_has_no_value_in_the_api_either(api_get, cast):  # noqa: F811
    authorities(cast, Organisation.Kind.KOMMUN, 5, [4] * 6)
    authorities(cast, Organisation.Kind.REGION, 2, [1] * 6, size=4)
    rows = json.loads(api_get("/api/v1/indicator/").content)["results"]
    kinds = {row["key"]: row for row in rows if row["dimension"] == "kind"}
    for kind in ("kommun", "region"):
        assert kinds[kind]["suppressed"] and kinds[kind]["value"] is None and kinds[kind]["authorities"] is None
    assert "1.0" not in json.dumps([row["value"] for row in rows])
