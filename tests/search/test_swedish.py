"""Swedish words in the search, in both modes, against the demo content (`load_demo`): other
forms of a word, definite forms, compounds and one typo per word (search/swedish.py)."""

import re

import pytest
from django.contrib.auth.models import AnonymousUser

from accounts.models import User
from search import swedish
from search.services import search

# (typed, kind, what one hit of that kind must show, without its highlighting)
QUERIES = [
    # other forms of a word, definite forms
    ("upphandling", "messages", "förra upphandlingen"),
    ("upphandlingar", "messages", "förra upphandlingen"),
    ("Upphandlingen", "messages", "förra upphandlingen"),
    ("hjullastarna", "needs", "Fossilfria kompakta hjullastare"),
    ("hjullastaren", "dialogues", "Marknadsdialog: fossilfria kompakta hjullastare"),
    ("arbetsmaskin", "groups", "Fossilfria arbetsmaskiner"),
    ("arbetsmaskinerna", "documents", "Behovsinventering arbetsmaskiner 2026"),
    ("maskinen", "messages", "alla maskiner står inne"),
    ("depåerna", "answers", "Depåernas elanslutning"),
    ("kommunen", "groups", "Kommuner som vill ersätta"),
    ("batteriet", "messages", "batteriets livslängd"),
    ("laddningen", "messages", "laddning"),
    ("kraven", "dialogues", "innan vi skriver kraven"),
    ("fossilfri", "groups", "Fossilfria arbetsmaskiner"),
    ("trygghetslarmen", "groups", "Digital trygghetslarm"),
    ("funktionskraven", "groups", "gemensamma funktionskrav"),
    ("leverantörernas", "messages", "leverantörernas frågor"),
    ("styrelsen Växjö", "messages", "styrelsen i Växjö"),
    ("larmcentralerna", "groups", "larmcentralen"),
    ("batteribytet", "answers", "Godtar gruppen batteribyte"),
    # compounds the stemmer cannot take apart
    ("fossilfritt", "groups", "Fossilfria arbetsmaskiner"),
    ("grävmaskinerna", "groups", "köper för få maskiner"),
    ("elhjullastarna", "needs", "Fossilfria kompakta hjullastare"),
    ("snöhjullastare", "dialogues", "Marknadsdialog: fossilfria kompakta hjullastare"),
    ("depåladdningen", "messages", "laddning"),
    # one typo per word
    ("hjullastre", "needs", "Fossilfria kompakta hjullastare"),
    ("upphandlng", "messages", "förra upphandlingen"),
    ("arbetsmaskner", "documents", "Behovsinventering arbetsmaskiner 2026"),
    ("trygghetslarn", "groups", "Digital trygghetslarm"),
    ("funktionskav", "groups", "gemensamma funktionskrav"),
    ("marknadsdialg", "dialogues", "Marknadsdialog: fossilfria kompakta hjullastare"),
    ("batterbyte", "answers", "Godtar gruppen batteribyte"),
    ("fosilfria", "groups", "Fossilfria arbetsmaskiner"),
    ("leverantörena frågor", "messages", "leverantörernas frågor"),
    ("Hjullastarre kommunal", "needs", "Fossilfria kompakta hjullastare för kommunal drift"),
]


@pytest.fixture
def anna(module_demo, db):
    """Växjö's coordinator: a member of the demo group, who reads its discussions."""
    return User.objects.get(email="anna@vaxjo.demo.example")


def shown(results) -> list[str]:
    """Each hit's title and snippet as a reader sees them, without the highlighting."""
    return [
        re.sub(r"</?mark>", "", f"{hit.title} {hit.snippet}") for section in results.sections for hit in section.hits
    ]


@pytest.mark.parametrize("typed, kind, expected", QUERIES, ids=[typed for typed, _kind, _expected in QUERIES])
def test_swedish_queries_find_the_demo_content(anna, typed, kind, expected):
    results = search(anna, typed, kind=kind)
    assert any(expected.casefold() in text.casefold() for text in shown(results)), shown(results)[:5]


def test_the_found_word_is_highlighted_whatever_form_was_typed(anna):
    for typed in ("hjullastarna", "hjullastre"):
        [hit] = search(anna, typed, kind="needs").sections[0].hits
        assert "<mark>hjullastare</mark>" in hit.title, typed


@pytest.mark.parametrize("typed", ["qwzxyvbn", "ek", "xyz hjullastare"])
def test_words_far_from_every_text_find_nothing(anna, typed):
    assert search(anna, typed).total == 0


def test_a_typo_is_corrected_only_from_texts_the_user_may_read(anna):
    # "Norremark" is in the demo group's internal discussion only
    assert search(anna, "Norremrk").total > 0
    assert search(AnonymousUser(), "Norremrk").total == 0
    assert search(AnonymousUser(), "Norremark").total == 0


@pytest.mark.parametrize(
    "typed, word, close",
    [
        ("hjullastre", "hjullastare", True),
        ("upphandlng", "upphandlingar", True),
        ("fossilfritt", "fossilfria", True),
        ("hjulastare", "hjullastare", True),
        ("hjullastare", "hjullastare", False),  # the same word is no correction
        ("kran", "krav", True),
        ("el", "en", False),  # too short to guess at
        ("trygghetslram", "trygghetslarm", False),  # two letters swapped: two typos
    ],
)
def test_one_typo_away(typed, word, close):
    assert swedish.is_close(typed, word) is close


def test_a_compound_s_last_parts():
    tails = swedish.compound_tails("arbetsmaskinerna")
    assert "maskinerna" in tails and "smaskinerna" in tails
    assert all(len(swedish.stem(tail)) >= swedish.MIN_PART_LENGTH for tail in tails)
    assert swedish.compound_tails("maskin") == []
