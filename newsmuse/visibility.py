"""Which records of another app readers may see, decided by the app that knows why.

People and films know nothing of features, yet a person or a film added for an interview
that is still embargoed must not have a public page, nor appear in a filmography. The app
that knows (features) registers, for each model, a function that narrows a queryset to
what readers may see; pages and sections pass their querysets through ``public()``. A rule
adds conditions to the query, never a query of its own. With no rule, everything is public.
"""

from collections.abc import Callable

from django.db.models import Model, QuerySet

Rule = Callable[[QuerySet], QuerySet]

_rules: dict[type[Model], list[Rule]] = {}


def register(model: type[Model], rule: Rule) -> None:
    rules = _rules.setdefault(model, [])
    if rule not in rules:
        rules.append(rule)


def public(queryset: QuerySet) -> QuerySet:
    """The part of ``queryset`` readers may see."""
    for rule in _rules.get(queryset.model, []):
        queryset = rule(queryset)
    return queryset
