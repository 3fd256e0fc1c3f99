from django.db import transaction

from .body import parse_body
from .models import Feature


@transaction.atomic
def write_body(*, feature: Feature, source: str) -> None:
    """Replace the body of a saved feature from editor text; speakers must be participants.

    Raises ValidationError (and changes nothing) when the text names someone else.
    """
    speakers = [p.as_speaker() for p in feature.participants.select_related("person")]
    feature.body = parse_body(source, speakers)
    feature.save(update_fields=["body", "updated_at"])
