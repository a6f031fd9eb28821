import pytest
from django.utils import translation

from tests.search.conftest import WORD
from tests.signing_in import TwoFactorClient


def client_for(user):
    client = TwoFactorClient()
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize("role", ["visitor", "stranger", "member", "supplier", "other_supplier", "facilitator"])
def test_the_search_page_opens_for_everyone(sc, role):
    response = client_for(getattr(sc, role)).get("/search/", {"q": WORD})
    assert response.status_code == 200
    assert sc.things["group"] in response.content.decode()


def test_the_page_lists_only_what_the_user_may_read(sc):
    page = client_for(sc.other_supplier).get("/search/", {"q": WORD, "kind": "messages"}).content.decode()
    assert sc.things["other_private_message"] in page
    assert sc.things["private_message"] not in page
    assert sc.things["group_message"] not in page


def test_without_a_query_the_page_shows_only_the_form(sc):
    response = client_for(sc.member).get("/search/")
    assert response.status_code == 200
    assert 'id="search-query"' in response.content.decode()
    assert response.context["results"] is None


@pytest.mark.parametrize(
    "params, message",
    [
        ({"q": ""}, "Type one or more words to search for."),
        ({"q": "?!.,;"}, "punctuation alone finds nothing"),
        ({"q": "ord " * 2_500}, "at most 200 characters"),
        ({"q": WORD, "page": "x"}, None),
        ({"q": WORD, "kind": "messages", "page": "-1"}, None),
        ({"q": WORD, "kind": "nonsense", "page": "99999999999999999999"}, None),
    ],
)
def test_bad_input_gets_a_clear_message_and_keeps_what_was_typed(sc, params, message):
    with translation.override("en"):
        response = client_for(sc.member).get("/search/", params, headers={"accept-language": "en"})
    assert response.status_code == 200
    page = response.content.decode()
    if message:
        assert message in page
        assert 'aria-invalid="true"' in page
        assert f'value="{params["q"].strip()}' in page or params["q"] == ""


def test_the_header_has_a_labelled_search_box(sc):
    page = client_for(None).get("/groups/").content.decode()
    assert 'role="search"' in page
    assert '<label for="site-search"' in page


def test_hits_are_linked_highlighted_and_escaped(sc):
    sc.group.name = f"<i>{WORD}</i>"
    sc.group.save()
    page = client_for(None).get("/search/", {"q": WORD, "kind": "groups"}).content.decode()
    assert f"&lt;i&gt;<mark>{WORD}</mark>&lt;/i&gt;" in page
    assert "<i>" not in page


def test_the_page_says_when_it_found_words_much_like_those_typed(sc):
    client = client_for(sc.member)
    typo = client.get("/search/", {"q": "hjullastre"}).content.decode()
    assert 'id="search-similar"' in typo
    assert sc.things["group_message"] in typo
    assert 'id="search-similar"' not in client.get("/search/", {"q": WORD}).content.decode()
