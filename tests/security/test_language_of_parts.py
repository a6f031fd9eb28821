"""User content carries the language it was written in (WCAG 3.1.2 Language of parts, issue 19),
read from the demo (`load_demo`, all Swedish): on an English page the Swedish texts sit inside
an element with lang="sv"; on a Swedish page nothing contradicts the page's own lang="sv"; a
group written in English reads as English on a Swedish page. `{% content_lang %}`
(core/content_language.py) writes the attribute."""

import html5lib
import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from accounts.models import User
from dialogues.models import Dialogue, Question
from discussions.demo import SMALL_THREAD_TITLE
from discussions.models import Thread
from groups.models import BuyerGroup, NeedStatement

GROUP_NAME = "Fossilfria arbetsmaskiner"
NEED_TITLE = "Fossilfria kompakta hjullastare för kommunal drift"
MESSAGE_TEXT = "Jag kommer, och tar med vår maskinansvarige."


@pytest.fixture
def demo(module_demo, db):
    group = BuyerGroup.objects.get(name=GROUP_NAME)
    dialogue = Dialogue.objects.filter(group=group, state="open").get()
    return {
        "group": group,
        "need": NeedStatement.objects.get(group=group, current_version__title=NEED_TITLE),
        "dialogue": dialogue,
        "thread": Thread.objects.get(group=group, title=SMALL_THREAD_TITLE),
        "question": Question.objects.filter(dialogue=dialogue, answer__isnull=True).order_by("pk").first(),
    }


def reader(language):
    """Anna, Växjö's coordinator: she reads everything of the demo group, in `language`."""
    anna = User.objects.get(email="anna@vaxjo.demo.example")
    anna.language = language
    anna.save(update_fields=["language"])
    client = Client()
    client.force_login(anna)
    client.cookies.load({settings.LANGUAGE_COOKIE_NAME: language})
    return client


def languages_around(html: str, text: str) -> list[str]:
    """For every place `text` is shown in the page's body, the lang of its nearest element that
    has one. The <title> is left out: it mixes the platform's words with the content's, and one
    element has one language."""
    tree = html5lib.parse(html, namespaceHTMLElements=False)
    parents = {child: parent for parent in tree.iter() for child in parent}
    found = []
    for element in tree.find("body").iter():
        for holder, words in ((element, element.text), (parents.get(element), element.tail)):
            if holder is None or not words or text not in words:
                continue
            while holder is not None and holder.get("lang") is None:
                holder = parents.get(holder)
            found.append("" if holder is None else holder.get("lang"))
    return found


def pages(demo):
    """(page, a Swedish text it shows) for every kind of page the issue names."""
    group, dialogue, question = demo["group"], demo["dialogue"], demo["question"]
    return [
        (group.get_absolute_url(), GROUP_NAME),
        (group.get_absolute_url(), group.summary.split()[0]),
        (demo["need"].get_absolute_url(), NEED_TITLE),
        (demo["thread"].get_absolute_url(), MESSAGE_TEXT),
        (reverse("threads:group-threads", args=[group.slug]), SMALL_THREAD_TITLE),
        (dialogue.get_absolute_url(), dialogue.title),
        (dialogue.get_absolute_url(), dialogue.purpose.split("\n")[0][:40]),
        (reverse("dialogues:question-list", args=[dialogue.pk]), " ".join(question.text.split()[:4])),
        (reverse("dialogues:dialogue-list"), dialogue.title),
        (reverse("groups:group-list"), GROUP_NAME),
        (reverse("search:search") + "?q=arbetsmaskiner&kind=groups", "Fossilfria"),
        (reverse("home:dashboard"), GROUP_NAME),
        (reverse("home:agenda"), GROUP_NAME),
        (reverse("home:agenda"), dialogue.title),
    ]


def test_the_helper_finds_the_nearest_lang():
    page = '<html lang="en"><body><p lang="sv"><a>Hej</a></p><p>Hej då</p></body></html>'
    assert languages_around(page, "Hej") == ["sv", "en"]


def test_swedish_content_is_marked_swedish_on_english_pages(demo):
    client = reader("en")
    wrong = []
    for url, text in pages(demo):
        response = client.get(url)
        assert response.status_code == 200, url
        found = languages_around(response.content.decode(), text)
        if not found or set(found) != {"sv"}:
            wrong.append(f"{url}: {text!r} inside lang {found}")
    assert not wrong, "\n".join(wrong)


def test_swedish_content_has_no_contradicting_lang_on_swedish_pages(demo):
    client = reader("sv")
    wrong = []
    for url, text in pages(demo):
        response = client.get(url)
        assert response.status_code == 200, url
        found = languages_around(response.content.decode(), text)
        if not found or set(found) != {"sv"}:
            wrong.append(f"{url}: {text!r} inside lang {found}")
        assert ' lang="en"' not in response.content.decode().split("<body", 1)[1].replace(
            '<option value="en" lang="en"', ""
        ), url
    assert not wrong, "\n".join(wrong)


def test_a_group_written_in_english_reads_as_english_on_a_swedish_page(demo):
    group = demo["group"]
    group.content_language = "en"
    group.save(update_fields=["content_language"])
    client = reader("sv")
    for url in (group.get_absolute_url(), reverse("groups:group-list"), demo["need"].get_absolute_url()):
        assert set(languages_around(client.get(url).content.decode(), GROUP_NAME)) == {"en"}, url
    # its dialogue keeps its own language
    dialogue = demo["dialogue"]
    assert set(languages_around(client.get(dialogue.get_absolute_url()).content.decode(), dialogue.title)) == {"sv"}
