"""How the audit log words the details of the dialogues' entries (audit/details.py), and who
reads their confidential part: the attachments' names of proposals are for the users of the
group's member authorities, as everywhere else (dialogues/access.py). Registered in apps.py."""

import re

from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext as _

from audit.details import register_confidential_reader, register_detail, transition
from audit.models import Action
from dialogues.access import groups_with_confidentiality_requests_for
from dialogues.deidentify import describe as describe_identifier
from dialogues.models import Answer, Dialogue, SubmissionAccess
from dialogues.services.amendments import NEED_VERSION_FIELD

LEGACY_VERSION = re.compile(r"v\d+")
RECORD_EXPORTS = {"with proposals": True, "without proposals": False}
# The shapes dialogues' services write their details in (dialogues/services): codes and numbers
# in a fixed English frame, worded here in the reader's language.
AMENDS = re.compile(r"(?P<kind>\w+), amends #(?P<number>\d+)")
WITHDRAWN = re.compile(r"no\. (?P<answer>\d+) withdrawn by notice no\. (?P<notice>\d+)")
AMENDED = re.compile(
    r"no\. (?P<notice>\d+): (?P<fields>[\w, ]+?)(?:; shorter notice approved by a facilitator: (?P<approved>[\w, ]+))?"
)
REPUBLISHED = re.compile(rf"no\. (?P<notice>\d+): {NEED_VERSION_FIELD} (?P<old>\S+) → (?P<new>\S+)")
IDENTIFIER = re.compile(r"(?P<found>.+?) \((?P<kind>\w+): (?P<organisation>.*)\)")


def _record_exported(entry, readable: bool) -> str | None:
    if entry.detail not in RECORD_EXPORTS:
        return None
    if RECORD_EXPORTS[entry.detail]:
        return _("with the proposals' content")
    return _("without the proposals' content")


def _submission_accessed(entry, readable: bool) -> str | None:
    """ "downloaded an attachment, version 2: price.pdf"; the name only for those who may read it.
    Entries from before the name was kept apart hold "download, v2, price.pdf" in the detail."""
    code, version, attachment = entry.detail, entry.params.get("version"), entry.confidential.get("attachment")
    if ", " in entry.detail:
        code, _sep, rest = entry.detail.partition(", ")
        version_part, _sep, attachment = rest.partition(", ")
        if LEGACY_VERSION.fullmatch(version_part):
            version = version_part[1:]
        else:  # no version: the rest is the attachment's name
            version, attachment = None, rest
    labels = dict(SubmissionAccess.Action.choices)
    if code not in labels:
        return entry.detail if readable else ""
    text = str(labels[code])
    if version:
        text = _("%(action)s, version %(number)s") % {"action": text, "number": version}
    if attachment and readable:
        text = f"{text}: {attachment}"
    return text


def _dialogue_state(entry, readable: bool) -> str | None:
    return transition(entry.detail, Dialogue.State)


def _answer_kind(code: str) -> str | None:
    return str(Answer.Kind(code).label) if code in Answer.Kind.values else None


def _answer_published(entry, readable: bool) -> str | None:
    if match := AMENDS.fullmatch(entry.detail):
        kind = _answer_kind(match["kind"])
        if kind is None:
            return None
        return _("%(kind)s, amends no. %(number)s") % {"kind": kind, "number": match["number"]}
    return _answer_kind(entry.detail)


def _answer_withdrawn(entry, readable: bool) -> str | None:
    if match := WITHDRAWN.fullmatch(entry.detail):
        return _("no. %(answer)s, withdrawn by notice no. %(notice)s") % match.groupdict()
    return None


def _field_labels(names: str) -> str | None:
    labels = []
    for name in names.split(", "):
        try:
            labels.append(str(Dialogue._meta.get_field(name).verbose_name))
        except FieldDoesNotExist:  # a field renamed or removed since: as stored
            labels.append(name)
    return ", ".join(labels)


def _dialogue_amended(entry, readable: bool) -> str | None:
    if match := REPUBLISHED.fullmatch(entry.detail):
        return _("notice no. %(notice)s: need statement version %(old)s → %(new)s") % match.groupdict()
    if match := AMENDED.fullmatch(entry.detail):
        text = _("notice no. %(notice)s: %(fields)s") % {
            "notice": match["notice"],
            "fields": _field_labels(match["fields"]),
        }
        if match["approved"]:
            text += "; " + _("shorter notice approved by a facilitator: %(fields)s") % {
                "fields": _field_labels(match["approved"])
            }
        return text
    return None


def _identity_check_overridden(entry, readable: bool) -> str | None:
    parts = []
    for part in entry.detail.split("; "):
        match = IDENTIFIER.fullmatch(part)
        if match is None:
            return None
        try:
            what = describe_identifier(match["kind"])
        except KeyError:
            return None
        parts.append(f"{match['found']} ({what}: {match['organisation']})")
    return "; ".join(parts)


def register_audit_details() -> None:
    register_detail(Action.RECORD_EXPORTED, _record_exported)
    register_detail(Action.SUBMISSION_ACCESSED, _submission_accessed)
    register_detail(Action.DIALOGUE_STATE, _dialogue_state)
    register_detail(Action.ANSWER_PUBLISHED, _answer_published)
    register_detail(Action.ANSWER_WITHDRAWN, _answer_withdrawn)
    register_detail(Action.DIALOGUE_AMENDED, _dialogue_amended)
    register_detail(Action.IDENTITY_CHECK_OVERRIDDEN, _identity_check_overridden)
    register_confidential_reader(groups_with_confidentiality_requests_for)
