import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from discussions.models import Message
from discussions.services import post_message
from search import services
from search.services import KINDS, search
from tests.search.conftest import EXPECTED, ROLES, WORD, user_of

INDEXES = {  # search/migrations/0001_search_indexes.py
    "groups": "search_buyergroup_document",
    "needs": "search_needversion_document",
    "dialogues": "search_dialogue_document",
    "answers": "search_answer_document",
    "questions": "search_question_document",
    "messages": "search_message_document",
    "documents": "search_document_document",
}
POSTGRES = pytest.mark.skipif(connection.vendor != "postgresql", reason="full-text search runs on PostgreSQL")


def found(user, query=WORD):
    """Every hit's address, kind by kind, all pages."""
    urls = set()
    for kind in KINDS:
        page = 1
        while True:
            results = search(user, query, kind=kind.key, page=page)
            urls |= {hit.url for hit in results.sections[0].hits}
            if not results.has_next:
                break
            page += 1
    return urls


@pytest.mark.parametrize("role", ROLES)
def test_each_role_finds_exactly_what_it_may_read(sc, role):
    expected = {sc.things[name] for name, readers in EXPECTED.items() if role in readers}
    assert found(user_of(sc, role)) == expected


@pytest.mark.parametrize("typed", ["hjullastarna", "hjullastre", "elhjullastarna"])
@pytest.mark.parametrize("role", ROLES)
def test_other_forms_typos_and_compounds_find_exactly_what_the_role_may_read(sc, role, typed):
    expected = {sc.things[name] for name, readers in EXPECTED.items() if role in readers}
    assert found(user_of(sc, role), typed) == expected


def test_the_overview_shows_the_same_as_the_kinds(sc):
    results = search(sc.other_supplier, WORD)
    overview = {hit.url for section in results.sections for hit in section.hits}
    assert overview == found(sc.other_supplier)
    assert results.total == len(overview)


def test_the_overview_shows_each_kind_s_best_hits_in_order(sc, monkeypatch):
    monkeypatch.setattr(services, "OVERVIEW_HITS", 2)
    overview = {section.key: section for section in search(sc.facilitator, WORD).sections}
    for kind in KINDS:
        page = search(sc.facilitator, WORD, kind=kind.key).sections[0]
        assert [hit.url for hit in overview[kind.key].hits] == [hit.url for hit in page.hits[:2]], kind.key
        assert overview[kind.key].count == page.count


@pytest.mark.parametrize("role", ["facilitator", "member", "supplier"])
def test_submissions_are_never_searchable(sc, role):
    results = search(user_of(sc, role), "Affärshemlighetsord")
    assert results.error == ""
    assert results.total == 0


def test_a_hit_is_highlighted(sc):
    [hit] = search(sc.member, "grävare", kind="groups").sections[0].hits
    assert "<mark>grävare</mark>" in hit.snippet


def test_highlighting_escapes_what_users_wrote(sc):
    body = f"Om {WORD}: 5 < 6 & \"x\" > 'y' <img src=x onerror=alert(1)> <mark>falsk</mark> <script>alert(2)</script>"
    post_message(thread=sc.group_thread, author=sc.member, body=body)
    hits = search(sc.member, WORD, kind="messages").sections[0].hits
    [snippet] = [str(hit.snippet) for hit in hits if "onerror" in hit.snippet]
    assert "&lt;img src=x onerror=alert(1)&gt;" in snippet
    assert "5 &lt; 6 &amp; &quot;x&quot; &gt;" in snippet
    assert "<" not in re.sub(r"</?mark>", "", snippet)  # only our own tags are markup
    assert snippet.count("<mark>") == snippet.count("</mark>") >= 1


def test_titles_are_escaped_too(sc):
    sc.group.name = f"<img src=x onerror=alert(1)> {WORD}"
    sc.group.save()
    [hit] = search(sc.stranger, WORD, kind="groups").sections[0].hits
    assert "<img" not in hit.title
    assert "&lt;img" in hit.title


@pytest.mark.parametrize(
    "query, message",
    [
        ("", "Type one or more words"),
        ("   ", "Type one or more words"),
        ("!!! ... ??? ,,,", "punctuation alone"),
        ("x" * 10_000, "at most 200 characters"),
        (None, "Type one or more words"),
    ],
)
def test_bad_queries_get_a_clear_message_and_run_nothing(sc, query, message, django_assert_num_queries):
    with django_assert_num_queries(0):
        results = search(sc.member, query)
    assert message in results.error
    assert results.sections == []


@pytest.mark.parametrize("query", ["hjul\x00lastare", "\u200b\u0007", "AND OR NOT", '"', "-", "a & b | !c <-> d:*"])
def test_odd_queries_never_fail(sc, query):
    results = search(sc.facilitator, query)
    assert isinstance(results.total, int)


