"""Everything in dialogues that writes more than one row or has side effects, one module per
area (shared.py holds what they all use).

Equal treatment is enforced here: answers and clarifications are numbered and published to
every participant in one transaction; deadlines are checked against the clock at the moment
of the action; a published answer never changes (corrections are amendments).
"""
