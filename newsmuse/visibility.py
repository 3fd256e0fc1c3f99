"""Which records of another app readers may see, decided by the app that knows why.

People and films know nothing of features, yet a person or a film added for an interview
that is still embargoed must not have a public page, nor appear in a filmography. The app
that knows (features) registers, for each model, a condition saying when one of its rows is
hidden; pages and sections pass their querysets through ``public()``. A condition is a
correlated subquery on indexed columns: it adds to the page's queries, never a query of its
own, and costs the same whatever the size of the archive. With no rule, all is public.
"""

from collections.abc import Callable
from datetime import datetime

from django.db.models import Model, Q, QuerySet
from django.utils import timezone

# hidden(ref, now) -> the condition under which the row whose id the outer query holds in
# the field ``ref`` ("pk" for the model's own queryset, "film" for credits, …) is hidden at
# the time ``now``.
Hidden = Callable[[str, datetime], Q]

_rules: dict[type[Model], list[Hidden]] = {}


def register(model: type[Model], hidden: Hidden) -> None:
    rules = _rules.setdefault(model, [])
    if hidden not in rules:
        rules.append(hidden)


def public(
    queryset: QuerySet,
    *,
    ref: str = "pk",
    model: type[Model] | None = None,
    always: Q | None = None,
    now: datetime | None = None,
) -> QuerySet:
    """The part of ``queryset`` readers may see at ``now`` (by default, now): rows whose
    ``ref`` field (an id of ``model``, by default the queryset's own rows) points at
    something not hidden, and rows matching ``always`` whatever the rules say."""
    now = now or timezone.now()
    for hidden in _rules.get(model or queryset.model, []):
        condition = hidden(ref, now)
        queryset = queryset.exclude(condition & ~always if always is not None else condition)
    return queryset
