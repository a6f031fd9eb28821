from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Now
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from core.content_language import content_language_field


class Theme(models.TextChoices):
    ENERGY = "energy", _("Energy and climate")
    TRANSPORT = "transport", _("Vehicles and transport")
    BUILDINGS = "buildings", _("Buildings and property")
    HEALTH = "health", _("Health and social care")
    DIGITAL = "digital", _("Digital services")
    FOOD = "food", _("Food and meals")
    CIRCULAR = "circular", _("Circular economy and materials")
    OTHER = "other", _("Other")


class Priority(models.TextChoices):
    """A requirement's priority; need versions keep the code in their requirements snapshot."""

    MUST = "must", _("Must")
    SHOULD = "should", _("Should")


class Stage(models.TextChoices):
    """The stage plan (PRODUCT.md §2.2; DOMAIN.md §1), in order."""

    NEED_IDENTIFICATION = "need_identification", _("Need identification")
    PRE_STUDY = "pre_study", _("Pre-study and market analysis")
    EARLY_DIALOGUE = "early_dialogue", _("Early dialogue")
    REQUIREMENTS = "requirements", _("Requirements")
    PROCUREMENT = "procurement", _("Procurement")
    FOLLOW_UP = "follow_up", _("Follow-up")


STAGE_ORDER = list(Stage.values)


class ThemeFollow(models.Model):
    """A supplier user follows a buyer-group theme to hear when dialogues open in it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="theme_follows")
    theme = models.CharField(max_length=32, choices=Theme.choices)

    class Meta:
        db_table = "notifications_themefollow"  # the table kept its name when the model moved here
        constraints = [models.UniqueConstraint(fields=["user", "theme"], name="follow_theme_once")]

    def __str__(self):
        return f"{self.user_id} follows {self.theme}"


class Procedure(models.TextChoices):
    """The procedures a group can choose (DOMAIN.md); the procurement itself runs elsewhere."""

    UNDECIDED = "undecided", _("Not decided")
    OPEN = "open", _("Open or restricted procedure")
    NEGOTIATED = "negotiated", _("Competitive procedure with negotiation")
    COMPETITIVE_DIALOGUE = "competitive_dialogue", _("Competitive dialogue")
    INNOVATION_PARTNERSHIP = "innovation_partnership", _("Innovation partnership")
    PCP = "pcp", _("Pre-commercial procurement")
    DESIGN_CONTEST = "design_contest", _("Design contest")
    BELOW_THRESHOLD = "below_threshold", _("Below-threshold procedure")
    OTHER = "other", _("Other")


class BuyerGroupQuerySet(models.QuerySet):
    def with_member_user(self, user):
        """Groups where the user works for an active member or observer organisation."""
        return self.filter(
            memberships__organisation__staff__user=user,
            memberships__status=Membership.Status.ACTIVE,
        ).distinct()

    def ongoing(self):
        return self.filter(outcome="")


class BuyerGroup(models.Model):
    class Outcome(models.TextChoices):
        """How a group ended (issue 20); a group with none is ongoing."""

        PROCURED = "procured", _("Procured")
        CONTINUING = "continuing", _("Continuing in another form")
        ABANDONED = "abandoned", _("Abandoned")

    name = models.CharField(_("name"), max_length=160)
    slug = models.SlugField(_("address"), max_length=80, unique=True)
    theme = models.CharField(_("theme"), max_length=32, choices=Theme.choices)
    summary = models.TextField(_("summary"), help_text=_("Public: shown in the directory and on the group's page."))
    challenge = models.TextField(_("challenge"), help_text=_("The shared problem the group wants solved."))
    is_open = models.BooleanField(
        _("open for new members"), default=True, help_text=_("Other authorities can ask to join.")
    )
    content_language = content_language_field(
        help_text=_("The language the texts of this group are written in; screen readers read them in that language.")
    )
    current_stage = models.CharField(
        _("current stage"), max_length=32, choices=Stage.choices, default=Stage.NEED_IDENTIFICATION
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    last_activity_at = models.DateTimeField(default=timezone.now)
    # The ending: empty while the group is ongoing; a facilitator's reopening empties it again
    # (the audit log keeps every ending and reopening).
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    ending_procedure = models.CharField(_("procedure"), max_length=32, choices=Procedure.choices, blank=True)
    advertised_on = models.DateField(_("advertised on"), null=True, blank=True)
    notice_url = models.URLField(_("link to the advertised procurement"), max_length=500, blank=True)
    notice_reference = models.CharField(_("notice reference"), max_length=120, blank=True)
    # Procured: empty; continuing: the other form the work takes; abandoned: why.
    ending_note = models.TextField(_("about the ending"), max_length=2000, blank=True)
    # The facilitators at Upphandlingsmyndigheten named as the group's contact persons: public
    # officials, shown with name and work e-mail on the group's public page.
    contacts = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("contact persons"), blank=True, related_name="contact_for_groups"
    )

    # When what the public sees of the group last changed (groups/freshness.py moves it): the open data
    # API's "updated since" filter, Last-Modified and the Atom feeds' <updated>.
    updated_at = models.DateTimeField(
        _("updated"), default=timezone.now, db_default=Now(), db_index=True, editable=False
    )

    objects = BuyerGroupQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("buyer group")
        verbose_name_plural = _("buyer groups")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("groups:group-detail", args=[self.slug])

    @property
    def is_ended(self) -> bool:
        return bool(self.outcome)


class MembershipQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=Membership.Status.ACTIVE)

    def pending(self):
        return self.filter(status__in=[Membership.Status.REQUESTED, Membership.Status.INVITED])

    def publicly_listed(self):
        """The memberships anyone may see: active members (not observers) that are verified
        contracting authorities. The group's public page lists them, and /dialogues/ finds a
        group's dialogues by their counties (their demand stays private)."""
        return self.active().filter(
            role=Membership.Role.MEMBER,
            organisation__status=Organisation.Status.VERIFIED,
            organisation__kind__in=Organisation.AUTHORITY_KINDS,
        )


