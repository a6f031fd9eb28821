"""The moderation cast: the dialogue cast (tests/dialogues/conftest.py) plus one item of each
kind that can be reported, written by someone who is not a moderator."""

from types import SimpleNamespace

import pytest
from django.core.files.base import ContentFile

from dialogues.services.answers import ask_question
from dialogues.services.proposals import submit_proposal
from discussions.services import post_message, start_group_thread
from groups.services.documents import add_document
from tests.dialogues.conftest import dc, english  # noqa: F401 (fixtures)
from tests.discussions.conftest import thread_cast  # noqa: F401
from tests.groups.conftest import cast, published_need  # noqa: F401 (fixtures)
from tests.signing_in import TwoFactorClient


@pytest.fixture
def mc(dc):  # noqa: F811
    thread = start_group_thread(group=dc.group, author=dc.coordinator, title="Laddning", body="Hur laddar vi?")
    message = post_message(thread=thread, author=dc.member, body="Ni är alla idioter.")
    document = add_document(
        group=dc.group,
        title="Kalkyl",
        upload=ContentFile(b"hemligt\n", name="kalkyl.txt"),
        content_type="text/plain",
        user=dc.member,
    )
    question = ask_question(
        dialogue=dc.dialogue, organisation=dc.solvent, user=dc.supplier_a, text="Köp våra maskiner!"
    )
    version = submit_proposal(dialogue=dc.dialogue, organisation=dc.solvent, user=dc.supplier_a, text="Reklam, reklam.")
    return SimpleNamespace(
        **vars(dc),
        thread=thread,
        message=message,
        document=document,
        question=question,
        submission=version.submission,
        items={"message": message, "document": document, "question": question, "submission": version.submission},
        authors={"message": dc.member, "document": dc.member, "question": dc.supplier_a, "submission": dc.supplier_a},
    )


def signed_in(user) -> TwoFactorClient:
    client = TwoFactorClient()
    if user is not None:
        client.force_login(user)
    return client