@pytest.mark.parametrize("page", ["0", "-3", "abc", None, "99999", "1.5", 10**30])
def test_invalid_page_numbers_give_the_nearest_page(sc, page):
    results = search(sc.member, WORD, kind="messages", page=page)
    assert results.page == 1
    assert results.sections[0].hits


def test_an_unknown_kind_searches_everything(sc):
    results = search(sc.member, WORD, kind="submissions")
    assert results.kind is None
    assert {section.key for section in results.sections} == {kind.key for kind in KINDS}


def test_results_are_paginated(sc, monkeypatch):
    monkeypatch.setattr(services, "PER_PAGE", 2)
    for number in range(3):
        post_message(thread=sc.group_thread, author=sc.coordinator, body=f"{WORD} nummer {number}")
    first = search(sc.member, WORD, kind="messages", page=1)
    assert first.sections[0].count == 7  # 4 from the cast (not the hidden one) and these 3
    assert (first.page, first.num_pages, first.has_previous, first.has_next) == (1, 4, False, True)
    pages = [first] + [search(sc.member, WORD, kind="messages", page=page) for page in (2, 3, 4)]
    assert [len(page.sections[0].hits) for page in pages] == [2, 2, 2, 1]
    urls = [hit.url for page in pages for hit in page.sections[0].hits]
    assert len(set(urls)) == 7
    last = search(sc.member, WORD, kind="messages", page=7)
    assert (last.page, last.has_next, last.has_previous) == (4, False, True)


def test_the_count_stops_at_the_candidate_limit(sc, monkeypatch):
    monkeypatch.setattr(services, "CANDIDATES", 3)
    section = search(sc.facilitator, WORD, kind="messages").sections[0]
    assert section.more_than_counted
    assert section.count == 3
    assert len(section.hits) == 3


def _messages(sc, count):
    Message.objects.bulk_create(
        Message(thread=sc.open_thread, author=sc.supplier, body=f"{WORD} {number}", html="") for number in range(count)
    )


@pytest.mark.parametrize("role", ["facilitator", "supplier", "visitor"])
def test_the_number_of_queries_does_not_grow_with_the_hits(sc, role):
    user = user_of(sc, role)
    search(user, WORD)  # the user's organisations are read once per request, then kept
    _messages(sc, 10)
    with CaptureQueriesContext(connection) as few:
        search(user, WORD)
        search(user, WORD, kind="messages")
    _messages(sc, 100)
    with CaptureQueriesContext(connection) as many:
        search(user, WORD)
        search(user, WORD, kind="messages")
    assert len(many.captured_queries) == len(few.captured_queries)
    assert len(few.captured_queries) <= 2 * (3 + 2 * len(KINDS))


@POSTGRES
def test_swedish_stemming_finds_other_forms_of_a_word(sc):
    post_message(thread=sc.group_thread, author=sc.member, body="Vi förbereder en gemensam upphandling.")
    for query in ("upphandlingar", "upphandlingen", "Upphandling"):
        hits = search(sc.member, query, kind="messages").sections[0].hits
        assert [hit.snippet for hit in hits] == ["förbereder en gemensam <mark>upphandling</mark>"], query


@POSTGRES
def test_more_relevant_hits_come_first(sc):
    dense = post_message(thread=sc.group_thread, author=sc.member, body="Batterier, batterier och batteri.")
    post_message(thread=sc.group_thread, author=sc.member, body="Batterier. " + "Ett långt meddelande om annat. " * 20)
    hits = search(sc.member, "batteri", kind="messages").sections[0].hits
    assert [hit.url for hit in hits][0] == dense.get_absolute_url()  # the newer one is less relevant


@POSTGRES
@pytest.mark.parametrize("kind", KINDS, ids=[kind.key for kind in KINDS])
def test_postgresql_finds_through_the_gin_index(db, kind):
    finder = services._PostgresFinder(WORD)
    queryset = kind.model.objects.alias(document=services.StoredDocument()).filter(document=finder.query)
    sql, params = queryset.values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert INDEXES[kind.key] in plan, plan


@POSTGRES
@pytest.mark.parametrize("kind", KINDS, ids=[kind.key for kind in KINDS])
def test_postgresql_finds_typos_through_the_trigram_index(db, kind):
    queryset = kind.model.objects.filter(services.TrigramWordMatch(services.JoinedText(*kind.fields), "hjullastre"))
    sql, params = queryset.values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")  # not the primary key's, on so few rows
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert INDEXES[kind.key].removesuffix("_document") + "_trigrams" in plan, plan


def test_an_edited_message_is_found_by_its_new_words_only(sc):
    from discussions.services import edit_message

    message = post_message(thread=sc.group_thread, author=sc.member, body="Vi pratar om snöplogar.")
    edit_message(message=message, editor=sc.member, body="Vi pratar om sopmaskiner.")
    assert search(sc.member, "snöplogar", kind="messages").sections[0].count == 0
    assert search(sc.member, "sopmaskiner", kind="messages").sections[0].count == 1
