"""search/access.py against the per-object checks of groups/access.py and dialogues/access.py:
for every role and every object, the search filter lets it through exactly when the page for
that object would open. Every test here only reads: the cast is built once for the module."""

import pytest
from django.http import Http404

from dialogues.access import dialogue_access
from dialogues.models import Answer, Dialogue, Question
from discussions.access import thread_access
from discussions.models import Message
from groups.access import get_need_for_user, group_access
from groups.models import BuyerGroup, Document, NeedVersion
from search import access
from tests.search.conftest import ROLES, user_of


@pytest.fixture
def sc(module_sc):
    """Here the cast is the module's: every test in this module only reads."""
    return module_sc


def may_read_need_version(user, version) -> bool:
    need = version.need
    try:
        _need, group = get_need_for_user(user, need.group.slug, need.pk)
    except Http404:
        return False
    # Workspace users read (and search) the current version, others the published one.
    wanted = need.current_version_id if group.can_see_workspace else need.published_version_id
    return version.pk == wanted


def may_read_message(user, message) -> bool:
    reader = thread_access(user, message.thread)
    return reader.can_read and (not message.is_hidden or reader.can_moderate)


def may_read_question(user, question) -> bool:
    dialogue = dialogue_access(user, question.dialogue)
    return dialogue.can_see_dialogue and dialogue.can_see_original_question(question)


def may_read_answer(user, answer) -> bool:
    dialogue = dialogue_access(user, answer.dialogue)
    readable = answer.is_published and dialogue.can_see_dialogue and dialogue.can_see_answers
    return readable and (not answer.is_withdrawn or dialogue.can_see_withdrawn_text)


CHECKS = [
    (BuyerGroup, access.groups_filter, lambda user, group: True),
    (NeedVersion, access.need_versions_filter, may_read_need_version),
    (Dialogue, access.dialogues_filter, lambda user, dialogue: dialogue_access(user, dialogue).can_see_dialogue),
    (Answer, access.answers_filter, may_read_answer),
    (Question, access.questions_filter, may_read_question),
    (Message, access.messages_filter, may_read_message),
    (Document, access.documents_filter, lambda user, document: group_access(user, document.group).can_see_workspace),
]


@pytest.mark.parametrize("few_ids", [access.FEW_IDS, 0], ids=["ids-listed", "ids-as-one-array"])
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("model, search_filter, may_read", CHECKS, ids=[c[0].__name__ for c in CHECKS])
def test_search_filter_agrees_with_the_per_object_check(sc, role, model, search_filter, may_read, few_ids, monkeypatch):
    """Both ways ids reach the query (search.access.ids_in): as a list, and, on PostgreSQL, as
    one array, as they do for a person in many groups."""
    monkeypatch.setattr(access, "FEW_IDS", few_ids)
    user = user_of(sc, role)
    scope = access.search_scope(user)
    found = set(model.objects.filter(search_filter(scope)).values_list("pk", flat=True))
    expected = {obj.pk for obj in model.objects.all() if may_read(user, obj)}
    assert found == expected


def test_every_kind_has_something_hidden_from_someone(sc):
    """The agreement test above means something only if the cast has, for each kind except
    groups, objects that some role may not read."""
    for model, search_filter, _may_read in CHECKS[1:]:
        scope = access.search_scope(user_of(sc, "outside_supplier"))
        assert model.objects.exclude(search_filter(scope)).exists(), model.__name__
