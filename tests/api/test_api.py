"""The open data API (api/): what it answers, how it pages, filters and caches, and how it fails.
Every 200 is validated against the OpenAPI document the API serves (tests/api/conftest.py)."""

import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.http import http_date
from openapi_spec_validator import validate

from dialogues.models import Dialogue
from dialogues.services.answers import publish_clarification
from dialogues.services.dialogue import close_dialogue, create_dialogue
from groups.models import BuyerGroup, NeedStatement
from groups.services.needs import save_endorsement

pytestmark = pytest.mark.django_db


def body(response):
    return json.loads(response.content)


def all_pages(api_get, url) -> list[dict]:
    objects = []
    while url:
        response = api_get(url)
        assert response.status_code == 200, response.content
        page = body(response)
        objects += page["results"]
        url = page["next"]
    return objects


def test_the_openapi_document_is_valid_openapi_3(openapi_schema):
    validate(openapi_schema)
    assert openapi_schema["openapi"].startswith("3.")
    paths = set(openapi_schema["paths"])
    for path in (
        "/api/v1/groups/",
        "/api/v1/groups/{id}/",
        "/api/v1/needs/{id}/",
        "/api/v1/dialogues/",
        "/api/v1/themes/",
    ):
        assert path in paths
    # Read-only: no operation but GET.
    assert {method for operations in openapi_schema["paths"].values() for method in operations} == {"get"}


def test_every_endpoint_answers_as_the_document_says(api_get, dc):
    save_endorsement(need=dc.need, organisation=dc.lund, user=dc.member, commitment="committed", quantity=12, unit="st")
    root = body(api_get("/api/v1/"))
    for name in ("groups", "needs", "dialogues", "themes"):
        listing = body(api_get(root[name]))
        objects = listing["results"] if isinstance(listing, dict) else listing
        assert objects, name
        if "url" in objects[0]:
            detail = api_get(objects[0]["url"])
            assert detail.status_code == 200
            assert body(detail) == objects[0]
    need = body(api_get(f"/api/v1/needs/{dc.need.pk}/"))
    assert need["aggregate_demand"]["committed_authorities"] == 1
    assert need["aggregate_demand"]["quantities"] == [{"unit": "st", "total": 12.0}]
    assert [r["number"] for r in need["requirements"]] == ["R1", "R2"]


def test_drafts_and_unpublished_needs_are_not_there(api_get, dc):
    draft = create_dialogue(
        group=dc.group,
        need=dc.need,
        user=dc.coordinator,
        title="Utkast",
        purpose="Ej publicerad",
        schedule="",
        meeting_plan="",
        question_deadline=timezone.now() + timedelta(days=3),
        submission_deadline=timezone.now() + timedelta(days=6),
        answer_days=5,
    )
    unpublished = NeedStatement.objects.create(group=dc.group)
    assert api_get(f"/api/v1/dialogues/{draft.pk}/").status_code == 404
    assert api_get(f"/api/v1/needs/{unpublished.pk}/").status_code == 404
    assert draft.pk not in [d["id"] for d in all_pages(api_get, "/api/v1/dialogues/")]
    assert unpublished.pk not in [n["id"] for n in all_pages(api_get, "/api/v1/needs/")]