class Membership(models.Model):
    """Membership is per organisation; its people act for it."""

    class Role(models.TextChoices):
        MEMBER = "member", _("Member")
        OBSERVER = "observer", _("Observer")

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        INVITED = "invited", _("Invited")
        ACTIVE = "active", _("Active")
        DECLINED = "declined", _("Declined")
        LEFT = "left", _("Left")
        REMOVED = "removed", _("Removed")

    OPEN_STATUSES = (Status.REQUESTED, Status.INVITED, Status.ACTIVE)

    group = models.ForeignKey(BuyerGroup, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="group_memberships")
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.MEMBER)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices)
    motivation = models.TextField(_("motivation"), blank=True)
    reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "organisation"],
                condition=Q(status__in=["requested", "invited", "active"]),
                name="one_open_membership_per_organisation",
            )
        ]

    def __str__(self):
        return f"{self.organisation} in {self.group}"


class Coordinator(models.Model):
    """A person who leads the group. A group always keeps at least one."""

    group = models.ForeignKey(BuyerGroup, on_delete=models.CASCADE, related_name="coordinators")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="coordinated_groups")
    appointed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    appointed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("coordinator")
        verbose_name_plural = _("coordinators")
        constraints = [models.UniqueConstraint(fields=["group", "user"], name="coordinator_once_per_group")]

    def __str__(self):
        return f"{self.user} coordinates {self.group}"


