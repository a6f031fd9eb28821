"""The demo's discussions: lively, realistic, loaded again and again without duplicates."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.models import Organisation, User
from dialogues.models import Participation
from discussions.access import thread_access
from discussions.demo import load_threads_demo
from discussions.models import Thread
from groups.models import BuyerGroup
from tests.dialogues.conftest import make_open_dialogue, signed_in

pytestmark = pytest.mark.django_db


def load():
    call_command("load_demo", stdout=open("/dev/null", "w"))


def test_demo_group_thread_has_300_messages_once():
    load()
    load()
    thread = Thread.objects.get(title__startswith="Laddning vid depåerna")
    assert thread.message_count == thread.messages.count() == 300
    assert thread.revision == 300
    authors = set(thread.messages.values_list("author__email", flat=True))
    assert authors == {"anna@vaxjo.demo.example", "erik@lund.demo.example", "olle@energi.demo.example"}
    local = [timezone.localtime(m.created_at) for m in thread.messages.all()]
    assert all(moment.weekday() < 5 and 8 <= moment.hour < 17 for moment in local)
    assert thread.messages.filter(mentions__isnull=False).exists()
    erik = User.objects.get(email="erik@lund.demo.example")
    assert signed_in(erik).get(thread.get_absolute_url()).status_code == 200


def test_demo_dialogue_threads_when_the_dialogue_demo_has_an_open_dialogue():
    load()
    group = BuyerGroup.objects.get(slug="fossilfria-arbetsmaskiner")
    anna = User.objects.get(email="anna@vaxjo.demo.example")
    dialogue = make_open_dialogue(group, group.needs.get(), anna)
    for name in ("Solvent Energi AB", "Nordlys Teknik AB"):
        Participation.objects.create(dialogue=dialogue, organisation=Organisation.objects.get(name=name))
    load_threads_demo()
    load_threads_demo()
    open_thread = Thread.objects.get(dialogue=dialogue, kind=Thread.Kind.DIALOGUE)
    private = Thread.objects.get(dialogue=dialogue, kind=Thread.Kind.PRIVATE)
    assert open_thread.messages.count() == 5 and private.messages.count() == 3
    assert private.supplier.name == "Solvent Energi AB"
    omar = User.objects.get(email="omar@nordlys.demo.example")
    sara = User.objects.get(email="sara@solvent.demo.example")
    assert thread_access(omar, open_thread).can_read and not thread_access(omar, private).can_read
    assert thread_access(sara, private).can_post
