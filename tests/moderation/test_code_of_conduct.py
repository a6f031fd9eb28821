"""Everyone accepts the code of conduct before their first post; what they typed waits for them
(accounts/standing.py) while they do."""

import pytest
from django.urls import reverse

from accounts.models import CODE_OF_CONDUCT_VERSION, CodeOfConductAcceptance, OrganisationMember
from dialogues.services.answers import ask_question
from dialogues.services.shared import DialogueRuleError
from discussions.services import ThreadRuleError, post_message
from tests.factories import UserFactory
from tests.moderation.conftest import signed_in

CODE_URL = reverse("moderation:code-of-conduct")


@pytest.fixture
def newcomer(mc):
    """A new colleague at Lunds kommun (a member of the group) who has not accepted the code."""
    person = UserFactory(name="Nora Ny", accepted_code_of_conduct=False)
    OrganisationMember.objects.create(organisation=mc.lund, user=person)
    return person


@pytest.fixture
def new_supplier(mc):
    person = UserFactory(name="Nils Ny", accepted_code_of_conduct=False)
    OrganisationMember.objects.create(organisation=mc.solvent, user=person)
    return person


def test_the_services_refuse_a_first_post_before_acceptance(mc, newcomer, new_supplier):
    with pytest.raises(ThreadRuleError, match="code of conduct"):
        post_message(thread=mc.thread, author=newcomer, body="Hej")
    with pytest.raises(DialogueRuleError, match="code of conduct"):
        ask_question(dialogue=mc.dialogue, organisation=mc.solvent, user=new_supplier, text="Fråga")
    assert not mc.thread.messages.filter(author=newcomer).exists()


def test_posting_sends_to_the_code_and_keeps_the_text(mc, newcomer):
    client = signed_in(newcomer)
    response = client.post(reverse("threads:message-create", args=[mc.thread.pk]), {"body": "Mitt första inlägg"})
    assert response.status_code == 302 and response["Location"].startswith(CODE_URL)
    assert not mc.thread.messages.filter(author=newcomer).exists()
    accepted = client.post(CODE_URL, {"accept": "yes", "next": mc.thread.get_absolute_url()})
    assert accepted["Location"] == mc.thread.get_absolute_url()
    acceptance = CodeOfConductAcceptance.objects.get(user=newcomer)
    assert acceptance.version == CODE_OF_CONDUCT_VERSION and acceptance.accepted_at is not None
    page = client.get(mc.thread.get_absolute_url()).content.decode()
    assert "Mitt första inlägg" in page  # back in the composer
    assert "Mitt första inlägg" not in client.get(mc.thread.get_absolute_url()).content.decode()  # once
    client.post(reverse("threads:message-create", args=[mc.thread.pk]), {"body": "Mitt första inlägg"})
    assert mc.thread.messages.filter(author=newcomer).count() == 1


def test_the_live_composer_is_told_where_to_go(mc, newcomer):
    response = signed_in(newcomer).post(
        reverse("threads:message-create", args=[mc.thread.pk]), {"body": "Hej"}, headers={"accept": "application/json"}
    )
    assert response.status_code == 403
    assert response.json()["redirect"].startswith(CODE_URL)


def test_starting_a_discussion_keeps_title_and_text(mc, newcomer):
    client = signed_in(newcomer)
    url = reverse("threads:group-threads", args=[mc.group.slug])
    response = client.post(url, {"title": "Depåer", "body": "Hur gör ni?"})
    assert response["Location"].startswith(CODE_URL)
    client.post(CODE_URL, {"accept": "yes", "next": url})
    page = client.get(url).content.decode()
    assert "Depåer" in page and "Hur gör ni?" in page


def test_asking_a_question_keeps_the_question(mc, new_supplier):
    client = signed_in(new_supplier)
    url = reverse("dialogues:question-list", args=[mc.dialogue.pk])
    response = client.post(url, {"organisation": mc.solvent.pk, "text": "Godtas biogas?", "requirement_number": ""})
    assert response["Location"].startswith(CODE_URL)
    assert not mc.dialogue.questions.filter(asked_by=new_supplier).exists()
    client.post(CODE_URL, {"accept": "yes", "next": url})
    assert "Godtas biogas?" in client.get(url).content.decode()


def test_accepting_needs_the_box_ticked(mc, newcomer):
    response = signed_in(newcomer).post(CODE_URL, {"next": "/"})
    assert response.status_code == 400 and "Tick the box" in response.content.decode()
    assert not CodeOfConductAcceptance.objects.filter(user=newcomer).exists()


def test_a_foreign_next_address_is_ignored(mc, newcomer):
    response = signed_in(newcomer).post(CODE_URL, {"accept": "yes", "next": "https://evil.example/"})
    assert response["Location"] == reverse("home")


def test_anyone_can_read_the_code(db):
    assert signed_in(None).get(CODE_URL).status_code == 200


def test_suspended_people_see_why_on_the_code_page(mc):
    from moderation.services import suspend_user

    suspend_user(user=mc.member, moderator=mc.facilitator, reason="Påhopp på andra", group=mc.group)
    page = signed_in(mc.member).get(CODE_URL).content.decode()
    assert "Påhopp på andra" in page and "until further notice" in page


def test_the_discussion_page_says_the_code_comes_first(mc, newcomer):
    page = signed_in(newcomer).get(mc.thread.get_absolute_url()).content.decode()
    assert 'id="code-of-conduct-note"' in page
    assert 'id="code-of-conduct-note"' not in signed_in(mc.member).get(mc.thread.get_absolute_url()).content.decode()
