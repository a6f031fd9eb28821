"""What groups tell the layers above them, which groups never call (ARCHITECTURE in README.md).

- need_published(need, user): a need statement was published (first time or again), inside the
  publishing transaction. dialogues records the new version on the need's open dialogues.
"""

from django.dispatch import Signal

need_published = Signal()
