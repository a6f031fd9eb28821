"""Fixtures for the dialogue tests.

- `dc` and friends: one open market dialogue built through the dialogue services on top of the
  buyer group cast (tests/groups/conftest.py), with two participating suppliers A and B, a
  verified supplier that does not take part, and an unverified supplier. `module_dc` is the
  same built once per test module, for modules whose tests only read it (tests/module_data.py).
"""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone, translation

from accounts.models import Organisation, OrganisationMember
from dialogues.models import Dialogue
from dialogues.services.answers import ask_question
from dialogues.services.declarations import declare_conflict
from dialogues.services.dialogue import create_dialogue, open_dialogue, register_participation
from dialogues.services.proposals import submit_proposal
from tests.factories import OrganisationFactory, person_at
from tests.groups.conftest import build_cast, cast, publish_need, published_need  # noqa: F401 (fixtures)
from tests.module_data import kept_for_the_module
from tests.signing_in import TwoFactorClient

PURPOSE = "Vi vill veta vilka fossilfria hjullastare som finns."


@pytest.fixture(autouse=True)
def english():
    """Services speak the active language (Swedish by default); these tests read English."""
    with translation.override("en"):
        yield


def supplier(name, **fields):
    return OrganisationFactory(name=name, kind=Organisation.Kind.SUPPLIER, **fields)


def build_dc(group_cast, need) -> SimpleNamespace:
    """An open dialogue with suppliers A and B taking part."""
    now = timezone.now()
    solvent = supplier("Solvent Energi AB")
    nordlys = supplier("Nordlys Teknik AB")
    third = supplier("Tredje Maskin AB")
    unverified = supplier("Oprövad AB", status=Organisation.Status.UNVERIFIED)
    supplier_a = person_at(solvent, role=OrganisationMember.Role.ADMIN, name="Sara Säljare", email="sara@solvent.se")
    supplier_b = person_at(nordlys, role=OrganisationMember.Role.ADMIN, name="Omar Produkt", email="omar@nordlys.se")
    dialogue = create_dialogue(
        group=group_cast.group,
        need=need,
        user=group_cast.coordinator,
        title="Dialog om hjullastare",
        purpose=PURPOSE,
        schedule="Frågor i två veckor.",
        meeting_plan="Enskilda möten.",
        question_deadline=now + timedelta(days=14),
        submission_deadline=now + timedelta(days=30),
        answer_days=5,
    )
    dialogue = open_dialogue(dialogue=dialogue, user=group_cast.coordinator)
    register_participation(dialogue=dialogue, organisation=solvent, user=supplier_a)
    register_participation(dialogue=dialogue, organisation=nordlys, user=supplier_b)
    return SimpleNamespace(
        **vars(group_cast),
        dialogue=dialogue,
        solvent=solvent,
        nordlys=nordlys,
        third=third,
        supplier_a=supplier_a,
        supplier_b=supplier_b,
        outside_supplier=person_at(third, name="Tina Tredje", email="tina@tredje.se"),
        unverified_supplier=person_at(unverified, name="Ulla Oprövad", email="ulla@oprovad.se"),
    )


@pytest.fixture
def dc(cast, published_need):  # noqa: F811
    return build_dc(cast, published_need)


@pytest.fixture(scope="module")
def _module_dc(django_db_setup, django_db_blocker):
    with kept_for_the_module(django_db_blocker):
        with translation.override("en"):
            group_cast = build_cast()
            built = build_dc(group_cast, publish_need(group_cast))
        yield built


@pytest.fixture
def module_dc(_module_dc, db):
    """`dc`, built once for the test module: for tests that only read it."""
    return _module_dc


def ask_question_a(dc):
    """Supplier A's question, not yet answered; its text names A."""
    return ask_question(
        dialogue=dc.dialogue,
        organisation=dc.solvent,
        user=dc.supplier_a,
        text="Vi på Solvent Energi AB undrar om batteribyte godtas?",
        requirement_number=1,
    )


def declare_no_conflicts(dc):
    """The group's member users have declared no conflict of interest."""
    for person in (dc.coordinator, dc.member):
        declare_conflict(dialogue=dc.dialogue, user=person, has_conflict=False)
    return dc


def submit_proposal_a(dc):
    version = submit_proposal(
        dialogue=dc.dialogue,
        organisation=dc.solvent,
        user=dc.supplier_a,
        text="Hemligt förslag från Solvent: 2 x 40 kWh batteri.",
        secret_parts="Batterikemin",
        secret_reason="Visar vår kostnadsstruktur.",
        uploads=[(ContentFile(b"pris: 1 000 000 kr\n", name="pris.txt"), "text/plain; charset=utf-8", True)],
    )
    return version.submission


@pytest.fixture
def question_a(dc):
    return ask_question_a(dc)


@pytest.fixture
def declared(dc):
    return declare_no_conflicts(dc)


@pytest.fixture
def submission_a(dc):
    return submit_proposal_a(dc)


# --- Discussion threads (issue 5) ---

NEED_FIELDS = {
    "title": "Fossilfria hjullastare",
    "background": "",
    "challenge": "Utmaning",
    "constraints": "",
    "sustainability_goals": "",
    "timeline": "",
    "market_questions": "",
}
NEED_REQUIREMENTS = [{"number": None, "text": "Åtta timmar.", "priority": "must", "rationale": "", "verification": ""}]

# Every role and who may read each kind of discussion (PRODUCT.md §2.5).
ROLES = [
    "visitor",
    "stranger",
    "non_member",
    "unverified",
    "member",
    "observer",
    "coordinator",
    "facilitator",
    "supplier",
    "other_supplier",
    "outside_supplier",
]
READERS = {
    "group": {"member", "observer", "coordinator", "facilitator"},
    "open": {"member", "observer", "coordinator", "facilitator", "supplier", "other_supplier"},
    "private": {"member", "coordinator", "facilitator", "supplier"},  # the private thread with `supplier`
}


def make_open_dialogue(group, need, user, **fields) -> Dialogue:
    now = timezone.now()
    return Dialogue.objects.create(
        group=group,
        need=need,
        title=fields.pop("title", "Marknadsdialog om hjullastare"),
        purpose="Vi vill veta vad marknaden kan leverera.",
        question_deadline=now + timedelta(days=20),
        submission_deadline=now + timedelta(days=30),
        state=fields.pop("state", Dialogue.State.OPEN),
        opened_at=now,
        created_by=user,
        **fields,
    )


def signed_in(user) -> TwoFactorClient:
    client = TwoFactorClient()
    if user is not None:
        client.force_login(user)
    return client


def session_cookie(user) -> bytes:
    return f"sessionid={signed_in(user).cookies['sessionid'].value}".encode()
