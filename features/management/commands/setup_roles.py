from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand
from django.db import transaction

ACTIONS = ("add", "change", "delete", "view")

# Editors run the desk: every record, and the right to publish. History (revisions and
# status changes) is append-only: they may read it, nobody may change it.
EDITOR_MODELS = {
    "features": ["feature", "participant", "series", "sharelink"],
    "people": ["person"],
    "films": ["film", "credit", "watchoption"],
    "newsmuse": ["image", "rendition"],
    "taggit": ["tag", "taggeditem"],
}

# Contributors write their own drafts and send them for review; they may upload images and
# look up everything a feature points at, but not publish, schedule or unpublish.
CONTRIBUTOR_PERMISSIONS = [
    ("features", "add_feature"),
    ("features", "change_feature"),
    ("features", "view_feature"),
    ("features", "view_series"),
    ("people", "view_person"),
    ("films", "view_film"),
    ("newsmuse", "add_image"),
    ("newsmuse", "view_image"),
    ("taggit", "view_tag"),
]


def editor_permissions():
    pairs = [
        (app, f"{action}_{model}")
        for app, models in EDITOR_MODELS.items()
        for model in models
        for action in ACTIONS
    ]
    history = [("features", "view_revision"), ("features", "view_statuschange")]
    return [*pairs, *history, ("features", "publish_feature")]


class Command(BaseCommand):
    help = (
        "Create or update the Editor and Contributor groups with their permissions. "
        "Idempotent: run it after every deploy."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Show, change nothing.")

    @transaction.atomic
    def handle(self, *args, dry_run, **options):
        for name, wanted in [
            ("Editor", editor_permissions()),
            ("Contributor", CONTRIBUTOR_PERMISSIONS),
        ]:
            permissions = [
                Permission.objects.get(content_type__app_label=app, codename=codename)
                for app, codename in wanted
            ]
            if dry_run:
                self.stdout.write(f"{name}: would have {len(permissions)} permissions.")
                continue
            group, created = Group.objects.get_or_create(name=name)
            group.permissions.set(permissions)
            verb = "Created" if created else "Updated"
            self.stdout.write(f"{verb} the {name} group ({len(permissions)} permissions).")
