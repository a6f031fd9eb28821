"""Load the demo cast (idempotent): run it as often as you like, nothing is duplicated."""

from allauth.account.models import EmailAddress
from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.models import Organisation, OrganisationDomain, OrganisationMember, SizeClass, User
from dialogues.demo import load_dialogues_demo
from discussions.demo import load_threads_demo
from experience.demo import load_experience_demo
from groups.demo import load_contacts_demo, load_groups_demo
from indicator.demo import load_indicator_demo
from moderation.demo import load_moderation_demo
from moderation.services import accept_code_of_conduct

DEMO_PASSWORD = "demo-2026"

# (name, kind, organisation number, size class position, status, county where it has its seat)
ORGANISATIONS = {
    "agency": ("Upphandlingsmyndigheten", "facilitating_agency", "202100-6297", 1, "verified", "01"),
    "vaxjo": ("Växjö kommun", "kommun", "212000-0688", 3, "verified", "07"),
    "lund": ("Lunds kommun", "kommun", "212000-1124", 3, "verified", "12"),
    "trafikverket": ("Trafikverket", "statlig_myndighet", "202100-6297", 4, "verified", "20"),
    "energi": ("Energimyndigheten", "statlig_myndighet", "202100-5000", 2, "verified", "04"),
    "solvent": ("Solvent Energi AB", "supplier", "556036-0793", 1, "verified", "01"),
    "nordlys": ("Nordlys Teknik AB", "supplier", "556677-8899", 0, "verified", "14"),
    "unverified": ("Oprövad Leverantör AB", "supplier", "559000-0001", 0, "unverified", ""),
}

# (email, name, title, organisation key, role)
PEOPLE = [
    ("facilitator@demo.example", "Fia Facilitator", "Processledare", "agency", "admin"),
    ("anna@vaxjo.demo.example", "Anna Andersson", "Upphandlare, samordnare", "vaxjo", "admin"),
    ("erik@lund.demo.example", "Erik Lindqvist", "Verksamhetsutvecklare", "lund", "admin"),
    ("maria@trafikverket.demo.example", "Maria Berg", "Strategisk inköpare", "trafikverket", "admin"),
    ("olle@energi.demo.example", "Olle Nilsson", "Expert, observatör", "energi", "admin"),
    ("sara@solvent.demo.example", "Sara Svensson", "Försäljningschef", "solvent", "admin"),
    ("omar@nordlys.demo.example", "Omar Haddad", "Produktchef", "nordlys", "admin"),
    ("ulf@unverified.demo.example", "Ulf Ulfsson", "VD", "unverified", "admin"),
]


def valid_number(first_nine: str) -> str:
    """Complete nine digits with the Luhn check digit (demo numbers are made up but valid)."""
    total = 0
    for index, char in enumerate(first_nine):
        product = int(char) * (2 if index % 2 == 0 else 1)
        total += product - 9 if product > 9 else product
    check = (10 - total % 10) % 10
    return f"{first_nine[:6]}-{first_nine[6:]}{check}"


class Command(BaseCommand):
    help = "Load the demo organisations and users (password demo-2026). Safe to run again."

    @transaction.atomic
    def handle(self, *args, **options):
        sizes = list(SizeClass.objects.order_by("position"))
        organisations = {}
        for key, (name, kind, number, size, status, county) in ORGANISATIONS.items():
            number = valid_number(number.replace("-", "")[:9])
            organisation, _ = Organisation.objects.get_or_create(
                name=name,
                defaults={
                    "kind": kind,
                    "organisation_number": self._free_number(number),
                    "size_class": sizes[size] if sizes else None,
                    "status": status,
                    "subject_to_public_access": kind != "supplier",
                    "county": county,
                },
            )
            if not organisation.county and county:  # a demo loaded before organisations had counties
                organisation.county = county
                organisation.save(update_fields=["county"])
            organisations[key] = organisation
        for email, name, title, key, role in PEOPLE:
            user = User.objects.filter(email=email).first()
            if user is None:
                user = User.objects.create_user(email=email, password=DEMO_PASSWORD, name=name, title=title)
            user.is_demo = True
            user.save(update_fields=["is_demo"])
            accept_code_of_conduct(user=user)  # the demo's people have written before
            EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
            OrganisationMember.objects.get_or_create(
                organisation=organisations[key], user=user, defaults={"role": role}
            )
        OrganisationDomain.objects.get_or_create(
            domain="vaxjo.demo.example", defaults={"organisation": organisations["vaxjo"]}
        )
        load_groups_demo()
        load_contacts_demo()
        load_dialogues_demo()
        load_indicator_demo()
        load_experience_demo()  # after the groups: reports on the ended demo group
        load_threads_demo()  # uses the groups (and the dialogues, when there are any)
        load_moderation_demo()  # last: reports a demo message
        self.stdout.write(self.style.SUCCESS(f"Demo loaded: {len(PEOPLE)} users, password {DEMO_PASSWORD}"))

    def _free_number(self, number: str) -> str:
        """Made-up demo numbers must not clash with each other; step the serial until free."""
        serial = int(number.replace("-", "")[:9])
        while Organisation.objects.filter(organisation_number=number).exists():
            serial += 10
            number = valid_number(str(serial))
        return number
