"""Evidence documents: the contact uploads them (checked by name, size and content, hashed, stored
under a path nobody can guess) and deletes them while the response is a draft; the download goes to
the vendor's own contacts, and to the evaluation's team only once the round is opened."""

import datetime as dt
import hashlib
import io
import zipfile

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from scoring.selectors_watch import EVIDENCE, certificates_to_watch
from sourcing.models import Evidence, Question, Questionnaire, Response, RfpRound
from sourcing.models_evidence import size_label
from sourcing.opening import round_open
from sourcing.services import response_save, response_submit
from sourcing.services_evidence import safe_name
from tests.factories import UserFactory, certification, delivery_model, rankable_evaluation
from tests.sourcing.factories import VendorContactFactory, invite

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
QUERIES = 15  # the response page with documents, whatever their number
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


@pytest.fixture
def soc2(rfp) -> Question:
    questionnaire = Questionnaire.objects.get(name="BPO due diligence")
    RfpRound.objects.filter(pk=rfp.pk).update(questionnaire=questionnaire)
    rfp.refresh_from_db()
    return questionnaire.questions.get(kind=Question.Kind.FILE)


def _upload(client, rfp, name="report.pdf", content=PDF, **fields):
    url = reverse("sourcing:portal_evidence_upload", args=[rfp.pk])
    return client.post(url, {"file": SimpleUploadedFile(name, content), **fields})


def _certificate(client, rfp, name="iso.pdf", content=PDF, valid_until="2028-03-31"):
    return _upload(
        client,
        rfp,
        name,
        content,
        certification=certification("iso-27001").pk,
        valid_until=valid_until,
    )


def _stored_files(folder) -> list:
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


def _submit(contact, rfp):
    response_save(
        rfp=rfp,
        contact=contact,
        delivery_model=delivery_model("offshore"),
        pricing_model="per_fte_month",
        unit_price=1777,
        currency="USD",
    )
    return response_submit(rfp=rfp, contact=contact)


def _open(rfp: RfpRound) -> RfpRound:
    RfpRound.objects.filter(pk=rfp.pk).update(deadline=timezone.now() - dt.timedelta(minutes=1))
    rfp.refresh_from_db()
    round_open(rfp=rfp, user=rfp.evaluation.owner)
    rfp.refresh_from_db()
    return rfp


def test_a_document_answers_its_question_with_its_hash_and_a_safe_name(
    client, contact, rfp, soc2, media_storage
):
    client.force_login(contact.user)

    answer = _upload(client, rfp, "../../x.pdf", question=soc2.pk)

    assert answer.status_code == 302
    evidence = Evidence.objects.get()
    assert evidence.name == "x.pdf" and evidence.question == soc2
    assert evidence.sha256 == hashlib.sha256(PDF).hexdigest()
    assert evidence.size == len(PDF) and evidence.content_type == "application/pdf"
    assert evidence.response.status == Response.Status.DRAFT  # a draft was started for it
    stored = evidence.file.name
    assert stored.startswith(f"evidence/{rfp.pk}/") and stored.endswith("/x.pdf")
    assert len(stored.split("/")[2]) == 32  # a random directory nobody can guess
    assert (media_storage / stored).read_bytes() == PDF and ".." not in stored
    page = client.get(reverse("sourcing:portal_response", args=[rfp.pk])).text
    assert (
        "x.pdf" in page
        and evidence.sha256[:12] in page
        and "this question is unanswered" not in page
    )


def test_a_certificate_carries_what_it_certifies_and_until_when(client, contact, rfp):
    client.force_login(contact.user)

    _certificate(client, rfp, "ISO 27001 cert.pdf")

    evidence = Evidence.objects.get()
    assert evidence.certification.slug == "iso-27001" and evidence.valid_until == dt.date(
        2028, 3, 31
    )
    assert evidence.name == "ISO_27001_cert.pdf"
    page = client.get(reverse("sourcing:portal_response", args=[rfp.pk])).text
    assert "ISO_27001_cert.pdf" in page and "ISO 27001, valid until Mar 31, 2028" in page


