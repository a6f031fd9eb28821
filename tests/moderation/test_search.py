"""Search follows moderation: a removed document's title is found only by the group's moderators,
as on the library page."""

from moderation.services import hide_content
from search.services import search


def titles(user, query):
    results = search(user, query, kind="documents")
    return [hit.url for hit in results.sections[0].hits]


def test_a_removed_document_is_found_only_by_moderators(mc):
    url = mc.document.get_absolute_url()
    assert url in titles(mc.member, "Kalkyl")
    hide_content(target=mc.document, moderator=mc.facilitator, reason="Personuppgifter")
    assert url not in titles(mc.member, "Kalkyl")
    assert url not in titles(mc.observer, "Kalkyl")
    assert url in titles(mc.coordinator, "Kalkyl")
    assert url in titles(mc.facilitator, "Kalkyl")


def test_a_removed_question_is_found_only_by_moderators(mc):
    def questions(user):
        return [hit.url for hit in search(user, "maskiner", kind="questions").sections[0].hits]

    url = mc.question.get_absolute_url()
    assert url in questions(mc.supplier_a) and url in questions(mc.member)
    hide_content(target=mc.question, moderator=mc.facilitator, reason="Reklam")
    assert url not in questions(mc.supplier_a) and url not in questions(mc.member)
    assert url in questions(mc.coordinator) and url in questions(mc.facilitator)
