"""The de-identification check (dialogues/deidentify.py, issue 16 finding 1): a text for every
participant or the public is checked against every organisation that takes or took part in the
dialogue, for every kind of identifier, however it is written; common words pass."""

import pytest
from django.utils import timezone, translation

from accounts.models import OrganisationDomain, OrganisationMember
from dialogues.deidentify import identifying_matches
from dialogues.models import Participation
from dialogues.services.dialogue import register_participation
from tests.dialogues.conftest import supplier
from tests.factories import person_at


def add_identities(dc):
    """Solvent (the asker in most tests) with everything an organisation can be known by;
    Nordlys takes part without asking; Frostbit took part and withdrew; a supplier whose name
    is a word the dialogue itself uses; Tredje Maskin does not take part."""
    dc.solvent.organisation_number = "556123-4567"
    dc.solvent.short_names = "Solvo\nVoltPack™\n\nAB"
    dc.solvent.website = "https://www.solventkraft.se/om-oss"
    dc.solvent.phone = "08-123 456 78"
    dc.solvent.save()
    OrganisationDomain.objects.create(organisation=dc.solvent, domain="solvent.se")
    person_at(dc.solvent, name="Gunnar Wennerström", email="gunnar.w@solvent.se")
    person_at(dc.solvent, name="Anna Andersson", email="anna.andersson@gmail.com")
    frostbit = supplier("Frostbit AB")
    person_at(frostbit, role=OrganisationMember.Role.ADMIN, name="Fredrik Frost", email="fredrik@frostbit.se")
    Participation.objects.create(
        dialogue=dc.dialogue, organisation=frostbit, registered_by=dc.coordinator, withdrawn_at=timezone.now()
    )
    loaders = supplier("Hjullastare Norr AB")
    register_participation(
        dialogue=dc.dialogue,
        organisation=loaders,
        user=person_at(loaders, role=OrganisationMember.Role.ADMIN, name="Hanna Hult"),
    )
    return dc


@pytest.fixture(scope="module")
def _module_identities(_module_dc, django_db_blocker):
    with django_db_blocker.unblock(), translation.override("en"):
        return add_identities(_module_dc)


@pytest.fixture
def identities(_module_identities, db):
    """Built once for the module: every test here only reads."""
    return _module_identities


LEAKS = [
    # (text, what the check must find, whose)
    ("Solvent undrar: godtas batteribyte?", "Solvent", "Solvent Energi AB"),
    ("Vi på Solvent har frågat om laddning.", "Solvent", "Solvent Energi AB"),
    ("Solvents fråga gäller laddning.", "Solvents", "Solvent Energi AB"),
    ("Answering solvent's question on charging.", "solvent's", "Solvent Energi AB"),
    ("SOLVENT VILL VETA MER.", "SOLVENT", "Solvent Energi AB"),
    ("Solventen föreslår snabbladdning.", "Solventen", "Solvent Energi AB"),
    ("Solvéntarnas förslag gäller laddning.", "Solvéntarnas", "Solvent Energi AB"),
    ("Solvent Energi AB undrar om batterier.", "Solvent Energi AB", "Solvent Energi AB"),
    ("Svar till Solvent Energi om laddningen.", "Solvent Energi", "Solvent Energi AB"),
    ("Frågan kom från Sara Säljare.", "Sara Säljare", "Solvent Energi AB"),
    ("FRÅGAN KOM FRÅN SARA SÄLJARE.", "SARA SÄLJARE", "Solvent Energi AB"),
    ("Gunnar Wennerström frågade om depåerna.", "Gunnar Wennerström", "Solvent Energi AB"),
    ("Som Wennerström påpekade räcker det.", "Wennerström", "Solvent Energi AB"),
    ("Wennerströms förslag gäller laddning.", "Wennerströms", "Solvent Energi AB"),
    ("Som wennerstrom skrev i frågan.", "wennerstrom", "Solvent Energi AB"),
    ("Kontakta sara@solvent.se för detaljer.", "sara@solvent.se", "Solvent Energi AB"),
    ("Skriv till Gunnar.W@Solvent.se.", "Gunnar.W@Solvent.se", "Solvent Energi AB"),
    ("Hör av er till anna.andersson@gmail.com.", "anna.andersson@gmail.com", "Solvent Energi AB"),
    ("Se solvent.se för detaljer.", "solvent.se", "Solvent Energi AB"),
    ("Frågor till info@solvent.se.", "solvent.se", "Solvent Energi AB"),
    ("Mer på www.solventkraft.se.", "solventkraft.se", "Solvent Energi AB"),
    ("Läs https://solventkraft.se/produkter först.", "solventkraft.se", "Solvent Energi AB"),
    ("Solventkraft har svarat.", "Solventkraft", "Solvent Energi AB"),
    ("Org.nr 556123-4567 har frågat.", "556123-4567", "Solvent Energi AB"),
    ("Organisationsnummer 5561234567.", "5561234567", "Solvent Energi AB"),
    ("Organisationsnummer 556123 4567.", "556123 4567", "Solvent Energi AB"),
    ("Momsnummer SE556123456701.", "556123456701", "Solvent Energi AB"),
    ("Tolvsiffrigt: 16556123-4567.", "16556123-4567", "Solvent Energi AB"),
    ("Ring 08-123 456 78 vid frågor.", "08-123 456 78", "Solvent Energi AB"),
    ("Ring +46 8 123 456 78 vid frågor.", "+46 8 123 456 78", "Solvent Energi AB"),
    ("Ring 0812345678 vid frågor.", "0812345678", "Solvent Energi AB"),
    ("Ring +46 (0)8-123 45 678 vid frågor.", "+46 (0)8-123 45 678", "Solvent Energi AB"),
    ("Laddaren från Solvo räcker.", "Solvo", "Solvent Energi AB"),
    ("Med VoltPack går det fort.", "VoltPack", "Solvent Energi AB"),
    ("Voltpacks batterier räcker åtta timmar.", "Voltpacks", "Solvent Energi AB"),
    ("Nordlys undrar också om laddningen.", "Nordlys", "Nordlys Teknik AB"),
    ("Nordlys Teknik AB har frågat.", "Nordlys Teknik AB", "Nordlys Teknik AB"),
    ("Omar Produkt ställde frågan.", "Omar Produkt", "Nordlys Teknik AB"),
    ("Svara omar@nordlys.se.", "omar@nordlys.se", "Nordlys Teknik AB"),
    ("Frostbit har tidigare frågat om kylan.", "Frostbit", "Frostbit AB"),
    ("Hjullastare Norr AB undrar om däcken.", "Hjullastare Norr AB", "Hjullastare Norr AB"),
]

