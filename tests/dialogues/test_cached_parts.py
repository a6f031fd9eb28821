"""The dialogue page's parts that are kept in the cache (groups/fragments.py: the differences
between the need's versions and the joint demand) change with what is behind them, and what a
reader may see is still decided on every request (issue 22)."""

import pytest
from django.urls import reverse

from dialogues.services.dialogue import withdraw_participation
from tests.groups.test_views import edit_data as need_data

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def page(client, dc) -> str:
    response = client.get(dc.dialogue.get_absolute_url(), **EN)
    assert response.status_code == 200
    return response.content.decode()


def test_a_new_version_of_the_need_shows_what_changed_on_the_dialogue(client, dc):
    client.force_login(dc.supplier_a)
    assert "what changed since version 1" not in page(client, dc)
    client.force_login(dc.coordinator)
    need = dc.dialogue.need
    client.post(reverse("groups:need-edit", args=[dc.group.slug, need.pk]), need_data(dc, "Ny rubrik", 1))
    client.post(reverse("groups:need-move", args=[dc.group.slug, need.pk]), {"state": "published"})
    client.force_login(dc.supplier_a)
    html = page(client, dc)
    assert "Version 2 was published" in html and "what changed since version 1" in html and "Ny rubrik" in html


def test_the_joint_demand_follows_each_commitment(client, dc):
    client.force_login(dc.supplier_a)
    assert "8 maskiner" not in page(client, dc)
    client.force_login(dc.member)
    endorse = reverse("groups:endorsement-edit", args=[dc.group.slug, dc.dialogue.need_id, dc.lund.pk])
    client.post(endorse, {"commitment": "committed", "quantity": "8", "unit": "maskiner"})
    client.force_login(dc.supplier_a)
    assert "8 maskiner" in page(client, dc)


def test_a_withdrawn_supplier_no_longer_counts_and_the_others_still_read_the_page(client, dc):
    client.force_login(dc.coordinator)
    assert "2 suppliers take part." in page(client, dc)
    participation = dc.dialogue.participations.get(organisation=dc.solvent)
    withdraw_participation(participation=participation, user=dc.supplier_a)
    html = page(client, dc)
    assert "1 supplier takes part." in html
    client.force_login(dc.supplier_b)
    assert client.get(dc.dialogue.get_absolute_url()).status_code == 200
