"""Writing to the audit log: one function, called by the service that performs the action,
inside the same transaction (a rolled-back action leaves no audit row)."""

import ipaddress

from .context import current_ip
from .models import Action, AuditEntry


def _label(obj, limit=300) -> str:
    return str(obj)[:limit] if obj is not None else ""


def _valid_ip(value):
    try:
        return str(ipaddress.ip_address(value)) if value else None
    except ValueError:
        return None


def entry(
    *,
    actor,
    action: Action | str,
    target,
    reason: str = "",
    detail: str = "",
    params: dict | None = None,
    confidential: dict | None = None,
    group=None,
    ip=None,
) -> AuditEntry:
    """An unsaved row, for callers that write many at once with bulk_create; see record()."""
    actor = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEntry(
        actor_id=actor.pk if actor else None,
        actor_label=_label(actor),
        action=str(action),
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_label=_label(target),
        group_id=group.pk if group is not None else None,
        group_label=_label(group),
        reason=reason or "",
        detail=str(detail or "")[:200],
        params=params or {},
        confidential=confidential or {},
        ip=_valid_ip(ip if ip is not None else current_ip()),
    )


def record(
    *,
    actor,
    action: Action | str,
    target,
    reason: str = "",
    detail: str = "",
    params: dict | None = None,
    confidential: dict | None = None,
    group=None,
    ip=None,
) -> AuditEntry:
    """Log `actor` doing `action` to `target` (any model instance, or None). `group` is the
    buyer group the action belongs to, when there is one; `detail` says briefly what changed,
    as a code, with `params` its values (JSON: no prose, the page words them, see
    audit/details.py); `confidential` holds what only the readers a registered rule allows may
    see. The client address comes from the request. Call it inside the action's transaction."""
    row = entry(
        actor=actor,
        action=action,
        target=target,
        reason=reason,
        detail=detail,
        params=params,
        confidential=confidential,
        group=group,
        ip=ip,
    )
    row.save()
    return row


def record_many(entries: list[AuditEntry]) -> list[AuditEntry]:
    return AuditEntry.objects.bulk_create(entries)
