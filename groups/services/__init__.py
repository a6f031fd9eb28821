"""Everything in groups that writes more than one row or has side effects, one module per area
(shared.py holds what they all use).

Every membership and role change writes an audit entry in the same transaction: the audit log
is the group's history (shared.record_history).
"""