def test_conditional_get_gives_304_until_something_changes(api_get, dc):
    url = f"/api/v1/dialogues/{dc.dialogue.pk}/"
    first = api_get(url)
    assert first["Cache-Control"] == f"public, max-age={60}"
    etag, last_modified = first["ETag"], first["Last-Modified"]
    assert api_get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert api_get(url, HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304
    assert api_get("/api/v1/dialogues/", HTTP_IF_NONE_MATCH=api_get("/api/v1/dialogues/")["ETag"]).status_code == 304

    # A current copy costs one query, for an object and for a page of 100: the answer is not
    # built to be thrown away.
    listing = "/api/v1/needs/?limit=100"
    listing_etag = api_get(listing)["ETag"]
    for address, current in ((url, etag), (listing, listing_etag)):
        with CaptureQueriesContext(connection) as captured:
            assert api_get(address, HTTP_IF_NONE_MATCH=current).status_code == 304
        assert len(captured) == 1, address

    close_dialogue(dialogue=dc.dialogue, user=dc.coordinator)
    changed = api_get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert body(changed)["state"] == "closed"
    # Closing moved the newest change of the list, so If-Modified-Since sees it too.
    listing_since = http_date(Dialogue.objects.get(pk=dc.dialogue.pk).updated_at.timestamp() - 1)
    assert api_get("/api/v1/dialogues/", HTTP_IF_MODIFIED_SINCE=listing_since).status_code == 200


def test_cursor_pages_cover_every_object_once(api_get, cast):
    for number in range(6):
        BuyerGroup.objects.create(
            name=f"Grupp {number}", slug=f"grupp-{number}", theme="food", summary="s", challenge="c"
        )
    first = api_get("/api/v1/groups/?limit=2")
    assert 'rel="next"' in first["Link"]
    objects = all_pages(api_get, "/api/v1/groups/?limit=2")
    ids = [group["id"] for group in objects]
    assert ids == sorted(ids)
    assert set(ids) == set(BuyerGroup.objects.values_list("pk", flat=True))


@pytest.mark.parametrize(
    "query, field",
    [
        ("theme=nonsense", "theme"),
        ("updated_since=yesterday", "updated_since"),
        ("limit=0", "limit"),
        ("limit=101", "limit"),
        ("limit=many", "limit"),
        ("status=sleeping", "status"),
        ("cursor=not-a-cursor", "cursor"),
    ],
)
def test_bad_parameters_are_a_400_naming_the_parameter(api_get, cast, query, field):
    response = api_get(f"/api/v1/groups/?{query}", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    error = body(response)["error"]
    assert error["code"] == "invalid" and error["status"] == 400
    assert list(error["fields"]) == [field]


def test_errors_have_one_shape_in_the_clients_language(api_get, anonymous, cast):
    swedish = anonymous.get("/api/v1/nothing-here/")  # no such path in the document: not api_get
    assert swedish.status_code == 404 and swedish["Content-Type"] == "application/json"
    assert body(swedish) == {
        "error": {"status": 404, "code": "not_found", "message": "Det finns inget offentligt på den här adressen."}
    }
    english = api_get("/api/v1/groups/999999/", HTTP_ACCEPT_LANGUAGE="en")
    assert body(english)["error"]["message"] == "There is nothing public at this address."
    for address in ("/api/v1/groups/99999999999999999999999/", "/api/v1/needs/-1/", "/api/v1/dialogues/1.5/"):
        assert anonymous.get(address).status_code == 404, address


def test_the_api_is_read_only(anonymous, cast):
    for method in ("post", "put", "patch", "delete"):
        response = getattr(anonymous, method)("/api/v1/groups/", HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 405, method
        assert body(response)["error"]["code"] == "method_not_allowed"
    assert BuyerGroup.objects.count() == 1


def test_cors_lets_other_sites_read_without_cookies(anonymous, cast):
    preflight = anonymous.options(
        "/api/v1/groups/", HTTP_ORIGIN="https://bevakning.example", HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET"
    )
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert "POST" not in preflight["Access-Control-Allow-Methods"]
    assert "Access-Control-Allow-Credentials" not in preflight
    response = anonymous.get("/api/v1/groups/", HTTP_ORIGIN="https://bevakning.example")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response["Access-Control-Expose-Headers"]
    # The site's own pages do not open up.
    assert "Access-Control-Allow-Origin" not in anonymous.get("/groups/", HTTP_ORIGIN="https://bevakning.example")


def test_too_many_requests_from_one_address_get_429_with_retry_after(anonymous, cast, settings):
    settings.API_RATE_LIMIT = "3/minute"
    for _ in range(3):
        assert anonymous.get("/api/v1/themes/").status_code == 200
    refused = anonymous.get("/api/v1/themes/", HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 60
    assert body(refused)["error"]["code"] == "throttled"
    # Another address has its own count.
    assert anonymous.get("/api/v1/themes/", REMOTE_ADDR="192.0.2.7").status_code == 200


def test_filters(api_get, dc):
    other = BuyerGroup.objects.create(name="Mat", slug="mat", theme="food", summary="s", challenge="c")
    assert [g["id"] for g in all_pages(api_get, "/api/v1/groups/?theme=food")] == [other.pk]
    assert [g["id"] for g in all_pages(api_get, "/api/v1/groups/?status=ongoing&theme=transport")] == [dc.group.pk]
    assert all_pages(api_get, "/api/v1/groups/?status=ended") == []
    assert [d["id"] for d in all_pages(api_get, "/api/v1/dialogues/?status=open&theme=transport")] == [dc.dialogue.pk]
    assert all_pages(api_get, "/api/v1/dialogues/?status=closed") == []
    assert all_pages(api_get, "/api/v1/needs/?theme=food") == []

    since = timezone.now()
    assert all_pages(api_get, f"/api/v1/dialogues/?updated_since={since.isoformat()}".replace("+", "%2B")) == []
    publish_clarification(dialogue=dc.dialogue, user=dc.coordinator, body="Alla svar gäller version 1.")
    changed = all_pages(api_get, f"/api/v1/dialogues/?updated_since={since.isoformat()}".replace("+", "%2B"))
    assert [d["id"] for d in changed] == [dc.dialogue.pk]


def test_a_signed_in_person_gets_the_public_answer_and_it_stays_cacheable(client, anonymous, dc):
    client.force_login(dc.coordinator)
    url = f"/api/v1/needs/{dc.need.pk}/"
    signed_in, public = client.get(url), anonymous.get(url)
    assert signed_in.content == public.content
    assert "private" not in signed_in["Cache-Control"]


def test_dialogues_by_deadline_and_by_a_member_authoritys_county(api_get, dc):
    dc.lund.county = "12"
    dc.lund.save()
    assert [d["id"] for d in all_pages(api_get, "/api/v1/dialogues/?county=12")] == [dc.dialogue.pk]
    assert all_pages(api_get, "/api/v1/dialogues/?county=07") == []
    # The deadline for proposals is 30 days away (tests/dialogues/conftest.py).
    assert [d["id"] for d in all_pages(api_get, "/api/v1/dialogues/?deadline_within=31")] == [dc.dialogue.pk]
    assert all_pages(api_get, "/api/v1/dialogues/?deadline_within=29") == []
    group = body(api_get(f"/api/v1/groups/{dc.group.pk}/"))
    assert {"name": "Lunds kommun", "kind": "kommun", "county": "12"} in group["member_authorities"]
    for query in ("county=99", "deadline_within=0", "deadline_within=366"):
        assert api_get(f"/api/v1/dialogues/?{query}").status_code == 400
