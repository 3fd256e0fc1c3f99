"""Helpers for tests that edit features through the real admin form."""

from django.urls import reverse
from django.utils import timezone

from features.models import Feature
from tests.factories import FeatureFactory, ParticipantFactory, PersonFactory, write_body


def change_url(feature):
    return reverse("admin:features_feature_change", args=[feature.pk])


def interview(**fields):
    """A draft with an interviewer, a guest and a two-block body, saved once."""
    feature = FeatureFactory(status="draft", published_at=None, headline="First headline", **fields)
    ParticipantFactory(feature=feature, role="interviewer", person=PersonFactory(name="Maya Ortiz"))
    ParticipantFactory(feature=feature, person=PersonFactory(name="Tomás Reyes"), label="Guest")
    return write_body(feature, "Maya Ortiz: Why?\n\nTomás Reyes: The fog.")


def admin_form(feature, **overrides):
    """The POST data of the feature's change form as an editor opening it now would send."""
    feature = Feature.objects.get(pk=feature.pk)
    participants = list(feature.participants.all())
    data = {
        "headline": feature.headline,
        "slug": feature.slug,
        "dek": feature.dek,
        "series": str(feature.series_id or ""),
        "hero_image": str(feature.hero_image_id or ""),
        "films": [str(pk) for pk in feature.films.values_list("pk", flat=True)],
        "tags": ", ".join(f'"{tag}"' for tag in feature.tags.names()),
        "body_source": feature.body_source(),
        "loaded_version": str(feature.version),
        "participants-TOTAL_FORMS": str(len(participants)),
        "participants-INITIAL_FORMS": str(len(participants)),
        "participants-MIN_NUM_FORMS": "0",
        "participants-MAX_NUM_FORMS": "1000",
    }
    local = timezone.localtime(feature.published_at) if feature.published_at else None
    data["published_at_0"] = local.strftime("%Y-%m-%d") if local else ""
    data["published_at_1"] = local.strftime("%H:%M:%S") if local else ""
    for n, p in enumerate(participants):
        data.update(
            {
                f"participants-{n}-id": str(p.pk),
                f"participants-{n}-feature": str(feature.pk),
                f"participants-{n}-person": str(p.person_id),
                f"participants-{n}-role": p.role,
                f"participants-{n}-label": p.label,
                f"participants-{n}-order": str(p.order),
            }
        )
    data.update(overrides)
    return data
