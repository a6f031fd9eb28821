"""Market dialogues (PRODUCT.md §2.4; DOMAIN.md §2): a group meets the market before a
procurement starts, with every supplier getting the same information at the same time.

Identity rule: a question's asking organisation and person are stored on the Question and
nowhere else. Answers (the numbered, published Q&A) never refer to an organisation, so
anything rendered from an Answer is safe to show every participant.

The models live one module per area (dialogue, answers, proposals, meetings, declarations);
import them from here.
"""

from dialogues.models.answers import (  # noqa: F401
    Answer,
    AnswerQuerySet,
    Question,
    QuestionQuerySet,
)
from dialogues.models.declarations import (  # noqa: F401
    ConflictDeclaration,
    ConflictDeclarationQuerySet,
)
from dialogues.models.dialogue import (  # noqa: F401
    Dialogue,
    DialogueNeedVersion,
    DialogueQuerySet,
    Participation,
    ParticipationQuerySet,
    add_working_days,
    label_letters,
    supplier_label,
    unanswered_condition,
)
from dialogues.models.meetings import (  # noqa: F401
    MeetingSlot,
    MeetingSlotQuerySet,
)
from dialogues.models.proposals import (  # noqa: F401
    Submission,
    SubmissionAccess,
    SubmissionAttachment,
    SubmissionVersion,
    attachment_upload_path,
)
