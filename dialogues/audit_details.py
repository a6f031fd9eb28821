"""How the audit log words the details of the dialogues' entries (audit/details.py), and who
reads their confidential part: the attachments' names of proposals are for the users of the
group's member authorities, as everywhere else (dialogues/access.py). Registered in apps.py."""

import re

from django.utils.translation import gettext as _

from audit.details import register_confidential_reader, register_detail
from audit.models import Action
from dialogues.access import groups_with_confidentiality_requests_for
from dialogues.models import SubmissionAccess

LEGACY_VERSION = re.compile(r"v\d+")
RECORD_EXPORTS = {"with proposals": True, "without proposals": False}


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


def register_audit_details() -> None:
    register_detail(Action.RECORD_EXPORTED, _record_exported)
    register_detail(Action.SUBMISSION_ACCESSED, _submission_accessed)
    register_confidential_reader(groups_with_confidentiality_requests_for)
