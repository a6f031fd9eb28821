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


def record(*, actor, action: Action | str, target, reason: str = "", group=None, ip=None) -> AuditEntry:
    """Log `actor` doing `action` to `target` (any model instance). `group` is the buyer group
    the action belongs to, when there is one; the client address comes from the request."""
    actor = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEntry.objects.create(
        actor_id=actor.pk if actor else None,
        actor_label=_label(actor),
        action=str(action),
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_label=_label(target),
        group_id=group.pk if group is not None else None,
        group_label=_label(group),
        reason=reason or "",
        ip=_valid_ip(ip if ip is not None else current_ip()),
    )
