from django.core.management.base import BaseCommand, CommandError

from newsmuse import renditions
from newsmuse.management.progress import Progress
from newsmuse.models import Image, Rendition


class Command(BaseCommand):
    help = (
        "Make every image's renditions again (or, with --missing-only, only those missing) "
        "and rewrite the picture markup pages use, with the storage's current URLs. "
        "Safe to interrupt and run again; images whose original cannot be read are reported "
        "and skipped, and the command then exits with an error."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--missing-only",
            action="store_true",
            help="Keep renditions that are up to date; make only what is missing or outdated.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Say what would be done; change nothing."
        )

    def handle(self, *args, missing_only, dry_run, **options):
        queryset = Image.objects.with_renditions().order_by("pk")
        total = queryset.count()
        made = rebuilt = 0
        failures = []
        progress = Progress(self.stdout)
        for number, image in enumerate(queryset.iterator(chunk_size=100), start=1):
            crops = renditions.missing_crops(image) if missing_only else list(renditions.CROPS)
            if not dry_run:
                try:
                    if crops:
                        made += self.rebuild(image, crops, keep_current=missing_only)
                    else:  # rewrite the markup pages use, e.g. after a move to new storage
                        renditions.store_pictures(image)
                except renditions.RenditionError as error:
                    failures.append(image)
                    self.stderr.write(f"\nImage {image.pk} “{image}”: {error}")
            rebuilt += bool(crops)
            progress(number, total)
        verb = "would rebuild" if dry_run else "rebuilt"
        summary = f"{total} images, {verb} {rebuilt}; {made} renditions made."
        if failures:
            raise CommandError(f"{summary} {len(failures)} could not be read (listed above).")
        self.stdout.write(self.style.SUCCESS(summary))

    def rebuild(self, image, crops, *, keep_current):
        """New renditions first, then the old ones go: a failure leaves pictures working."""
        if not keep_current:
            return renditions.rebuild(image, crops)
        current = Rendition.objects.filter(image=image, key=image.rendition_key)
        before = current.count()
        renditions.generate(image, crops)
        renditions.delete_all(image, stale_only=True)
        return current.count() - before