def test_a_certificate_without_its_date_is_refused_naming_the_field(
    client, contact, rfp, media_storage
):
    client.force_login(contact.user)

    page = _certificate(client, rfp, valid_until="")

    assert page.status_code == 200 and "This field is required" in page.text
    assert not Evidence.objects.exists() and _stored_files(media_storage) == []


@pytest.mark.parametrize(
    ("name", "content", "error"),
    [
        ("certificate.exe", PDF, "certificate.exe: only PDF, PNG, JPEG, XLSX or DOCX files"),
        ("report.pdf", PNG, "report.pdf is not a PDF file"),
        ("report.pdf", b"Just some text, honest", "report.pdf is not a PDF file"),
        ("scan.png", PDF, "scan.png is not a PNG file"),
        ("sheet.xlsx", docx(), "sheet.xlsx is not a XLSX file"),
    ],
)
def test_a_file_of_the_wrong_type_is_refused_and_nothing_is_stored(
    client, contact, rfp, media_storage, name, content, error
):
    client.force_login(contact.user)

    page = _certificate(client, rfp, name, content)

    assert page.status_code == 200 and error in page.text
    assert not Evidence.objects.exists() and _stored_files(media_storage) == []


def test_a_docx_that_is_one_is_accepted(client, contact, rfp):
    client.force_login(contact.user)

    _certificate(client, rfp, "policy.docx", docx())

    assert Evidence.objects.get().content_type.endswith("wordprocessingml.document")


def test_a_file_over_the_limit_is_refused_with_its_size(
    client, contact, rfp, media_storage, settings
):
    settings.EVIDENCE_MAX_BYTES = 1024 * 1024
    client.force_login(contact.user)

    page = _certificate(client, rfp, "big.pdf", PDF + b"0" * int(1.5 * 1024 * 1024))

    assert "big.pdf is 1.5 MB; the limit is 1 MB." in page.text
    assert not Evidence.objects.exists() and _stored_files(media_storage) == []


def test_sizes_read_as_people_write_them():
    assert [size_label(n) for n in (1, 812, 49_000, 10 * 1024 * 1024, 14_890_000)] == [
        "1 byte",
        "812 bytes",
        "48 KB",
        "10 MB",
        "14.2 MB",
    ]
    assert safe_name("a" * 300 + ".pdf") == "a" * 96 + ".pdf"
    assert safe_name("..\\..\\évil name;.PDF") == "évil_name.pdf"


def test_the_contact_deletes_an_upload_before_submitting(
    client, contact, rfp, media_storage, django_capture_on_commit_callbacks
):
    client.force_login(contact.user)
    _certificate(client, rfp)
    evidence = Evidence.objects.get()

    with django_capture_on_commit_callbacks(execute=True):
        deleted = client.post(
            reverse("sourcing:portal_evidence_delete", args=[rfp.pk, evidence.pk])
        )

    assert deleted.status_code == 302 and not Evidence.objects.exists()
    assert not default_storage.exists(evidence.file.name)


def test_after_submitting_documents_can_no_longer_change(client, contact, rfp, media_storage):
    client.force_login(contact.user)
    _certificate(client, rfp)
    _submit(contact, rfp)
    evidence = Evidence.objects.get()

    client.post(reverse("sourcing:portal_evidence_delete", args=[rfp.pk, evidence.pk]))
    page = _certificate(client, rfp, "second.pdf")

    assert "withdraw it to change its documents" in page.text
    assert Evidence.objects.count() == 1 and len(_stored_files(media_storage)) == 1


def test_after_the_deadline_uploads_are_refused(client, contact, rfp, media_storage):
    RfpRound.objects.filter(pk=rfp.pk).update(deadline=timezone.now() - dt.timedelta(minutes=1))
    client.force_login(contact.user)

    page = _certificate(client, rfp)

    assert "The deadline has passed" in page.text
    assert not Evidence.objects.exists() and _stored_files(media_storage) == []


