"""Facilitators edit guidance texts; nobody else can, by GET or by POST. A refused edit keeps
what was typed, a saved one is in the audit log."""

import pytest
from django.urls import reverse

from accounts.models import Organisation, OrganisationMember
from audit.models import Action, AuditEntry
from guidance.models import GuidanceText
from tests.factories import OrganisationFactory, person_at

SLUG = "functional-requirements"
EDIT = reverse("guidance:edit", args=[SLUG])


def posted(**changes):
    text = GuidanceText.objects.get(slug=SLUG)
    data = {name: getattr(text, name) for name in ("title_sv", "body_sv", "title_en", "body_en")}
    data.update(changes)
    return data


@pytest.fixture
def supplier_user(db):
    supplier = OrganisationFactory(name="Solvent AB", kind=Organisation.Kind.SUPPLIER)
    return person_at(supplier, role=OrganisationMember.Role.ADMIN, name="Sara Leverantör")


@pytest.mark.parametrize("who", ["anonymous", "member", "supplier"])
def test_only_facilitators_edit(client, who, admin_user, supplier_user):
    person = {"anonymous": None, "member": admin_user, "supplier": supplier_user}[who]
    if person is not None:
        client.force_login(person)
    before = GuidanceText.objects.get(slug=SLUG).title_sv
    get = client.get(EDIT)
    post = client.post(EDIT, posted(title_sv="Kapat"))
    if person is None:
        assert get.status_code == 302 and post.status_code == 302
        assert reverse("account_login") in get["Location"] and reverse("account_login") in post["Location"]
    else:
        assert get.status_code == 403 and post.status_code == 403
    assert GuidanceText.objects.get(slug=SLUG).title_sv == before
    assert not AuditEntry.objects.filter(action=Action.GUIDANCE_EDITED).exists()
    if person is not None:
        assert f'href="{EDIT}"' not in client.get(reverse("guidance:list")).content.decode()


def test_a_facilitator_edits_a_text_and_the_edit_is_audited(client, facilitator):
    client.force_login(facilitator)
    page = client.get(EDIT)
    assert page.status_code == 200
    assert 'name="title_sv"' in page.content.decode() and 'name="body_en"' in page.content.decode()

    response = client.post(EDIT, posted(title_sv="Funktionskrav i praktiken", body_en="New text.\n\n- one"))
    assert response.status_code == 302 and response["Location"] == reverse("guidance:detail", args=[SLUG])
    text = GuidanceText.objects.get(slug=SLUG)
    assert text.title_sv == "Funktionskrav i praktiken" and text.body_en == "New text.\n\n- one"
    assert text.updated_by == facilitator
    entry = AuditEntry.objects.get(action=Action.GUIDANCE_EDITED)
    assert entry.actor_id == facilitator.pk
    assert entry.target_type == "guidance.guidancetext" and entry.target_id == str(text.pk)
    assert entry.detail == "title_sv, body_en"

    html = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<p>New text.</p>\n<ul><li>one</li></ul>" in html


def test_saving_without_changes_writes_nothing(client, facilitator):
    client.force_login(facilitator)
    response = client.post(EDIT, posted())
    assert response.status_code == 302
    assert not AuditEntry.objects.filter(action=Action.GUIDANCE_EDITED).exists()


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"title_sv": "  "}, "title_sv"),
        ({"body_sv": ""}, "body_sv"),
        ({"title_en": "", "body_en": "Only the English text"}, "title_en"),
        ({"title_en": "Only the English title", "body_en": ""}, "body_en"),
        ({"title_sv": "x" * 121}, "title_sv"),
    ],
)
def test_bad_input_is_refused_and_what_was_typed_is_kept(client, facilitator, changes, field):
    client.force_login(facilitator)
    typed = "Min nya text som inte får försvinna."
    response = client.post(EDIT, posted(body_sv=typed, **changes) if "body_sv" not in changes else posted(**changes))
    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors
    html = response.content.decode()
    if "body_sv" not in changes:
        assert typed in html
    for value in changes.values():
        if value.strip():
            assert value in html
    text = GuidanceText.objects.get(slug=SLUG)
    assert text.body_sv != typed and text.updated_by is None
    assert not AuditEntry.objects.filter(action=Action.GUIDANCE_EDITED).exists()


def test_both_english_fields_can_be_emptied(client, facilitator):
    client.force_login(facilitator)
    response = client.post(EDIT, posted(title_en="", body_en=""))
    assert response.status_code == 302
    text = GuidanceText.objects.get(slug=SLUG)
    assert text.title_en == "" and text.body_en == ""
