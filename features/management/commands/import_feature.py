from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from features import services
from features.importing import CREATED, UNCHANGED, UPDATED, ImportFailed, import_files
from features.transcripts import MAX_FILE_BYTES
from newsmuse.management.progress import Progress, Stopped, stop_cleanly

VERBS = {
    CREATED: ("created", "would create"),
    UPDATED: ("updated", "would update"),
    UNCHANGED: ("unchanged", "would leave unchanged"),
}


class Command(BaseCommand):
    help = (
        "Create or update features (by slug) from Markdown files with TOML front matter and "
        "from WebVTT or SRT transcripts with their front matter in a .toml file of the same "
        "name. All files are imported in one transaction: any problem in any of them "
        "imports nothing and lists every problem with its file and line. Features are "
        f"drafts unless --publish is given. Files are UTF-8, at most {MAX_FILE_BYTES:,} bytes."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", type=Path, metavar="FILE")
        parser.add_argument(
            "--user",
            metavar="USERNAME",
            help="Import as this user, with their permissions (default: the system, which "
            "may do anything).",
        )
        parser.add_argument(
            "--create-missing",
            action="store_true",
            help="Create the people and films the files name that do not exist yet.",
        )
        parser.add_argument(
            "--publish",
            action="store_true",
            help="Publish the features (or schedule those whose publication time is to come); "
            "the user must be allowed to publish.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Check everything and say what would change."
        )
        parser.add_argument(
            "--quiet", action="store_true", help="Print nothing but problems (for cron)."
        )

    def handle(self, *args, files, user, create_missing, publish, dry_run, quiet, **options):
        importer = self.user(user)
        if publish and not services.can_publish(importer):
            raise CommandError(f"{user} may not publish; import without --publish for drafts.")
        try:
            with stop_cleanly():
                results = import_files(
                    files,
                    user=importer,
                    create_missing=create_missing,
                    publish=publish,
                    dry_run=dry_run,
                    progress=Progress(self.stdout, quiet=quiet),
                )
        except ImportFailed as failure:
            for problem in failure.problems:
                self.stderr.write(str(problem))
            hint = (
                " Pass --create-missing to create the people and films." if failure.missing else ""
            )
            count = len(failure.problems)
            raise CommandError(
                f"{count} problem{'s' if count != 1 else ''}; nothing was imported.{hint}"
            ) from None
        except (Stopped, KeyboardInterrupt):
            raise CommandError("Interrupted; nothing was imported.") from None
        if not quiet:
            self.report(results, dry_run=dry_run)

    def user(self, username: str | None):
        if username is None:
            return None
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"There is no active user “{username}”.")
        return user

    def report(self, results, *, dry_run: bool) -> None:
        counts = dict.fromkeys(VERBS, 0)
        for result in results:
            counts[result.action] += 1
            verb = VERBS[result.action][dry_run]
            extras = [
                f"{'would create' if dry_run else 'created'} {what}" for what in result.created
            ]
            if result.published:
                extras.append(f"would be {result.published}" if dry_run else result.published)
            details = f" ({'; '.join(extras)})" if extras else ""
            self.stdout.write(f"{result.path}: {verb} {result.slug}{details}")
        summary = ", ".join(f"{count} {VERBS[action][0]}" for action, count in counts.items())
        if dry_run:
            self.stdout.write(f"Dry run, nothing saved: {summary}.")
        else:
            files = f"{len(results)} file{'s' if len(results) != 1 else ''}"
            self.stdout.write(self.style.SUCCESS(f"Imported {files}: {summary}."))
