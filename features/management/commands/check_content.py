import json

from django.core.management.base import BaseCommand, CommandError

from newsmuse.content_checks import ERROR, SEVERITIES, WARNING

from ...content_checks import check_content

HEADINGS = {ERROR: "Errors", WARNING: "Warnings"}


def summary(findings) -> str:
    errors = sum(finding.severity == ERROR for finding in findings)
    warnings = len(findings) - errors
    if not findings:
        return "No problems found."
    return f"{_count(errors, 'error')}, {_count(warnings, 'warning')}."


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


class Command(BaseCommand):
    help = (
        "Check the content for what readers would trip over (missing alt text, hero images "
        "and guests, broken links into the site, expired watch options, people without "
        "portraits, films without credits, pull quotes that no longer match), each with the "
        "admin page that fixes it. Exits 1 when errors (or, with --fail-on warning, "
        "warnings) are found."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--format",
            dest="output_format",
            choices=["text", "json"],
            default="text",
            help="text for people (default), json for machines.",
        )
        parser.add_argument(
            "--fail-on",
            choices=SEVERITIES,
            default=ERROR,
            help="Exit 1 when findings of this severity or worse exist (default: error).",
        )

    def handle(self, *args, output_format, fail_on, **options):
        findings = check_content()
        if output_format == "json":
            self.stdout.write(json.dumps(report(findings), ensure_ascii=False, indent=2))
        else:
            self.write_text(findings)
        failing = SEVERITIES[: SEVERITIES.index(fail_on) + 1]
        if any(finding.severity in failing for finding in findings):
            raise CommandError(f"Content check failed: {summary(findings)}")

    def write_text(self, findings):
        for severity in SEVERITIES:
            group = [finding for finding in findings if finding.severity == severity]
            if not group:
                continue
            style = self.style.ERROR if severity == ERROR else self.style.WARNING
            self.stdout.write(style(f"{HEADINGS[severity]} ({len(group)})"))
            for finding in group:
                self.stdout.write(f"  {finding.message}")
                self.stdout.write(f"    {finding.code} · fix: {finding.url}")
            self.stdout.write("")
        style = self.style.SUCCESS if not findings else str
        self.stdout.write(style(summary(findings)))


def report(findings) -> dict:
    """The JSON shape, documented in the README: counts, then each finding."""
    return {
        "errors": sum(finding.severity == ERROR for finding in findings),
        "warnings": sum(finding.severity == WARNING for finding in findings),
        "findings": [finding.as_dict() for finding in findings],
    }
