"""Readable differences between two versions of a need statement, word by word."""

import difflib
import re

from groups.models import NeedVersion, Priority


def version_diff(old: NeedVersion, new: NeedVersion) -> list[dict]:
    """A readable diff: for each field and requirement that changed, the old and new text
    with word-level changes marked (rendered as <del>/<ins> by the template)."""
    changes = []
    labels = dict((name, NeedVersion._meta.get_field(name).verbose_name) for name in NeedVersion.TEXT_FIELDS)
    for name in NeedVersion.TEXT_FIELDS:
        before, after = getattr(old, name), getattr(new, name)
        if before != after:
            changes.append({"label": labels[name], "parts": word_diff(before, after)})
    old_requirements = {r["number"]: r for r in old.requirements}
    new_requirements = {r["number"]: r for r in new.requirements}
    for number in sorted(old_requirements.keys() | new_requirements.keys()):
        before, after = old_requirements.get(number), new_requirements.get(number)
        label = f"R{number}"
        if before == after:
            continue
        if before is None:
            changes.append({"label": label, "status": "added", "parts": word_diff("", _requirement_text(after))})
        elif after is None:
            changes.append({"label": label, "status": "removed", "parts": word_diff(_requirement_text(before), "")})
        else:
            changes.append(
                {
                    "label": label,
                    "status": "changed",
                    "parts": word_diff(_requirement_text(before), _requirement_text(after)),
                }
            )
    return changes


def _requirement_text(requirement: dict) -> str:
    priority = Priority.SHOULD.label if requirement["priority"] == Priority.SHOULD else Priority.MUST.label
    return "\n".join(
        part
        for part in [
            f"[{priority}] {requirement['text']}",
            requirement.get("rationale", ""),
            requirement.get("verification", ""),
        ]
        if part
    )


def word_diff(before: str, after: str) -> list[tuple[str, str]]:
    """[(kind, text)] with kind in same/del/ins, comparing words (and keeping whitespace)."""
    tokens_before = re.findall(r"\s+|[^\s]+", before or "")
    tokens_after = re.findall(r"\s+|[^\s]+", after or "")
    parts = []
    matcher = difflib.SequenceMatcher(a=tokens_before, b=tokens_after, autojunk=False)
    for tag, a1, a2, b1, b2 in matcher.get_opcodes():
        if tag == "equal":
            parts.append(("same", "".join(tokens_before[a1:a2])))
        else:
            if a2 > a1:
                parts.append(("del", "".join(tokens_before[a1:a2])))
            if b2 > b1:
                parts.append(("ins", "".join(tokens_after[b1:b2])))
    return parts