def test_the_team_gets_a_404_before_the_opening_and_the_file_after(client, contact, rfp):
    client.force_login(contact.user)
    _certificate(client, rfp)
    _submit(contact, rfp)
    evidence = Evidence.objects.get()
    url = reverse("sourcing:evidence", args=[rfp.evaluation_id, evidence.pk])
    client.force_login(rfp.evaluation.owner)

    sealed = client.get(url)
    RfpRound.objects.filter(pk=rfp.pk).update(deadline=timezone.now() - dt.timedelta(minutes=1))
    opened = client.get(url)  # the round opens at its deadline, on the team's first request

    assert sealed.status_code == 404
    assert RfpRound.objects.get(pk=rfp.pk).opened_at is not None
    assert opened.status_code == 200 and b"".join(opened.streaming_content) == PDF
    assert opened["Content-Disposition"] == 'attachment; filename="iso.pdf"'
    assert opened["X-Content-Type-Options"] == "nosniff"
    assert opened["Content-Type"] == "application/pdf"
    page = client.get(reverse("sourcing:round", args=[rfp.evaluation_id])).text
    assert url in page and "ISO 27001, valid until" in page.replace("\xa0", " ")


def test_a_drafts_document_stays_hidden_from_the_team_after_the_opening(client, contact, rfp):
    client.force_login(contact.user)
    _certificate(client, rfp)
    evidence = Evidence.objects.get()
    _open(rfp)
    client.force_login(rfp.evaluation.owner)

    assert (
        client.get(reverse("sourcing:evidence", args=[rfp.evaluation_id, evidence.pk])).status_code
        == 404
    )
    assert [c for c in certificates_to_watch(rfp.evaluation) if c.source == EVIDENCE] == []


def test_the_contacts_own_download_and_another_vendors_contact_404(
    client, contact, rfp, evaluation
):
    client.force_login(contact.user)
    _certificate(client, rfp)
    evidence = Evidence.objects.get()
    url = reverse("sourcing:portal_evidence", args=[rfp.pk, evidence.pk])
    beta = evaluation.candidates.exclude(vendor=contact.vendor).first().vendor
    rival = VendorContactFactory(vendor=beta)
    invite(evaluation, beta, contact=rival)

    own = client.get(url)
    client.force_login(rival.user)
    other = client.get(url)
    other_delete = client.post(
        reverse("sourcing:portal_evidence_delete", args=[rfp.pk, evidence.pk])
    )

    assert own.status_code == 200 and b"".join(own.streaming_content) == PDF
    assert other.status_code == 404 and other_delete.status_code == 404
    assert Evidence.objects.filter(pk=evidence.pk).exists()


def test_another_team_gets_a_404_even_after_the_opening(client, contact, rfp):
    client.force_login(contact.user)
    _certificate(client, rfp)
    _submit(contact, rfp)
    _open(rfp)
    evidence = Evidence.objects.get()
    other = rankable_evaluation(("Zeta BPO",), owner=UserFactory(), title="Someone else's")
    outsider = other.owner

    client.force_login(outsider)
    theirs = client.get(reverse("sourcing:evidence", args=[rfp.evaluation_id, evidence.pk]))
    through_own = client.get(reverse("sourcing:evidence", args=[other.pk, evidence.pk]))

    assert theirs.status_code == 404 and through_own.status_code == 404


def test_an_opened_rounds_certificates_join_the_expiry_watch(client, contact, rfp):
    client.force_login(contact.user)
    _certificate(client, rfp)
    _submit(contact, rfp)

    def evidenced():
        return [c for c in certificates_to_watch(rfp.evaluation) if c.source == EVIDENCE]

    before = evidenced()
    _open(rfp)
    after = evidenced()

    assert before == []
    assert [(c.vendor_id, c.vendor, c.name, c.valid_until) for c in after] == [
        (contact.vendor_id, contact.vendor.name, "ISO 27001", dt.date(2028, 3, 31))
    ]
    assert after[0].label == "ISO 27001 (RFP evidence)"


