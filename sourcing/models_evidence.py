"""Evidence documents a vendor's contact uploads with a response: the answer to a file question, a
certificate with its valid-until date, or both. The file lives in the storage API under a path
nobody can guess and is served only by the download views, never by a public URL."""

from __future__ import annotations

from django.conf import settings
from django.db import models

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
