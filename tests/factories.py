import itertools

import factory
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from accounts.models import Invitation, Organisation, OrganisationMember, User

PASSWORD = "pw-test-2026"
_serials = itertools.count(1)


def luhn_number(first_nine: str) -> str:
    total = 0
    for index, char in enumerate(first_nine):
        product = int(char) * (2 if index % 2 == 0 else 1)
        total += product - 9 if product > 9 else product
    return f"{first_nine[:6]}-{first_nine[6:]}{(10 - total % 10) % 10}"


def next_number(prefix: str = "55") -> str:
    """A unique, valid organisation number; authorities get a prefix with a third digit >= 2."""
    return luhn_number(f"{prefix}{next(_serials):07d}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.se")
    name = factory.Sequence(lambda n: f"Person {n}")
    title = "Upphandlare"
    language = "en"

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or PASSWORD)
        if create:
            self.save()
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)

    @factory.post_generation
    def accepted_code_of_conduct(self, create, extracted, **kwargs):
        # Most tests are about something else: people have accepted the code of conduct unless
        # a test says UserFactory(accepted_code_of_conduct=False).
        if create and extracted is not False:
            from accounts.models import CodeOfConductAcceptance

            CodeOfConductAcceptance.objects.create(user=self)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    kind = Organisation.Kind.KOMMUN
    organisation_number = factory.LazyAttribute(
        lambda o: next_number("55" if o.kind == Organisation.Kind.SUPPLIER else "21")
    )
    status = Organisation.Status.VERIFIED


class OrganisationMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrganisationMember

    organisation = factory.SubFactory(OrganisationFactory)
    user = factory.SubFactory(UserFactory)
    role = OrganisationMember.Role.MEMBER


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    organisation = factory.SubFactory(OrganisationFactory)
    email = factory.Sequence(lambda n: f"invitee{n}@example.se")


def person_at(organisation: Organisation, *, role=OrganisationMember.Role.MEMBER, **user_fields) -> User:
    user = UserFactory(**user_fields)
    OrganisationMember.objects.create(organisation=organisation, user=user, role=role)
    return user


def with_totp(user: User) -> User:
    """The person with an authenticator app set up, as facilitators and staff must have."""
    TOTP.activate(user, generate_totp_secret())
    return user