@pytest.mark.parametrize("documents", [1, 4])
def test_the_response_page_takes_the_same_queries_however_many_documents(
    client, contact, rfp, soc2, documents, django_assert_num_queries
):
    client.force_login(contact.user)
    for n in range(documents):
        _upload(client, rfp, f"part{n}.pdf", question=soc2.pk)
        _certificate(client, rfp, f"cert{n}.pdf")
    url = reverse("sourcing:portal_response", args=[rfp.pk])
    client.get(url)

    with django_assert_num_queries(QUERIES):
        page = client.get(url)
    assert page.text.count("SHA-256") == 2 * documents


def test_a_refused_document_shows_its_error_at_its_question(client, contact, rfp, soc2):
    client.force_login(contact.user)

    page = _upload(client, rfp, "report.pdf", b"plain text", question=soc2.pk).text

    at_question = page[page.index(f'id="h-file-{soc2.pk}"') : page.index('id="h-certificates"')]
    assert "report.pdf is not a PDF file" in at_question


def test_after_the_opening_a_file_question_is_answered_by_its_documents(client, contact, rfp, soc2):
    client.force_login(contact.user)
    _upload(client, rfp, "soc2 2026.pdf", question=soc2.pk)
    _submit(contact, rfp)
    _open(rfp)
    evidence = Evidence.objects.get()
    client.force_login(rfp.evaluation.owner)

    page = client.get(reverse("sourcing:compare", args=[rfp.evaluation_id])).text
    certificates = client.get(reverse("sourcing:round", args=[rfp.evaluation_id])).text

    row = page[page.index(soc2.text) :].split("</tr>")[0]
    assert "soc2_2026.pdf" in row and "No answer" not in row and "No document" not in row
    assert reverse("sourcing:evidence", args=[rfp.evaluation_id, evidence.pk]) in row
    assert "No vendor uploaded a certificate with a submitted response." in certificates


def test_a_body_far_over_the_limit_is_refused_before_it_is_read(client, contact, rfp, settings):
    settings.EVIDENCE_MAX_BYTES = 1024
    client.force_login(contact.user)

    answer = _certificate(client, rfp, "huge.pdf", PDF + b"0" * (3 * 1024 * 1024))
    page = client.get(answer["Location"]).text

    assert "Document: the upload is 3 MB; the limit is 1 KB." in page
    assert not Evidence.objects.exists()


def test_the_upload_still_needs_its_csrf_token(contact, rfp):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(contact.user)

    answer = _certificate(client, rfp)

    assert answer.status_code == 403 and not Evidence.objects.exists()


@pytest.mark.parametrize("documents", [1, 3])
def test_the_opened_round_page_takes_the_same_queries_however_many_documents(
    client, contact, rfp, soc2, documents, django_assert_num_queries
):
    client.force_login(contact.user)
    for n in range(documents):
        _upload(client, rfp, f"part{n}.pdf", question=soc2.pk)
        _certificate(client, rfp, f"cert{n}.pdf")
    _submit(contact, rfp)
    _open(rfp)
    client.force_login(rfp.evaluation.owner)
    url = reverse("sourcing:round", args=[rfp.evaluation_id])
    client.get(url)

    with django_assert_num_queries(12):  # the same with one document or three
        page = client.get(url)
    assert page.text.count("SHA-256") == documents  # the certificates (answers: the comparison)
    assert safe_name("..") == "document"


def test_a_stored_document_has_no_public_address(client, contact, rfp, settings):
    client.force_login(contact.user)
    _certificate(client, rfp)
    stored = Evidence.objects.get().file.name

    tried = {url: client.get(url).status_code for url in (f"/{stored}", f"/media/{stored}")}

    assert tried == {f"/{stored}": 404, f"/media/{stored}": 404}
    assert settings.MEDIA_URL in ("", "/")  # nothing maps MEDIA_ROOT to a URL
