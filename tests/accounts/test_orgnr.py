import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from accounts.forms import OrganisationForm
from accounts.orgnr import normalise_organisation_number
from tests.factories import OrganisationFactory


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("212000-0142", "212000-0142"),  # Stockholms stad
        ("212000-1355", "212000-1355"),  # Göteborgs stad
        ("5560360793", "556036-0793"),  # Saab, without hyphen
        (" 556036 - 0793 ", "556036-0793"),
        ("16212000-0142", "212000-0142"),  # the 12-digit form
    ],
)
def test_valid_numbers_are_normalised(typed, stored):
    assert normalise_organisation_number(typed) == stored


def test_wrong_check_digit_is_named():
    with pytest.raises(ValidationError) as error, translation.override("en"):
        normalise_organisation_number("212000-0143")
    assert error.value.code == "check_digit"
    with translation.override("en"):
        assert "wrong check digit" in error.value.messages[0]


@pytest.mark.parametrize("typed", ["12345", "abc", "212000-01423", "", "2120000-142"])
def test_wrong_format_is_refused(typed):
    with pytest.raises(ValidationError) as error:
        normalise_organisation_number(typed)
    assert error.value.code == "format"


def form_data(**overrides):
    return {"name": "Testkommun", "kind": "kommun", "organisation_number": "212000-0142", **overrides}


@pytest.mark.django_db
def test_authority_with_a_personal_number_is_refused():
    # 19121212-1212 style: Luhn-valid, third digit 1 = a personnummer
    form = OrganisationForm(form_data(organisation_number="121212-1212"))
    assert not form.is_valid()
    assert "personal identity number" in str(form.errors["organisation_number"])


@pytest.mark.django_db
def test_sole_trader_supplier_may_use_a_personal_number():
    form = OrganisationForm(form_data(kind="supplier", organisation_number="121212-1212"))
    assert form.is_valid(), form.errors


@pytest.mark.django_db
def test_a_number_is_registered_once():
    OrganisationFactory(organisation_number="212000-0142")
    form = OrganisationForm(form_data(organisation_number="2120000142"))
    assert not form.is_valid()
    assert "already registered" in str(form.errors["organisation_number"])


@pytest.mark.django_db
def test_facilitating_agency_cannot_be_chosen_at_registration():
    form = OrganisationForm(form_data(kind="facilitating_agency"))
    assert not form.is_valid()
    assert "kind" in form.errors
