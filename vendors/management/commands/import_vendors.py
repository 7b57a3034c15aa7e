"""Import vendors, market quotes or exchange rates from a CSV/XLSX file, like the import page.

    manage.py import_vendors FILE --kind vendors|quotes|rates [--dry-run] [--confirm-deletions]
        [--user USERNAME]

Prints the same report as the page's preview (errors with row and column, values it would delete);
exits non-zero with nothing written when any row has an error, or when the file would clear a stored
value or remove list items and --confirm-deletions is not given.
"""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from vendors import importing


class Command(BaseCommand):
    help = "Import vendors, market quotes or exchange rates from a .csv or .xlsx file (all or nothing)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--kind", required=True, choices=list(importing.KINDS))
        parser.add_argument(
            "--dry-run", action="store_true", help="Validate and report; write nothing."
        )
        parser.add_argument(
            "--confirm-deletions",
            action="store_true",
            help='Allow the values the file clears ("-" cells) and the list items it removes.',
        )
        parser.add_argument("--user", help="Username recorded in the history as the importer.")

    def handle(
        self,
        *args,
        file: Path,
        kind: str,
        dry_run: bool,
        confirm_deletions: bool,
        user: str | None,
        **options,
    ):
        importer = self._user(user)
        try:
            data = file.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from None
        quiet = options["verbosity"] < 1

        def progress(iterable, **kwargs):
            # Only big files get a bar; it goes to stderr so the report stays clean on stdout.
            if quiet or kwargs.get("total", 0) < 5_000:
                return iterable
            return tqdm(iterable, file=self.stderr._out, unit="row", **kwargs)

        try:
            table = importing.load(data, file.name, kind)
            if dry_run:
                report, _ = importing.preview(table, progress=progress)
            else:
                report = importing.commit(
                    table, user=importer, progress=progress, confirm_deletions=confirm_deletions
                )
        except importing.ImportRefused as refused:
            raise CommandError(str(refused)) from None
        except importing.DeletionsUnconfirmed as unconfirmed:
            self._print(unconfirmed.report)
            raise CommandError(
                f"{unconfirmed} Check the deletions listed above and run again with "
                "--confirm-deletions to import them."
            ) from None
        except importing.ImportRejected as rejected:
            self._print(rejected.report)
            raise CommandError(str(rejected)) from None
        self._print(report)
        if not report.ok:
            raise CommandError(
                f"{report.error_count} error(s) in {file.name}; nothing was imported."
            )
        verb = "Would import" if dry_run else "Imported"
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb} {report.counts['new']} new and {report.counts['changed']} changed row(s)"
                + (" (dry run: nothing written)." if dry_run else ".")
            )
        )

    def _user(self, username: str | None):
        if not username:
            return None
        try:
            return get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist:
            raise CommandError(f'No user "{username}".') from None

    def _print(self, report: importing.Report) -> None:
        for line in report.lines():
            self.stdout.write(line)
