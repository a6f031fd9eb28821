"""What the open data API says about each object: exactly what its public page shows (the test
tests/api/test_public_only.py compares every field with the anonymous page), as codes and plain
values a machine can read. Codes (theme, stage, state, kind) are listed with their names in both
languages at /api/v1/themes/ and in the OpenAPI document."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import County, Organisation
from dialogues.models import Answer, Dialogue
from groups.models import BuyerGroup, NeedStatement, Priority, Stage, Theme


class WebUrlField(serializers.Field):
    # The object's public page, as an absolute address.

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, value):
        return absolute(self.context["request"], value.get_absolute_url())


extend_schema_field({"type": "string", "format": "uri"})(WebUrlField)


def absolute(request, path: str) -> str:
    # The path as an absolute address on the host the client asked (worked out once a request).
    base = getattr(request, "_open_data_base", None)
    if base is None:
        base = request._open_data_base = request.build_absolute_uri("/")[:-1]
    return base + path


def api_url(request, name, pk) -> str:
    return absolute(request, reverse(f"api:{name}", args=[pk]))


# One field to write every time the way the API writes times (built once, not per object).
_TIME = serializers.DateTimeField()


def _time(value):
    return None if value is None else _TIME.to_representation(value)


class ThemeSerializer(serializers.Serializer):
    code = serializers.ChoiceField(choices=Theme.choices)
    name = serializers.DictField(child=serializers.CharField(), help_text=_("The theme's name by language code."))


class ReferenceSerializer(serializers.Serializer):
    # Another object of the API: its id, its API address and its public page.

    id = serializers.IntegerField()
    url = serializers.URLField()
    web_url = serializers.URLField()


class GroupReferenceSerializer(ReferenceSerializer):
    name = serializers.CharField()


def group_reference(request, group) -> dict:
    return {
        "id": group.pk,
        "name": group.name,
        "url": api_url(request, "group-detail", group.pk),
        "web_url": absolute(request, group.get_absolute_url()),
    }


class MemberAuthoritySerializer(serializers.Serializer):
    name = serializers.CharField(source="organisation.name")
    kind = serializers.ChoiceField(source="organisation.kind", choices=Organisation.Kind.choices)
    county = serializers.ChoiceField(
        source="organisation.county",
        choices=[("", ""), *County.choices],
        help_text=_('The county (län) by its two-digit code; "" when not stated.'),
    )


class EndingSerializer(serializers.Serializer):
    # How an ended group ended, as its public page's "The group has ended" box shows it.

    outcome = serializers.ChoiceField(choices=BuyerGroup.Outcome.choices)
    ended_on = serializers.DateField()
    procedure = serializers.CharField(allow_null=True, help_text=_("Procured groups: the procedure used."))
    advertised_on = serializers.DateField(allow_null=True)
    notice_reference = serializers.CharField(allow_null=True)
    notice_url = serializers.URLField(allow_null=True)
    note = serializers.CharField(allow_null=True, help_text=_("Why the group stopped, or how the work continues."))


def ending_of(group) -> dict | None:
    if not group.is_ended:
        return None
    procured = group.outcome == BuyerGroup.Outcome.PROCURED
    return {
        "outcome": group.outcome,
        "ended_on": group.ended_on,
        "procedure": group.ending_procedure if procured else None,
        "advertised_on": group.advertised_on if procured else None,
        "notice_reference": (group.notice_reference or None) if procured else None,
        "notice_url": (group.notice_url or None) if procured else None,
        "note": None if procured else group.ending_note,
    }


class GroupSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    url = serializers.SerializerMethodField()
    web_url = WebUrlField()
    slug = serializers.SlugField()
    name = serializers.CharField()
    theme = serializers.ChoiceField(choices=Theme.choices)
    stage = serializers.ChoiceField(source="current_stage", choices=Stage.choices)
    open_for_members = serializers.BooleanField(source="is_open", help_text=_("Open for new member authorities."))
    summary = serializers.CharField()
    challenge = serializers.CharField()
    content_language = serializers.CharField(help_text=_("The language the group's texts are written in."))
    member_count = serializers.IntegerField(source="public_member_count", help_text=_("Active member authorities."))
    member_authorities = MemberAuthoritySerializer(source="public_members", many=True)
    ended = EndingSerializer(source="public_ending", allow_null=True, read_only=True)
    published_needs = serializers.SerializerMethodField()
    open_dialogues = serializers.SerializerMethodField()
    updated_at = serializers.DateTimeField(help_text=_("When what the public sees of the group last changed."))

    @extend_schema_field(serializers.URLField())
    def get_url(self, group) -> str:
        return api_url(self.context["request"], "group-detail", group.pk)

    def to_representation(self, group):
        group.public_ending = ending_of(group)
        return super().to_representation(group)

    @extend_schema_field(ReferenceSerializer(many=True))
    def get_published_needs(self, group):
        request = self.context["request"]
        return [
            {
                "id": need.pk,
                "url": api_url(request, "need-detail", need.pk),
                "web_url": absolute(request, reverse("groups:need-detail", args=[group.slug, need.pk])),
            }
            for need in group.public_needs
        ]

    @extend_schema_field(ReferenceSerializer(many=True))
    def get_open_dialogues(self, group):
        request = self.context["request"]
        return [
            {
                "id": dialogue.pk,
                "url": api_url(request, "dialogue-detail", dialogue.pk),
                "web_url": absolute(request, reverse("dialogues:dialogue-detail", args=[dialogue.pk])),
            }
            for dialogue in group.public_open_dialogues
        ]


class RequirementSerializer(serializers.Serializer):
    number = serializers.CharField(help_text=_('The stable number, "R1", "R2", …'))
    priority = serializers.ChoiceField(choices=Priority.choices)
    text = serializers.CharField()
    rationale = serializers.CharField(allow_blank=True)
    verification = serializers.CharField(allow_blank=True, help_text=_("How it will be verified."))


def requirements_of(version) -> list[dict]:
    return [
        {
            "number": f"R{requirement['number']}",
            "priority": requirement["priority"],
            "text": requirement["text"],
            "rationale": requirement.get("rationale", ""),
            "verification": requirement.get("verification", ""),
        }
        for requirement in version.requirements
    ]


class QuantitySerializer(serializers.Serializer):
    unit = serializers.CharField()
    total = serializers.FloatField()


class AggregateDemandSerializer(serializers.Serializer):
    # The committed authorities' demand summed; never the breakdown per authority.

    committed_authorities = serializers.IntegerField(source="authorities")
    quantities = QuantitySerializer(many=True)
    budget_min = serializers.IntegerField(allow_null=True, help_text=_("SEK, summed."))
    budget_max = serializers.IntegerField(allow_null=True, help_text=_("SEK, summed."))
    earliest_start = serializers.DateField(allow_null=True)
    latest_start = serializers.DateField(allow_null=True)


def aggregate_of(aggregate: dict) -> dict:
    # AggregateDemandSerializer's representation, written directly (it is built for every need
    # of a page: a serializer per object costs more than the page's queries).
    budget = aggregate["budget_min"] or aggregate["budget_max"]
    return {
        "committed_authorities": aggregate["authorities"],
        "quantities": [{"unit": row["unit"], "total": float(row["total"])} for row in aggregate["quantities"]],
        "budget_min": int(aggregate["budget_min"] or 0) if budget else None,
        "budget_max": int(aggregate["budget_max"] or 0) if budget else None,
        "earliest_start": aggregate["earliest_start"].isoformat() if aggregate["earliest_start"] else None,
        "latest_start": aggregate["latest_start"].isoformat() if aggregate["latest_start"] else None,
    }


class NeedSerializer(serializers.Serializer):
    # A published need statement: always its published version, never a draft.

    id = serializers.IntegerField()
    url = serializers.SerializerMethodField()
    web_url = WebUrlField()
    group = serializers.SerializerMethodField()
    theme = serializers.ChoiceField(source="group.theme", choices=Theme.choices)
    state = serializers.ChoiceField(choices=[NeedStatement.State.PUBLISHED, NeedStatement.State.CLOSED])
    version = serializers.IntegerField(source="published_version.number")
    published_at = serializers.DateTimeField()
    title = serializers.CharField(source="published_version.title")
    background = serializers.CharField(source="published_version.background", allow_blank=True)
    challenge = serializers.CharField(source="published_version.challenge", allow_blank=True)
    requirements = serializers.SerializerMethodField()
    constraints = serializers.CharField(source="published_version.constraints", allow_blank=True)
    sustainability_goals = serializers.CharField(source="published_version.sustainability_goals", allow_blank=True)
    timeline = serializers.CharField(source="published_version.timeline", allow_blank=True)
    market_questions = serializers.CharField(source="published_version.market_questions", allow_blank=True)
    aggregate_demand = serializers.SerializerMethodField()
    content_language = serializers.CharField(source="group.content_language")
    updated_at = serializers.DateTimeField()

    @extend_schema_field(serializers.URLField())
    def get_url(self, need) -> str:
        return api_url(self.context["request"], "need-detail", need.pk)

    @extend_schema_field(GroupReferenceSerializer)
    def get_group(self, need):
        return group_reference(self.context["request"], need.group)

    @extend_schema_field(RequirementSerializer(many=True))
    def get_requirements(self, need):
        return requirements_of(need.published_version)

    @extend_schema_field(AggregateDemandSerializer)
    def get_aggregate_demand(self, need):
        return aggregate_of(self.context["aggregates"][need.pk])


class NeedVersionEntrySerializer(serializers.Serializer):
    number = serializers.IntegerField()
    published_at = serializers.DateTimeField(help_text=_("When the version was published to the dialogue."))


class DialogueNeedSerializer(serializers.Serializer):
    # The need as the dialogue's page shows it: the latest version published to the dialogue.

    id = serializers.IntegerField()
    url = serializers.URLField()
    web_url = serializers.URLField()
    version = serializers.IntegerField()
    title = serializers.CharField()
    requirements = RequirementSerializer(many=True)
    versions_published_to_dialogue = NeedVersionEntrySerializer(many=True)
    aggregate_demand = AggregateDemandSerializer()


class ChangeSerializer(serializers.Serializer):
    field = serializers.CharField()
    old = serializers.CharField(allow_blank=True)
    new = serializers.CharField(allow_blank=True)


class RecordAnswerSerializer(serializers.Serializer):
    # A published answer, clarification, amendment or withdrawal, as the public record has it:
    # without the asker's identity; a withdrawn answer keeps only that it was withdrawn and why.

    number = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=Answer.Kind.choices)
    question = serializers.CharField(allow_blank=True, help_text=_("The question as published (de-identified)."))
    answer = serializers.CharField(allow_blank=True)
    requirement = serializers.CharField(allow_blank=True, help_text=_('The requirement it concerns, "R2", or "".'))
    amends = serializers.IntegerField(allow_null=True, help_text=_("The number of the answer it amends or withdraws."))
    published_at = serializers.DateTimeField(allow_null=True)
    changes = ChangeSerializer(many=True, help_text=_("An amendment's changes to the dialogue."))
    withdrawn = serializers.BooleanField()
    withdrawn_at = serializers.DateTimeField(allow_null=True)
    withdrawal_reason = serializers.CharField(allow_blank=True)


class ParticipantLabelSerializer(serializers.Serializer):
    label = serializers.CharField(help_text=_('"A", "B", … in the order suppliers joined; never a name.'))
    registered_at = serializers.DateTimeField(allow_null=True)
    withdrawn_at = serializers.DateTimeField(allow_null=True)


class PublicRecordSerializer(serializers.Serializer):
    # The dialogue's public record (its summary), once the group has published it.

    published_at = serializers.DateTimeField()
    web_url = serializers.URLField()
    participant_count = serializers.IntegerField(allow_null=True)
    proposal_count = serializers.IntegerField(allow_null=True)
    meetings_held = serializers.IntegerField(allow_null=True)
    answers = RecordAnswerSerializer(many=True)
    participants = ParticipantLabelSerializer(many=True)


def public_record_of(request, dialogue) -> dict | None:
    record = dialogue.public_record
    if not record:
        return None
    answers = [
        {
            "number": answer["number"],
            "kind": answer["kind"],
            "question": answer.get("question", ""),
            "answer": answer.get("answer", ""),
            "requirement": answer.get("requirement", ""),
            "amends": answer.get("amends"),
            "published_at": answer.get("published_at"),
            "changes": [
                {"field": change["field"], "old": str(change["old"]), "new": str(change["new"])}
                for change in answer.get("changes") or []
            ],
            "withdrawn": bool(answer.get("withdrawn")),
            "withdrawn_at": answer.get("withdrawn_at"),
            "withdrawal_reason": answer.get("withdrawal_reason") or "",
        }
        for answer in record.get("answers", [])
    ]
    return {
        "published_at": _time(dialogue.public_record_published_at),
        "web_url": absolute(request, reverse("dialogues:public-record", args=[dialogue.pk])),
        "participant_count": record.get("participant_count"),
        "proposal_count": record.get("proposal_count"),
        "meetings_held": record.get("meetings_held"),
        "answers": answers,
        "participants": [
            {
                "label": row["label_letter"],
                "registered_at": row.get("registered_at"),
                "withdrawn_at": row.get("withdrawn_at"),
            }
            for row in record.get("participant_labels", [])
        ],
    }


class DialogueSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.SerializerMethodField()
    web_url = WebUrlField()
    title = serializers.CharField()
    group = serializers.SerializerMethodField()
    theme = serializers.ChoiceField(source="group.theme", choices=Theme.choices)
    state = serializers.ChoiceField(choices=[Dialogue.State.OPEN, Dialogue.State.CLOSED])
    purpose = serializers.CharField()
    schedule = serializers.CharField(allow_blank=True)
    meeting_plan = serializers.CharField(allow_blank=True)
    question_deadline = serializers.DateTimeField()
    submission_deadline = serializers.DateTimeField()
    answer_working_days = serializers.IntegerField(source="answer_days", help_text=_("The promised answer time."))
    opened_at = serializers.DateTimeField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)
    participant_count = serializers.IntegerField(help_text=_("Suppliers taking part now; never who."))
    need = serializers.SerializerMethodField()
    public_record = serializers.SerializerMethodField()
    content_language = serializers.CharField()
    updated_at = serializers.DateTimeField()

    @extend_schema_field(serializers.URLField())
    def get_url(self, dialogue) -> str:
        return api_url(self.context["request"], "dialogue-detail", dialogue.pk)

    @extend_schema_field(GroupReferenceSerializer)
    def get_group(self, dialogue):
        return group_reference(self.context["request"], dialogue.group)

    @extend_schema_field(DialogueNeedSerializer)
    def get_need(self, dialogue):
        request = self.context["request"]
        need = dialogue.need
        entries = list(dialogue.need_versions.all())  # prefetched, oldest first
        version = entries[-1].version if entries else need.published_version
        return {
            "id": need.pk,
            "url": api_url(request, "need-detail", need.pk),
            "web_url": absolute(request, reverse("groups:need-detail", args=[dialogue.group.slug, need.pk])),
            "version": version.number,
            "title": version.title,
            "requirements": requirements_of(version),
            "versions_published_to_dialogue": [
                {"number": entry.version.number, "published_at": _time(entry.published_at)} for entry in entries
            ],
            "aggregate_demand": aggregate_of(self.context["aggregates"][need.pk]),
        }

    @extend_schema_field(PublicRecordSerializer(allow_null=True))
    def get_public_record(self, dialogue):
        # Written directly, as the record's own JSON already holds the API's forms of its values.
        return public_record_of(self.context["request"], dialogue)


class IndicatorFigureSerializer(serializers.Serializer):
    # One yearly weighted average of the goal 5 self-assessments.

    dimension = serializers.ChoiceField(
        choices=[(d, d) for d in ("overall", "kind", "size_class", "in_group", "statement")]
    )
    key = serializers.CharField(
        allow_null=True,
        help_text=_(
            "The group within the dimension: a kind code, a size class or statement id, "
            '"member"/"non_member" of a buyer group; null for all authorities and for size not stated.'
        ),
    )
    label = serializers.DictField(child=serializers.CharField(), help_text=_("The group's name by language code."))
    year = serializers.IntegerField()
    value = serializers.FloatField(allow_null=True, help_text=_("The average, two decimals; null when suppressed."))
    authorities = serializers.IntegerField(allow_null=True, help_text=_("Authorities behind it; null when suppressed."))
    suppressed = serializers.BooleanField(help_text=_("Fewer than min_authorities authorities: not shown."))


class IndicatorSerializer(serializers.Serializer):
    web_url = serializers.URLField(help_text=_("The same figures on the public page."))
    min_authorities = serializers.IntegerField(help_text=_("A figure from fewer authorities is never shown."))
    results = IndicatorFigureSerializer(many=True)
