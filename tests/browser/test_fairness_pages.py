"""The pages the fairness rules added pass axe, in their ordinary state and in their error or
held-back state: the amendment form, the identity check before publishing, the withdrawal
confirmation, the declarations with their history and the clearance form, and the
organisation's identifiers."""

import pytest

from accounts.models import Organisation, User
from dialogues.models import Answer, Dialogue
from dialogues.services.answers import save_answer_draft
from dialogues.services.declarations import declare_conflict
from tests.browser.test_dialogue_flow import demo, signed_in
from tests.browser.test_foundation_pages import assert_accessible

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures(demo.__name__)]


def test_the_fairness_pages_are_accessible(browser, axe, live_server):
    dialogue = Dialogue.objects.get(state=Dialogue.State.OPEN)
    base = f"{live_server.url}/dialogues/{dialogue.pk}"
    anna = signed_in(browser, live_server, "anna@vaxjo.demo.example")

    # The amendment form, and the same form refused for want of a reason.
    anna.goto(f"{base}/edit/")
    assert_accessible(anna, axe)
    anna.fill("input[name=title]", dialogue.title + " (ändrad)")
    anna.locator("main form[method=post] button[type=submit]").last.click()
    anna.wait_for_load_state()
    assert anna.locator("[aria-invalid=true], .errorlist").count() > 0
    assert_accessible(anna, axe)

    # A draft that names a supplier: the confirmation shows what the identity check holds back.
    draft = save_answer_draft(
        dialogue=dialogue,
        user=User.objects.get(email="anna@vaxjo.demo.example"),
        body="Solvent har redan visat en sådan lösning.",
        kind=Answer.Kind.CLARIFICATION,
    )
    anna.goto(f"{base}/answers/{draft.pk}/publish/")
    assert "Solvent" in anna.locator("main").inner_text()
    assert_accessible(anna, axe)

    # Withdrawing a published answer: the confirmation page.
    published = dialogue.answers.published().order_by("number").first()
    anna.goto(f"{base}/answers/{published.pk}/withdraw/")
    assert_accessible(anna, axe)

    # Erik declares a conflict; the declarations page shows his history; Anna's clearance form.
    erik = User.objects.get(email="erik@lund.demo.example")
    declare_conflict(dialogue=dialogue, user=erik, has_conflict=True, description="Min bror arbetar hos en leverantör.")
    anna.goto(f"{base}/conflicts/")
    assert "Min bror arbetar hos en leverantör." in anna.locator("main").inner_text()
    assert_accessible(anna, axe)
    anna.goto(f"{base}/conflicts/{erik.pk}/clear/")
    assert_accessible(anna, axe)
    anna.locator("main form[method=post] button[type=submit]").last.click()  # no reason given
    anna.wait_for_load_state()
    assert anna.locator("[aria-invalid=true], .errorlist").count() > 0
    assert_accessible(anna, axe)

    # Sara keeps her organisation's short names, website and phone.
    sara = signed_in(browser, live_server, "sara@solvent.demo.example")
    solvent = Organisation.objects.get(name__startswith="Solvent")
    sara.goto(f"{live_server.url}/organisations/{solvent.pk}/edit/")
    assert_accessible(sara, axe)
    sara.fill("input[name=phone]", "ring oss")
    sara.locator("main form[method=post] button[type=submit]").last.click()
    sara.wait_for_load_state()
    assert sara.locator("[aria-invalid=true], .errorlist").count() > 0
    assert_accessible(sara, axe)
