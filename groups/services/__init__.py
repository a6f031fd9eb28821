"""Everything in groups that writes more than one row or has side effects, one module per area
(shared.py holds what they all use).

Every membership and role change writes a GroupEvent in the same transaction.
"""
