import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.orgnr import is_personal_number
from core.content_language import content_language_field


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)

    def facilitators(self):
        """The people of a verified facilitating agency (Upphandlingsmyndigheten), as one
        query: the rule of User.is_facilitator."""
        agencies = Organisation.objects.verified().filter(kind=Organisation.Kind.FACILITATING_AGENCY)
        return self.filter(pk__in=OrganisationMember.objects.filter(organisation__in=agencies).values("user_id"))


class User(AbstractUser):
    """A person. Signs in with e-mail; acts on behalf of one or more organisations."""

    class Language(models.TextChoices):
        SWEDISH = "sv", _("Swedish")
        ENGLISH = "en", _("English")

    username = None
    first_name = None
    last_name = None
    email = models.EmailField(_("e-mail address"), unique=True)
    name = models.CharField(_("name"), max_length=150, blank=True)
    title = models.CharField(_("title"), max_length=150, blank=True, help_text=_("For example procurement officer."))
    language = models.CharField(_("language"), max_length=2, choices=Language.choices, default=Language.SWEDISH)
    is_demo = models.BooleanField(default=False, editable=False)
    deleted_at = models.DateTimeField(null=True, blank=True, editable=False)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.display_name

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @cached_property
    def active_affiliations(self):
        # A list view may have prefetched them (with their organisations): use that, no query.
        if "affiliations" in getattr(self, "_prefetched_objects_cache", {}):
            return sorted(self.affiliations.all(), key=lambda a: a.organisation.name)
        return list(self.affiliations.select_related("organisation").order_by("organisation__name"))

    @property
    def display_name(self) -> str:
        """How the person appears next to what they wrote; deleted accounts keep their organisation."""
        if self.is_deleted:
            organisation = self.active_affiliations[0].organisation if self.active_affiliations else None
            if organisation is None:
                return gettext("deleted user")
            return gettext("deleted user, %(organisation)s") % {"organisation": organisation.name}
        return self.name or self.email

    # Roles are answered here, once, and nowhere else.
    @cached_property
    def is_facilitator(self) -> bool:
        return any(
            a.organisation.kind == Organisation.Kind.FACILITATING_AGENCY and a.organisation.is_verified
            for a in self.active_affiliations
        )

    @cached_property
    def verified_organisations(self) -> list["Organisation"]:
        return [a.organisation for a in self.active_affiliations if a.organisation.is_verified]

    @property
    def can_act(self) -> bool:
        """Whether the user may do anything beyond reading: only for verified organisations."""
        return bool(self.verified_organisations)

    def is_admin_of(self, organisation: "Organisation") -> bool:
        return any(
            a.organisation_id == organisation.pk and a.role == OrganisationMember.Role.ADMIN
            for a in self.active_affiliations
        )

    def is_member_of(self, organisation: "Organisation") -> bool:
        return any(a.organisation_id == organisation.pk for a in self.active_affiliations)


