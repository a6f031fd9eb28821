import pytest
from django.core.management import call_command

from accounts.models import Organisation, User
from groups.models import BuyerGroup, Membership, NeedStatement
from indicator.demo import GENERATED_MARK

pytestmark = pytest.mark.django_db


def load():
    call_command("load_demo", stdout=open("/dev/null", "w"))


def test_demo_loads_twice_without_duplicates(client):
    load()
    load()
    assert User.objects.filter(is_demo=True).count() == 8
    assert Organisation.objects.exclude(name__endswith=GENERATED_MARK).count() == 8
    assert BuyerGroup.objects.count() == 3  # the dialogue group, the one that procured, one on its theme
    assert Organisation.objects.get(name="Oprövad Leverantör AB").status == Organisation.Status.UNVERIFIED
    assert client.login(email="sara@solvent.demo.example", password="demo-2026")


def test_demo_groups_tell_the_story():
    load()
    open_group = BuyerGroup.objects.get(slug="fossilfria-arbetsmaskiner")
    assert open_group.is_open and not BuyerGroup.objects.get(slug="digitala-trygghetslarm").is_open
    need = open_group.needs.get()
    assert need.state == NeedStatement.State.PUBLISHED and need.versions.count() == 3
    assert need.endorsements.filter(commitment="committed").count() == 2
    assert open_group.documents.exists()
    assert open_group.memberships.get(organisation__name="Trafikverket").status == Membership.Status.REQUESTED


def test_every_demo_authority_has_a_county():
    load()
    authorities = Organisation.objects.filter(kind__in=Organisation.AUTHORITY_KINDS)
    assert authorities.count() > 200
    assert not authorities.filter(county="").exists()
    assert Organisation.objects.get(name="Växjö kommun").county == "07"
