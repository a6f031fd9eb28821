"""A market dialogue in chromium, from the coordinator opening it to the record export:
suppliers A and B take part, A asks, the group rewords, answers and publishes, B sees the
answer without A's identity, A sends a confidential proposal that B cannot open, and the
coordinator exports the record. axe-core checks every page on the way."""

import io
import json
import re
import zipfile
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from dialogues.models import Dialogue, Submission
from tests.browser.test_foundation_pages import assert_accessible, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=open("/dev/null", "w"))


def signed_in(browser, live_server, email):
    page = browser.new_context(locale="sv-SE").new_page()
    page.set_default_timeout(15_000)
    sign_in(page, live_server, email)
    page.wait_for_url(re.compile(r"/dashboard/$"))
    return page


def submit(page, form):
    form.locator("button[type=submit]").last.click()
    page.wait_for_load_state()


def test_market_dialogue_from_opening_to_record(browser, axe, live_server, demo, tmp_path):
    anna = signed_in(browser, live_server, "anna@vaxjo.demo.example")
    sara = signed_in(browser, live_server, "sara@solvent.demo.example")
    omar = signed_in(browser, live_server, "omar@nordlys.demo.example")

    # Anna prepares the dialogue from the group's dialogue page and opens it.
    anna.goto(f"{live_server.url}/dialogues/group/fossilfria-arbetsmaskiner/")
    assert_accessible(anna, axe)
    anna.get_by_role("link", name="Förbered en marknadsdialog").click()
    assert_accessible(anna, axe)
    deadline = timezone.localtime() + timedelta(days=10)
    anna.fill("input[name=title]", "Dialog om laddning vid depåer")
    anna.fill("textarea[name=purpose]", "Vilka laddlösningar finns för depåer med 3×16 A?")
    anna.fill("input[name=question_deadline]", deadline.strftime("%Y-%m-%dT%H:%M"))
    anna.fill("input[name=submission_deadline]", (deadline + timedelta(days=10)).strftime("%Y-%m-%dT%H:%M"))
    submit(anna, anna.locator("main form[method=post]"))
    dialogue = Dialogue.objects.get(title="Dialog om laddning vid depåer")
    anna.wait_for_url(re.compile(rf"/dialogues/{dialogue.pk}/$"))
    assert_accessible(anna, axe)
    anna.get_by_role("link", name="Öppna dialogen…").click()
    anna.wait_for_load_state()
    assert_accessible(anna, axe)  # the confirmation: what opening does, who is told
    anna.get_by_role("button", name="Öppna dialogen").click()
    anna.wait_for_load_state()
    assert "Dialogen är öppen" in anna.locator("main").inner_text()

    # Both suppliers take part from the public list.
    for supplier in (sara, omar):
        supplier.goto(f"{live_server.url}/dialogues/")
        assert_accessible(supplier, axe)
        card = supplier.locator("li.card", has_text="Dialog om laddning vid depåer")
        card.get_by_role("button", name="Delta").click()
        supplier.wait_for_load_state()
        assert "deltar" in supplier.locator("main").inner_text()
    assert dialogue.participations.active().count() == 2

    # Sara asks a question that names her company.
    sara.goto(f"{live_server.url}/dialogues/{dialogue.pk}/questions/")
    assert_accessible(sara, axe)
    sara.fill("textarea[name=text]", "Vi på Solvent Energi undrar: räcker 3×16 A för snabbladdning?")
    submit(sara, sara.locator("main form[method=post]"))
    assert "Din fråga är skickad" in sara.locator("main").inner_text()
    assert_accessible(sara, axe)

    # Anna rewords it, saves the draft, is warned about nothing (the name is gone) and publishes.
    anna.goto(f"{live_server.url}/dialogues/{dialogue.pk}/questions/")
    assert_accessible(anna, axe)
    anna.get_by_role("link", name="Svar", exact=True).first.click()
    assert_accessible(anna, axe)
    anna.fill("textarea[name=question_text]", "Räcker 3×16 A för snabbladdning?")
    anna.fill("textarea[name=body]", "Nej, men laddning över natten räcker för kraven.")
    submit(anna, anna.locator("main form[method=post]").first)
    assert_accessible(anna, axe)
    anna.get_by_role("link", name="Publicera för alla deltagare").click()
    anna.wait_for_load_state()
    assert_accessible(anna, axe)  # the confirmation: what will happen, who is told
    anna.get_by_role("button", name="Publicera för alla deltagare").click()
    anna.wait_for_load_state()
    assert "Svar 1 är publicerat" in anna.locator("main").inner_text()

    # Omar sees the answer, and nothing on the page or in its HTML names Solvent or Sara.
    omar.goto(f"{live_server.url}/dialogues/{dialogue.pk}/questions/")
    assert_accessible(omar, axe)
    text = omar.locator("main").inner_text()
    assert "Räcker 3×16 A för snabbladdning?" in text and "laddning över natten" in text
    html = omar.content()
    assert "Solvent" not in html and "Sara" not in html

    # Sara sees her own question as she asked it and as it was published.
    question = dialogue.questions.get()
    sara.goto(f"{live_server.url}{question.get_absolute_url()}")
    assert "Vi på Solvent Energi undrar" in sara.locator("main").inner_text()
    assert_accessible(sara, axe)
    omar.goto(f"{live_server.url}{question.answer.get_absolute_url()}")
    assert "Räcker 3×16 A för snabbladdning?" in omar.locator("main").inner_text()
    assert_accessible(omar, axe)

    # Anna offers two meeting times; Omar books one; Anna writes minutes and publishes what was new.
    anna.goto(f"{live_server.url}/dialogues/{dialogue.pk}/meetings/")
    assert_accessible(anna, axe)
    first_meeting = timezone.localtime() + timedelta(days=5)
    anna.fill("input[name=first_start]", first_meeting.strftime("%Y-%m-%dT%H:%M"))
    anna.fill("input[name=count]", "2")
    submit(anna, anna.locator("main form[method=post]").last)
    assert dialogue.meeting_slots.count() == 2
    omar.goto(f"{live_server.url}/dialogues/{dialogue.pk}/meetings/")
    assert_accessible(omar, axe)
    omar.get_by_role("button", name="Boka").first.click()
    omar.wait_for_load_state()
    assert "Mötet är bokat" in omar.locator("main").inner_text()
    # The meeting takes place (minutes are accepted only once it has started).
    booked = dialogue.meeting_slots.get(organisation__isnull=False)
    booked.starts_at, booked.ends_at = timezone.now() - timedelta(hours=1), timezone.now() - timedelta(minutes=30)
    booked.save(update_fields=["starts_at", "ends_at"])
    anna.goto(f"{live_server.url}/dialogues/{dialogue.pk}/meetings/")
    anna.get_by_role("link", name="Skriv minnesanteckningar").click()
    assert_accessible(anna, axe)
    anna.fill("textarea[name=minutes]", "Nordlys visade sin laddbox.")
    anna.check("input[name=anything_new][value=yes]")
    anna.fill("textarea[name=clarification]", "Gruppen kan tänka sig laddning i två steg.")
    submit(anna, anna.locator("main form[method=post]"))
    assert "förtydligande 2 är publicerat" in anna.locator("main").inner_text()
    sara.goto(f"{live_server.url}/dialogues/{dialogue.pk}/questions/")
    assert "Gruppen kan tänka sig laddning i två steg." in sara.locator("main").inner_text()
    assert "Nordlys" not in sara.content()

    # Sara sends a confidential proposal with an attachment.
    attachment = tmp_path / "kalkyl.txt"
    attachment.write_text("Kalkyl: 120 000 kr per laddare\n", encoding="utf-8")
    sara.goto(f"{live_server.url}/dialogues/{dialogue.pk}/submissions/")
    assert_accessible(sara, axe)
    sara.fill("textarea[name=text]", "Vi föreslår en laddbox med lastbalansering.")
    sara.set_input_files("input[name=attachment_1]", str(attachment))
    sara.check("input[name=attachment_1_secret]")
    sara.fill("textarea[name=secret_parts]", "Bilagan med kalkylen")
    sara.fill("textarea[name=secret_reason]", "Visar vår prissättning.")
    submit(sara, sara.locator("main form[method=post]"))
    submission = Submission.objects.get(dialogue=dialogue)
    sara.wait_for_url(re.compile(rf"/submissions/{submission.pk}/$"))
    assert "laddbox med lastbalansering" in sara.locator("main").inner_text()
    assert_accessible(sara, axe)

    # Omar cannot open it, whatever the address.
    response = omar.goto(f"{live_server.url}/dialogues/{dialogue.pk}/submissions/{submission.pk}/")
    assert response.status == 404
    assert "lastbalansering" not in omar.content()
    omar.goto(f"{live_server.url}/dialogues/{dialogue.pk}/submissions/")
    assert "lastbalansering" not in omar.content()
    assert_accessible(omar, axe)

    # Anna must declare no conflict of interest before she opens the proposal.
    response = anna.goto(f"{live_server.url}/dialogues/{dialogue.pk}/submissions/{submission.pk}/")
    assert response.status == 403
    anna.goto(f"{live_server.url}/dialogues/{dialogue.pk}/conflicts/")
    assert_accessible(anna, axe)
    anna.check("input[name=has_conflict][value=no]")
    submit(anna, anna.locator("main form[method=post]"))
    anna.goto(f"{live_server.url}/dialogues/{dialogue.pk}/submissions/{submission.pk}/")
    assert "laddbox med lastbalansering" in anna.locator("main").inner_text()
    assert_accessible(anna, axe)

    # The coordinator's other pages, then the record: printable, and the ZIP download.
    for path in ("participants/", "meetings/", "submissions/log/", "record/", "summary/"):
        anna.goto(f"{live_server.url}/dialogues/{dialogue.pk}/{path}")
        assert_accessible(anna, axe)
    anna.goto(f"{live_server.url}/dialogues/{dialogue.pk}/summary/")
    anna.get_by_role("button", name="Publicera som dialogens sammanfattning").click()
    anna.wait_for_load_state()
    visitor = browser.new_context(locale="sv-SE").new_page()
    visitor.goto(f"{live_server.url}/dialogues/{dialogue.pk}/summary/")
    assert "Räcker 3×16 A för snabbladdning?" in visitor.locator("main").inner_text()
    assert "Solvent" not in visitor.content() and "Nordlys" not in visitor.content()
    assert_accessible(visitor, axe)
    anna.goto(f"{live_server.url}/dialogues/{dialogue.pk}/record/")
    with anna.expect_download() as download_info:
        anna.get_by_role("link", name=re.compile("Ladda ner dokumentationen")).click()
    archive = zipfile.ZipFile(io.BytesIO(open(download_info.value.path(), "rb").read()))
    record = json.loads(archive.read("record.json"))
    assert record["questions"][0]["organisation"] == "Solvent Energi AB"
    assert record["answers"][0]["question"] == "Räcker 3×16 A för snabbladdning?"
    assert record["proposals"][0]["versions"][0]["trade_secret_reason"] == "Visar vår prissättning."
