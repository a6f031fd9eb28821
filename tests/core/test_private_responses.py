"""core/private_responses.py under ASGI: the middleware's asynchronous path."""

import pytest
from asgiref.sync import sync_to_async
from django.db import connections
from django.test import AsyncClient
from django.urls import reverse

from tests.factories import UserFactory
from tests.security.test_private_responses import cache_control


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_under_asgi_a_signed_in_page_is_private():
    user = await sync_to_async(UserFactory)()
    client = AsyncClient()
    await client.aforce_login(user)
    response = await client.get(reverse("accounts:profile"))
    assert response.status_code == 200
    assert {"private", "no-store"} <= cache_control(response)
    anonymous = await AsyncClient().get(reverse("groups:group-list"))
    assert "no-store" not in cache_control(anonymous)
    await sync_to_async(connections.close_all)()