INNOCENT = [
    "Energi och teknik är viktiga delar av behovet.",
    "Systemet ska klara minus 30 grader.",
    "Leverantörer i Sverige och i Norden får svara.",
    "Sara frågade om laddningen.",
    "Omar och Anna har båda rätt.",
    "Insolventa leverantörer kan inte delta.",
    "Solvens är ett krav i upphandlingen.",
    "Den tredje frågan gäller laddning.",
    "Tredje Maskin AB tar inte del av dialogen.",
    "Enligt Andersson räcker det med en laddare.",
    "Fossilfria hjullastare efterfrågas.",
    "Hjullastaren ska kunna lyfta tre ton.",
    "AB och HB är vanliga bolagsformer.",
    "Se www.upphandlingsmyndigheten.se för vägledning.",
    "Skriv till registrator@vaxjo.se med frågor.",
    "Ring 112 vid en nödsituation.",
    "Mötet är 2026-05-12 kl. 08:00.",
    "Telefonnummer 08-123 456 79 gäller inte.",
    "Organisationsnummer 556123-4568 tillhör ingen här.",
    "Nordisk el och service godtas.",
    "Batteriet ska räcka åtta timmar per skift.",
    "Gmail.com-adresser godtas inte.",
    "Fredrik tackar för frågan.",
]


@pytest.mark.parametrize(("text", "found", "organisation"), LEAKS)
def test_a_leak_is_found(identities, text, found, organisation):
    matches = identifying_matches(identities.dialogue, "Godtas batteribyte?", text)
    assert (found, organisation) in [(match.found, match.organisation) for match in matches]


@pytest.mark.parametrize("text", INNOCENT)
def test_an_innocent_text_passes(identities, text):
    assert identifying_matches(identities.dialogue, text) == []


def test_the_table_holds_at_least_forty_phrasings():
    assert len(LEAKS) + len(INNOCENT) >= 40


def test_each_match_says_which_kind_of_identifier_it_is(identities):
    text = "Solvo, Sara Säljare, sara@solvent.se, solvent.se, 5561234567 och 08-123 456 78."
    kinds = {match.found: match.what for match in identifying_matches(identities.dialogue, text)}
    assert kinds == {
        "Solvo": "a participating supplier's short name or trademark",
        "Sara Säljare": "a person at a participating supplier",
        "sara@solvent.se": "an e-mail address of a person at a participating supplier",
        "solvent.se": "an e-mail domain",
        "5561234567": "an organisation number",
        "08-123 456 78": "a phone number",
    }


def test_a_name_word_the_dialogue_itself_uses_is_not_distinctive(identities):
    """The word "hjullastare" is in the need's title: alone it passes, the whole name does not."""
    assert identifying_matches(identities.dialogue, "Hjullastare ska vara fossilfria.") == []
    assert identifying_matches(identities.dialogue, "Hjullastare Norr undrar.")


def test_the_check_takes_two_queries_when_nothing_matches(identities, django_assert_num_queries):
    with django_assert_num_queries(2):
        assert identifying_matches(identities.dialogue, "Godtas batteribyte?", "Ja, inom tio minuter.") == []


def test_a_supplier_outside_the_dialogue_is_not_checked(identities):
    assert identifying_matches(identities.dialogue, "Tina Tredje på tredje.se frågar.") == []