class SizeClass(models.Model):
    """Size classes are data: the sources give no thresholds, so facilitators edit them."""

    name = models.CharField(_("name"), max_length=80)
    min_employees = models.PositiveIntegerField(_("from employees"), default=0)
    max_employees = models.PositiveIntegerField(_("to employees"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "min_employees"]
        verbose_name = _("size class")
        verbose_name_plural = _("size classes")

    def __str__(self):
        return self.name


class County(models.TextChoices):
    """Sweden's counties (län) by their official two-digit code (SCB). A county's name is a
    proper name, the same in every language, so the labels are not marked for translation."""

    STOCKHOLM = "01", "Stockholms län"
    UPPSALA = "03", "Uppsala län"
    SODERMANLAND = "04", "Södermanlands län"
    OSTERGOTLAND = "05", "Östergötlands län"
    JONKOPING = "06", "Jönköpings län"
    KRONOBERG = "07", "Kronobergs län"
    KALMAR = "08", "Kalmar län"
    GOTLAND = "09", "Gotlands län"
    BLEKINGE = "10", "Blekinge län"
    SKANE = "12", "Skåne län"
    HALLAND = "13", "Hallands län"
    VASTRA_GOTALAND = "14", "Västra Götalands län"
    VARMLAND = "17", "Värmlands län"
    OREBRO = "18", "Örebro län"
    VASTMANLAND = "19", "Västmanlands län"
    DALARNA = "20", "Dalarnas län"
    GAVLEBORG = "21", "Gävleborgs län"
    VASTERNORRLAND = "22", "Västernorrlands län"
    JAMTLAND = "23", "Jämtlands län"
    VASTERBOTTEN = "24", "Västerbottens län"
    NORRBOTTEN = "25", "Norrbottens län"


class OrganisationQuerySet(models.QuerySet):
    def verified(self):
        return self.filter(status=Organisation.Status.VERIFIED)

    def awaiting_review(self):
        return self.filter(status=Organisation.Status.UNVERIFIED)

    def with_staff_user(self, user):
        return self.filter(staff__user=user).distinct()


class Organisation(models.Model):
    class Kind(models.TextChoices):
        KOMMUN = "kommun", _("Municipality (kommun)")
        REGION = "region", _("Region")
        STATLIG_MYNDIGHET = "statlig_myndighet", _("State agency (statlig myndighet)")
        KOMMUNALT_BOLAG = "kommunalt_bolag", _("Municipal company (kommunalt bolag)")
        OTHER_AUTHORITY = "other_authority", _("Other contracting authority")
        SUPPLIER = "supplier", _("Supplier")
        FACILITATING_AGENCY = "facilitating_agency", _("Facilitating agency")

    AUTHORITY_KINDS = (
        Kind.KOMMUN,
        Kind.REGION,
        Kind.STATLIG_MYNDIGHET,
        Kind.KOMMUNALT_BOLAG,
        Kind.OTHER_AUTHORITY,
    )

    class Status(models.TextChoices):
        UNVERIFIED = "unverified", _("Awaiting verification")
        VERIFIED = "verified", _("Verified")
        REJECTED = "rejected", _("Rejected")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind of organisation"), max_length=32, choices=Kind.choices)
    # Unique among registrations that are not rejected: a rejected one (a mistaken or false
    # registration) must not keep the real organisation from registering.
    organisation_number = models.CharField(_("organisation number"), max_length=11, help_text=_("NNNNNN-NNNN"))
    size_class = models.ForeignKey(
        SizeClass, verbose_name=_("size"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # What else identifies the organisation, besides its name and number: market dialogues hold
    # back texts for all participants that contain any of it (dialogues/deidentify.py).
    short_names = models.TextField(
        _("short names and trademarks"),
        max_length=2000,
        blank=True,
        help_text=_(
            "One per line: the names people use for the organisation besides its legal name, and its "
            "trademarks. Texts published to every supplier in a market dialogue are checked against them."
        ),
    )
    content_language = content_language_field(
        help_text=_("The language the organisation's texts are written in; screen readers read them in that language.")
    )
    website = models.URLField(_("website"), max_length=300, blank=True)
    phone = models.CharField(_("switchboard phone number"), max_length=40, blank=True)
    county = models.CharField(
        _("county"),
        max_length=2,
        blank=True,
        db_default="",  # rows written by code that predates the field (old migrations' models) too
        choices=County.choices,
        help_text=_(
            "Where the organisation has its seat. For a contracting authority it is how suppliers "
            "find its buyer groups' market dialogues by region."
        ),
    )
    subject_to_public_access = models.BooleanField(
        _("subject to the principle of public access"),
        default=True,
        help_text=_("Authorities and most municipal companies hold public documents (offentlighetsprincipen)."),
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.UNVERIFIED)
    status_reason = models.TextField(_("reason"), blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation_number"],
                condition=~Q(status="rejected"),
                name="organisation_number_once_unless_rejected",
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("accounts:organisation-detail", args=[self.pk])

    @property
    def is_verified(self) -> bool:
        return self.status == self.Status.VERIFIED

    @property
    def is_authority(self) -> bool:
        return self.kind in self.AUTHORITY_KINDS

    @property
    def is_supplier(self) -> bool:
        return self.kind == self.Kind.SUPPLIER

    @property
    def number_is_personal_data(self) -> bool:
        return is_personal_number(self.organisation_number)


class OrganisationMember(models.Model):
    """A person's place in an organisation; admins invite colleagues and manage domains."""

    class Role(models.TextChoices):
        ADMIN = "admin", _("Administrator")
        MEMBER = "member", _("Member")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="staff")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="affiliations")
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.MEMBER)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "user"], name="one_membership_per_organisation")]
        ordering = ["organisation__name"]

    def __str__(self):
        return f"{self.user} @ {self.organisation}"


def _new_token() -> str:
    return secrets.token_urlsafe(32)


def _invitation_expiry():
    return timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS)


class InvitationQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now())


