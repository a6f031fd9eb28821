"""The open data API's fixtures: the OpenAPI document every response is checked against, and a
GET that checks it."""

import json

import pytest
from django.test import Client
from openapi_core import OpenAPI
from openapi_core.contrib.django import DjangoOpenAPIRequest, DjangoOpenAPIResponse

from tests.dialogues.conftest import build_dc, dc  # noqa: F401 (fixtures)
from tests.groups.conftest import cast, publish_need, published_need  # noqa: F401 (fixtures)


@pytest.fixture
def anonymous():
    return Client()


@pytest.fixture
def openapi_schema(anonymous, db):
    response = anonymous.get("/api/v1/schema/?format=json")
    assert response.status_code == 200
    return json.loads(response.content)


@pytest.fixture
def api_get(anonymous, openapi_schema):
    """GET an API address anonymously; the answer, whatever its status, is checked against the
    OpenAPI document (an answer it does not describe fails)."""
    openapi = OpenAPI.from_dict(openapi_schema)

    def get(url, **headers):
        response = anonymous.get(url, **headers)
        openapi.validate_response(DjangoOpenAPIRequest(response.wsgi_request), DjangoOpenAPIResponse(response))
        return response

    return get
