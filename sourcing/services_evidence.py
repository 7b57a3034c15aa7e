"""Writes of evidence documents: the vendor's contact uploads a file (the answer to a file question,
or a certificate with its valid-until date) while the response is a draft before the deadline, and
may delete it until submitting. A file is checked by its extension and by its first bytes, and is
stored only once every check has passed, so a refused upload leaves nothing behind."""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.text import get_valid_filename

from sourcing.models import Answer, Evidence, Question, Response, RfpRound, VendorContact
from sourcing.models_evidence import size_label
from sourcing.services import RoundError, check_before_deadline, locked_response
from vendors.models import Certification

NAME_MAX = 100


@dataclass(frozen=True)
class FileType:
    label: str
    extensions: tuple[str, ...]
    content_type: str
    zip_member: str = ""  # an Office file is a ZIP holding this part


FILE_TYPES = {
    "pdf": FileType("PDF", ("pdf",), "application/pdf"),
    "png": FileType("PNG", ("png",), "image/png"),
    "jpeg": FileType("JPEG", ("jpg", "jpeg"), "image/jpeg"),
    "xlsx": FileType(
        "XLSX",
        ("xlsx",),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "xl/workbook.xml",
    ),
    "docx": FileType(
        "DOCX",
        ("docx",),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "word/document.xml",
    ),
}
MAGIC = {
    "pdf": b"%PDF-",
    "png": b"\x89PNG\r\n\x1a\n",
    "jpeg": b"\xff\xd8\xff",
    "zip": b"PK\x03\x04",
}


def allowed_types() -> list[FileType]:
    return [FILE_TYPES[key] for key in settings.EVIDENCE_TYPES]


def allowed_label() -> str:
    """ "PDF, PNG, JPEG, XLSX or DOCX" from the settings' list."""
    labels = [t.label for t in allowed_types()]
    return labels[0] if len(labels) == 1 else f"{', '.join(labels[:-1])} or {labels[-1]}"


def safe_name(name: str) -> str:
    """The uploaded name without any directory part, in safe characters, at most NAME_MAX long
    (the extension kept): "../../x.pdf" becomes "x.pdf"."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1].strip(". ")
    try:
        cleaned = get_valid_filename(base)
    except SuspiciousFileOperation:  # nothing usable left (e.g. "..")
        cleaned = "document"
    stem, dot, extension = cleaned.rpartition(".")
    if not dot:
        stem, extension = cleaned, ""
    extension = extension[:10].lower()
    stem = stem[: NAME_MAX - len(extension) - 1] or "document"
    return f"{stem}.{extension}" if extension else stem


def _sniffs_as(file_type: FileType, upload: UploadedFile) -> bool:
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not file_type.zip_member:
        key = next(k for k, t in FILE_TYPES.items() if t is file_type)
        return head.startswith(MAGIC[key])
    if not head.startswith(MAGIC["zip"]):
        return False
    try:
        with zipfile.ZipFile(upload) as archive:  # reads the directory only, never inflates
            return file_type.zip_member in archive.namelist()
    except zipfile.BadZipFile:
        return False
    finally:
        upload.seek(0)


def check_file(upload: UploadedFile) -> tuple[str, FileType]:
    """The file's safe name and type, or a RoundError on ``file`` saying what is wrong with it."""
    name = safe_name(upload.name or "")
    extension = name.rpartition(".")[2].lower() if "." in name else ""
    file_type = next((t for t in allowed_types() if extension in t.extensions), None)
    if file_type is None:
        raise RoundError(f"{name}: only {allowed_label()} files.", field="file")
    if not upload.size:
        raise RoundError(f"{name} is empty.", field="file")
    limit = settings.EVIDENCE_MAX_BYTES
    if upload.size > limit:
        raise RoundError(
            f"{name} is {size_label(upload.size)}; the limit is {size_label(limit)}.", field="file"
        )
    if not _sniffs_as(file_type, upload):
        raise RoundError(
            f"{name} is not a {file_type.label} file, whatever its name says.", field="file"
        )
    return name, file_type


def _sha256(upload: UploadedFile) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def _draft_for_documents(rfp: RfpRound, contact: VendorContact, *, start: bool) -> Response:
    locked_round = RfpRound.objects.select_for_update().get(pk=rfp.pk)
    check_before_deadline(locked_round)
    response = locked_response(locked_round, contact)
    if response is not None and response.status == Response.Status.SUBMITTED:
        raise RoundError("Your response is submitted: withdraw it to change its documents.")
    if response is None and not start:
        raise RoundError("That document is not part of your response.")
    if response is None:
        response = Response(round=locked_round, vendor_id=contact.vendor_id)
        response.updated_by = contact.user
        response._history_user = contact.user  # type: ignore[attr-defined]
        response.save()
    return response


@transaction.atomic
def evidence_upload(
    *,
    rfp: RfpRound,
    contact: VendorContact,
    file: UploadedFile,
    question: Question | None = None,
    certification: Certification | None = None,
    valid_until: dt.date | None = None,
) -> Evidence:
    """Store one document of the contact's vendor's response (a draft is started if there is none):
    the answer to ``question`` (a file question of the round) and/or a certificate of
    ``certification`` valid until ``valid_until``."""
    response = _draft_for_documents(rfp, contact, start=True)
    if question is not None and (
        question.questionnaire_id != rfp.questionnaire_id or question.kind != Question.Kind.FILE
    ):
        raise RoundError("That question does not ask for a document in this round.")
    if certification is not None and valid_until is None:
        raise RoundError("Valid until: give the date the certificate expires.", field="valid_until")
    if valid_until is not None and certification is None:
        raise RoundError(
            "Certification: pick what the certificate certifies.", field="certification"
        )
    name, file_type = check_file(file)
    digest = _sha256(file)
    path = f"evidence/{rfp.pk}/{uuid.uuid4().hex}/{name}"
    stored = default_storage.save(path, file)
    try:
        evidence = Evidence.objects.create(
            response=response,
            question=question,
            file=stored,
            name=name,
            content_type=file_type.content_type,
            size=file.size or 0,
            sha256=digest,
            certification=certification,
            valid_until=valid_until,
            uploaded_by=contact.user,
        )
        _sync_file_answer(response, question)
    except Exception:
        default_storage.delete(stored)
        raise
    return evidence


def _sync_file_answer(response: Response, question: Question | None) -> None:
    """A file question's answer names its documents, so the comparison, the mandatory-answer
    knock-out and score citations treat it like any other answer."""
    if question is None:
        return
    names = list(
        Evidence.objects.filter(response=response, question=question)
        .order_by("pk")
        .values_list("name", flat=True)
    )
    if names:
        Answer.objects.update_or_create(
            response=response, question=question, defaults={"value": ", ".join(names)}
        )
    else:
        Answer.objects.filter(response=response, question=question).delete()


@transaction.atomic
def evidence_delete(*, rfp: RfpRound, contact: VendorContact, evidence: Evidence) -> None:
    """Delete one of the vendor's own documents before submitting; its file goes once the deletion
    commits (sourcing.models_evidence.delete_stored_file, as for a cascade)."""
    response = _draft_for_documents(rfp, contact, start=False)
    if evidence.response_id != response.pk:
        raise RoundError("That document is not part of your response.")
    evidence.delete()
    _sync_file_answer(response, evidence.question)