class Invitation(models.Model):
    """An admin's invitation of a colleague, by e-mail; the link holds an unguessable token."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(
        _("role"), max_length=16, choices=OrganisationMember.Role.choices, default=OrganisationMember.Role.MEMBER
    )
    token = models.CharField(max_length=64, unique=True, default=_new_token, editable=False)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(default=_invitation_expiry)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.email} → {self.organisation}"

    def get_absolute_url(self):
        return reverse("accounts:invitation-accept", args=[self.token])

    def is_pending(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > timezone.now()

    def is_expired(self) -> bool:
        return self.accepted_at is None and self.expires_at <= timezone.now()


class OrganisationDomain(models.Model):
    """An e-mail domain that a verified organisation has registered as its own."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="domains")
    domain = models.CharField(_("e-mail domain"), max_length=253, help_text=_("For example vaxjo.se"))
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["domain"]
        constraints = [models.UniqueConstraint(Lower("domain"), name="domain_registered_once")]

    def __str__(self):
        return self.domain


class DomainJoinRequest(models.Model):
    """Someone with a verified address on a registered domain asks to join; an admin decides."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for an administrator")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="join_requests")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="join_requests")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("request to join by e-mail domain")
        verbose_name_plural = _("requests to join by e-mail domain")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user"],
                condition=models.Q(status="pending"),
                name="one_pending_join_request",
            )
        ]

    def __str__(self):
        return f"{self.user} → {self.organisation}"


# --- A person's standing: suspensions and the code of conduct (moderation decides them) ---

# Bump when the text of the code of conduct changes in substance: everyone accepts it again.
CODE_OF_CONDUCT_VERSION = "2026-1"


class SuspensionQuerySet(models.QuerySet):
    def in_force(self, now=None):
        now = now or timezone.now()
        return self.filter(lifted_at__isnull=True, starts_at__lte=now).filter(
            Q(ends_at__isnull=True) | Q(ends_at__gt=now)
        )

    def affecting(self, user, group_id=None):
        """Suspensions of the user from the whole site, or from the group when one is given."""
        place = Q(group__isnull=True)
        if group_id is not None:
            place |= Q(group_id=group_id)
        return self.filter(place, user=user)


class Suspension(models.Model):
    """A user may not post or join, in one group or on the whole site, for a period or until a
    moderator lifts it. Kept after it ends, for the record."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="suspensions")
    # None: the whole site. A string reference: accounts sit below groups and never import them.
    group = models.ForeignKey(
        "groups.BuyerGroup", null=True, blank=True, on_delete=models.CASCADE, related_name="suspensions"
    )
    reason = models.TextField(_("reason"), max_length=2000)
    starts_at = models.DateTimeField(default=timezone.now)
    ends_at = models.DateTimeField(_("until"), null=True, blank=True)  # none: until lifted
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    lift_reason = models.TextField(blank=True)

    objects = SuspensionQuerySet.as_manager()

    class Meta:
        db_table = "moderation_suspension"  # the table kept its name when the model moved here
        ordering = ["-starts_at", "-pk"]
        verbose_name = _("suspension")
        verbose_name_plural = _("suspensions")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=models.F("starts_at")),
                name="suspension_ends_after_start",
            )
        ]

    def __str__(self):
        return f"{self.user} suspended from {self.group or 'the site'}"

    def is_in_force(self, now=None) -> bool:
        now = now or timezone.now()
        return self.lifted_at is None and self.starts_at <= now and (self.ends_at is None or self.ends_at > now)


class CodeOfConductAcceptance(models.Model):
    """When a user accepted (a version of) the code of conduct: required before the first post."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="code_of_conduct_acceptances"
    )
    version = models.CharField(max_length=20, default=CODE_OF_CONDUCT_VERSION)
    accepted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "moderation_codeofconductacceptance"
        ordering = ["-accepted_at"]
        constraints = [models.UniqueConstraint(fields=["user", "version"], name="accept_each_version_once")]

    def __str__(self):
        return f"{self.user} accepted {self.version} at {self.accepted_at:%Y-%m-%d %H:%M}"


class CalendarLink(models.Model):
    """A person's secret calendar subscription link (/calendar/<token>.ics, home/views.py):
    whoever has the link reads the person's meetings and deadlines without signing in. Only a
    SHA-256 hash of the token is kept, so the database (or a backup) does not hold working
    links; the person sees the link once, when it is made, and renews it if it leaks."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_link")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("calendar link")
        verbose_name_plural = _("calendar links")

    def __str__(self):
        return f"{self.user} calendar link"
