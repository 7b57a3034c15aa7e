"""Evidence documents a vendor's contact uploads with a response: the answer to a file question, a
certificate with its valid-until date, or both. The file lives in the storage API under a path
nobody can guess and is served only by the download views, never by a public URL; it goes once
its row is deleted and that deletion has committed (:func:`delete_stored_file`)."""

from __future__ import annotations

import contextlib

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from vendors.models import Certification


def size_label(size: int) -> str:
    """A byte count as people read it: "812 bytes", "48 KB", "14.2 MB"."""
    if size < 1024:
        return "1 byte" if size == 1 else f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    megabytes = f"{size / (1024 * 1024):.1f}".removesuffix(".0")
    return f"{megabytes} MB"


class Evidence(models.Model):
    response = models.ForeignKey(
        "sourcing.Response", on_delete=models.CASCADE, related_name="evidence"
    )
    question = models.ForeignKey(
        "sourcing.Question",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="evidence",
        help_text="The file question this document answers, if any.",
    )
    file = models.FileField(max_length=255)
    name = models.CharField("file name", max_length=120, help_text="Sanitised on upload.")
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField(help_text="In bytes.")
    sha256 = models.CharField("SHA-256", max_length=64)
    certification = models.ForeignKey(
        Certification, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    valid_until = models.DateField(null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "evidence"
        ordering = ["uploaded_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(certification__isnull=True, valid_until__isnull=True)
                | models.Q(certification__isnull=False, valid_until__isnull=False),
                name="evidence_certificate_has_valid_until",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def size_label(self) -> str:
        return size_label(self.size)

    @property
    def sha256_short(self) -> str:
        return self.sha256[:12]


# A signal, not the delete services: most rows go by cascade (a response, round, evaluation or
# vendor deleted in the admin or by a service), which calls no Evidence code but sends this.
@receiver(post_delete, sender=Evidence, dispatch_uid="sourcing:evidence-file")
def delete_stored_file(sender, instance: Evidence, **_signal) -> None:
    """Delete the stored file once the row's deletion commits: a rolled-back delete keeps both."""
    name = instance.file.name
    if name:
        # robust: a storage outage after the commit is logged, not raised at the deleting request.
        transaction.on_commit(lambda: _delete(name), robust=True)


def _delete(name: str) -> None:
    with contextlib.suppress(FileNotFoundError):  # already gone: nothing left to do
        default_storage.delete(name)
