"""The search tests' cast: the discussion threads' cast (tests/dialogues/conftest.py) with one
thing of every searchable kind, visible and not, each containing the word "hjullastare".

`EXPECTED` says which roles must find each of them; tests/search/test_access.py checks the
filters of search/access.py against the per-object checks of groups/ and dialogues/ as well.
`sc` is built for each test, `module_sc` once per test module for modules whose tests only
read it (tests/module_data.py).
"""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.base import ContentFile
from django.test import override_settings
from django.utils import translation

from dialogues.models import Answer, Participation
from dialogues.services.answers import ask_question, publish_answer, save_answer_draft
from dialogues.services.proposals import submit_proposal
from discussions.services import get_or_create_private_thread, hide_message, post_message
from groups.models import BuyerGroup
from groups.services.documents import add_document
from groups.services.needs import create_need
from tests.dialogues.conftest import (  # noqa: F401 (fixtures)
    NEED_FIELDS,
    NEED_REQUIREMENTS,
    ROLES,
    english,
    make_open_dialogue,
)
from tests.discussions.conftest import build_thread_cast, thread_cast  # noqa: F401 (fixture)
from tests.module_data import kept_for_the_module

WORD = "hjullastare"
WORKSPACE = {"member", "observer", "coordinator", "facilitator"}
GROUP_SIDE = {"member", "coordinator", "facilitator"}  # not observers: confidential things
EVERYONE = set(ROLES)

# What each role must find when searching for WORD.
EXPECTED = {
    "group": EVERYONE,
    "published_need": EVERYONE,
    "draft_need": WORKSPACE,
    "dialogue": EVERYONE,
    "draft_dialogue": WORKSPACE,
    "group_message": WORKSPACE,
    "hidden_message": {"coordinator", "facilitator"},  # moderators, for the record
    "open_message": WORKSPACE | {"supplier", "other_supplier"},
    "private_message": GROUP_SIDE | {"supplier"},
    "other_private_message": GROUP_SIDE | {"other_supplier"},
    "own_question": GROUP_SIDE | {"supplier"},  # unanswered, in the asker's words
    "answered_question": GROUP_SIDE | {"other_supplier"},  # the original wording names the asker
    "answer": WORKSPACE | {"supplier", "other_supplier"},
    "draft_answer": set(),
    "document": WORKSPACE,
}


def user_of(tc, role):
    return getattr(tc, role) or AnonymousUser()


def add_searchable_things(tc):
    """The thread cast plus one object per entry of EXPECTED (as `sc.things[name]`) and a
    submission that mentions the word (never searchable)."""
    BuyerGroup.objects.filter(pk=tc.group.pk).update(summary=f"Kommuner som delar {WORD} och grävare.")
    tc.group.refresh_from_db()
    fields = {**NEED_FIELDS, "title": f"Utkast om laddbara {WORD}"}
    draft_need = create_need(
        group=tc.group, user=tc.coordinator, fields=fields, requirements=NEED_REQUIREMENTS, change_note="v1"
    )
    draft_dialogue = make_open_dialogue(
        tc.group, tc.need, tc.coordinator, title=f"Utkast till dialog om {WORD}", state="draft"
    )
    group_message = post_message(thread=tc.group_thread, author=tc.member, body=f"Vi har tre {WORD} i Lund.")
    hidden = post_message(thread=tc.group_thread, author=tc.member, body=f"Olämpligt om {WORD}.")
    hidden = hide_message(message=hidden, moderator=tc.coordinator, reason="Olämpligt")
    open_message = post_message(thread=tc.open_thread, author=tc.supplier, body=f"Våra {WORD} laddas över natten.")
    private_message = post_message(
        thread=tc.private_thread, author=tc.supplier, body=f"I förtroende: vårt pris per {WORD}."
    )
    other_private = get_or_create_private_thread(dialogue=tc.dialogue, supplier=tc.nordlys, user=tc.other_supplier)
    other_private_message = post_message(
        thread=other_private, author=tc.other_supplier, body=f"Nordlys bygger {WORD} i Umeå."
    )
    own_question = ask_question(
        dialogue=tc.dialogue, organisation=tc.solvent, user=tc.supplier, text=f"Solvent undrar: hur tunga {WORD}?"
    )
    answered = ask_question(
        dialogue=tc.dialogue, organisation=tc.nordlys, user=tc.other_supplier, text=f"Nordlys frågar om {WORD} i snö."
    )
    answer = save_answer_draft(
        dialogue=tc.dialogue,
        user=tc.coordinator,
        question_text=f"Fungerar {WORD} i snö?",
        body="Ja, med dubbdäck.",
        questions=[answered],
    )
    answer = publish_answer(answer=answer, user=tc.coordinator)
    draft_answer = save_answer_draft(
        dialogue=tc.dialogue, user=tc.coordinator, kind=Answer.Kind.CLARIFICATION, body=f"Utkast om {WORD}."
    )
    document = add_document(
        group=tc.group,
        title=f"Förstudie {WORD} 2026",
        upload=ContentFile(b"%PDF-1.4\n", name="forstudie.pdf"),
        content_type="application/pdf",
        user=tc.coordinator,
    )
    submit_proposal(
        dialogue=tc.dialogue,
        organisation=tc.solvent,
        user=tc.supplier,
        text=f"Hemligt förslag: {WORD} för 1 miljon styck. Affärshemlighetsord.",
        secret_parts="Priset",
        secret_reason="Konkurrenter",
    )
    assert Participation.objects.filter(dialogue=tc.dialogue).count() == 2
    tc.things = {
        "group": tc.group.get_absolute_url(),
        "published_need": tc.need.get_absolute_url(),
        "draft_need": draft_need.get_absolute_url(),
        "dialogue": tc.dialogue.get_absolute_url(),
        "draft_dialogue": draft_dialogue.get_absolute_url(),
        "group_message": group_message.get_absolute_url(),
        "hidden_message": hidden.get_absolute_url(),
        "open_message": open_message.get_absolute_url(),
        "private_message": private_message.get_absolute_url(),
        "other_private_message": other_private_message.get_absolute_url(),
        "own_question": own_question.get_absolute_url(),
        "answered_question": answered.get_absolute_url(),
        "answer": answer.get_absolute_url(),
        "draft_answer": draft_answer.get_absolute_url(),
        "document": f"/groups/{tc.group.slug}/documents/{document.pk}/",
    }
    return tc


@pytest.fixture
def sc(thread_cast, settings, tmp_path):  # noqa: F811
    settings.MEDIA_ROOT = tmp_path
    return add_searchable_things(thread_cast)


@pytest.fixture(scope="module")
def _module_sc(django_db_setup, django_db_blocker, tmp_path_factory):
    with kept_for_the_module(django_db_blocker), override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")):
        with translation.override("en"):
            built = add_searchable_things(build_thread_cast())
        yield built


@pytest.fixture
def module_sc(_module_sc, db):
    """`sc`, built once for the test module: for tests that only read it."""
    return _module_sc