class StagePlanEntry(models.Model):
    group = models.ForeignKey(BuyerGroup, on_delete=models.CASCADE, related_name="stage_plan")
    stage = models.CharField(_("stage"), max_length=32, choices=Stage.choices)
    planned_start = models.DateField(_("planned start"), null=True, blank=True)
    planned_end = models.DateField(_("planned end"), null=True, blank=True)
    actual_start = models.DateField(_("actual start"), null=True, blank=True)
    actual_end = models.DateField(_("actual end"), null=True, blank=True)
    outcome_note = models.TextField(_("outcome"), blank=True, max_length=2000)
    # Raised each time the planned dates change: the SEQUENCE of the stage's calendar event.
    calendar_sequence = models.PositiveIntegerField(default=0, db_default=0, editable=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["group", "stage"], name="one_entry_per_stage")]

    def __str__(self):
        return f"{self.group}: {self.get_stage_display()}"

    @property
    def position(self) -> int:
        return STAGE_ORDER.index(self.stage)


class ProcedureChoice(models.Model):
    """What the group decided about the procurement; the procurement itself runs elsewhere."""

    Procedure = Procedure  # the choices live above, for the group's ending too

    class LegalVehicle(models.TextChoices):
        SINGLE = "single", _("One authority buys for the others")
        JOINT = "joint", _("Joint procurement")
        CENTRAL = "central", _("Central purchasing body")
        PCP = "pcp", _("Pre-commercial procurement (outside LOU)")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        ADVERTISED = "advertised", _("Advertised")
        AWARDED = "awarded", _("Awarded")
        CANCELLED = "cancelled", _("Cancelled")

    group = models.OneToOneField(BuyerGroup, on_delete=models.CASCADE, related_name="procedure_choice")
    procedure = models.CharField(_("procedure"), max_length=32, choices=Procedure.choices, default=Procedure.UNDECIDED)
    lead_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("lead organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    legal_vehicle = models.CharField(_("legal vehicle"), max_length=16, choices=LegalVehicle.choices, blank=True)
    rationale = models.TextField(_("rationale"))
    external_reference = models.CharField(
        _("notice reference"), max_length=120, blank=True, help_text=_("For example the TED or notice number.")
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PLANNED)
    decided_at = models.DateTimeField(auto_now=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    def __str__(self):
        return f"{self.group}: {self.get_procedure_display()}"


class ProcedureChoiceChange(models.Model):
    """Every saved version of the procedure choice, for the record."""

    choice = models.ForeignKey(ProcedureChoice, on_delete=models.CASCADE, related_name="changes")
    snapshot = models.JSONField()
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-changed_at", "-pk"]

    def __str__(self):
        return f"change {self.pk} at {self.changed_at:%Y-%m-%d %H:%M}"


def document_upload_path(instance, filename):
    # The stored name never comes from the user: it is only kept as original_name.
    stamp = timezone.now().strftime("%Y%m%d%H%M%S")
    return f"groups/{instance.document.group_id}/documents/{instance.document_id}/v{instance.number}-{stamp}"


class Document(models.Model):
    group = models.ForeignKey(BuyerGroup, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=200)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    latest_version = models.ForeignKey(
        "DocumentVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Hidden by a moderator (moderation/services.py): the original stays for the record.
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    hidden_reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("groups:document-detail", args=[self.group.slug, self.pk])

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None


class DocumentVersion(models.Model):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    file = models.FileField(upload_to=document_upload_path, max_length=300)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    note = models.CharField(_("change note"), max_length=300, blank=True)

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["document", "number"], name="document_version_number")]

    def __str__(self):
        return f"{self.document} v{self.number}"


class NeedStatement(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_REVIEW = "in_review", _("In review")
        PUBLISHED = "published", _("Published")
        CLOSED = "closed", _("Closed")

    group = models.ForeignKey(BuyerGroup, on_delete=models.CASCADE, related_name="needs")
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.DRAFT)
    current_version = models.ForeignKey(
        "NeedVersion", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    published_version = models.ForeignKey(
        "NeedVersion", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    previously_published_version = models.ForeignKey(
        "NeedVersion", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    next_requirement_number = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    # When what the public sees of the need last changed (groups/freshness.py moves it): the open data
    # API's "updated since" filter, Last-Modified and the Atom feeds' <updated>.
    updated_at = models.DateTimeField(
        _("updated"), default=timezone.now, db_default=Now(), db_index=True, editable=False
    )

    class Meta:
        verbose_name = _("need statement")
        verbose_name_plural = _("need statements")
        ordering = ["-created_at"]

    def __str__(self):
        return self.current_version.title if self.current_version_id else f"need {self.pk}"

    def get_absolute_url(self):
        return reverse("groups:need-detail", args=[self.group.slug, self.pk])

    @property
    def is_public(self) -> bool:
        return self.published_version_id is not None and self.state in (self.State.PUBLISHED, self.State.CLOSED)

    @property
    def has_unpublished_changes(self) -> bool:
        return self.published_version_id is not None and self.current_version_id != self.published_version_id


class NeedVersion(models.Model):
    """One immutable saved version of a need statement. Requirements are a snapshot list of
    {"number", "text", "priority", "rationale", "verification"}; a number never changes."""

    need = models.ForeignKey(NeedStatement, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    change_note = models.CharField(_("change note"), max_length=300)
    title = models.CharField(_("title"), max_length=200)
    background = models.TextField(_("background"), blank=True)
    challenge = models.TextField(_("the challenge"), blank=True)
    requirements = models.JSONField(default=list)
    constraints = models.TextField(_("constraints"), blank=True)
    sustainability_goals = models.TextField(_("sustainability goals"), blank=True)
    timeline = models.TextField(_("timeline"), blank=True)
    market_questions = models.TextField(_("questions to the market"), blank=True)

    TEXT_FIELDS = (
        "title",
        "background",
        "challenge",
        "constraints",
        "sustainability_goals",
        "timeline",
        "market_questions",
    )

    class Meta:
        verbose_name = _("need statement version")
        verbose_name_plural = _("need statement versions")
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["need", "number"], name="need_version_number")]

    def __str__(self):
        return f"{self.title} (v{self.number})"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("need versions are immutable; save a new version instead")
        super().save(*args, **kwargs)


class NeedComment(models.Model):
    need = models.ForeignKey(NeedStatement, on_delete=models.CASCADE, related_name="comments")
    requirement_number = models.PositiveIntegerField(_("requirement"), null=True, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    body = models.TextField(_("comment"), max_length=5000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.body[:60]


class Endorsement(models.Model):
    """A member authority's commitment and its own volume (demand aggregation)."""

    class Commitment(models.TextChoices):
        INTERESTED = "interested", _("Interested")
        COMMITTED = "committed", _("Committed")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    need = models.ForeignKey(NeedStatement, on_delete=models.CASCADE, related_name="endorsements")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    commitment = models.CharField(_("commitment"), max_length=16, choices=Commitment.choices)
    decision_reference = models.CharField(
        _("reference to your own decision"),
        max_length=200,
        blank=True,
        help_text=_("For example a board decision or case number (diarienummer)."),
    )
    quantity = models.DecimalField(_("estimated quantity"), max_digits=14, decimal_places=2, null=True, blank=True)
    unit = models.CharField(_("unit"), max_length=40, blank=True, help_text=_("For example vehicles, units, m²."))
    budget_min = models.PositiveBigIntegerField(_("budget from (SEK)"), null=True, blank=True)
    budget_max = models.PositiveBigIntegerField(_("budget to (SEK)"), null=True, blank=True)
    wanted_start = models.DateField(_("wanted start"), null=True, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["need", "organisation"], name="one_endorsement_per_organisation")
        ]

    def __str__(self):
        return f"{self.organisation}: {self.get_commitment_display()}"


class EndorsementChange(models.Model):
    endorsement = models.ForeignKey(Endorsement, on_delete=models.CASCADE, related_name="changes")
    snapshot = models.JSONField()
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-changed_at", "-pk"]

    def __str__(self):
        return f"change {self.pk} at {self.changed_at:%Y-%m-%d %H:%M}"
