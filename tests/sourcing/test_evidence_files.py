"""An evidence row's stored file goes with it, once the deletion commits: whether the row is
deleted on its own or by the cascade from its response, round or evaluation; a rolled-back
deletion keeps the file, and a file already gone is no error."""

import pytest
from django.db import transaction

from scoring.models import Evaluation
from sourcing.models import Evidence, Question, Questionnaire, Response, RfpRound
from tests.sourcing.test_evidence import _certificate, _upload
from vendors.models import Quote


@pytest.fixture
def stored(client, contact, rfp, media_storage):
    """Two documents of Alpha's draft response, on disk: a certificate and a file question's answer."""
    questionnaire = Questionnaire.objects.get(name="BPO due diligence")
    RfpRound.objects.filter(pk=rfp.pk).update(questionnaire=questionnaire)
    rfp.refresh_from_db()
    client.force_login(contact.user)
    _certificate(client, rfp)
    _upload(client, rfp, question=questionnaire.questions.get(kind=Question.Kind.FILE).pk)
    files = [media_storage / name for name in Evidence.objects.values_list("file", flat=True)]
    assert len(files) == 2 and all(f.is_file() for f in files)
    return files


class Rollback(Exception):
    pass


def _delete_evaluation(pk: int) -> None:
    Quote.objects.filter(evaluation=pk).delete()  # they protect the evaluation
    Evaluation.objects.filter(pk=pk).delete()


@pytest.mark.parametrize(
    "delete",
    [
        lambda rfp: Response.objects.filter(round=rfp).delete(),
        lambda rfp: RfpRound.objects.filter(pk=rfp.pk).delete(),
        lambda rfp: _delete_evaluation(rfp.evaluation_id),
    ],
    ids=["response", "round", "evaluation"],
)
def test_a_cascade_removes_the_files_once_it_commits(
    delete, rfp, stored, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        delete(rfp)
        assert not Evidence.objects.exists()
        assert all(f.is_file() for f in stored)  # not before the commit

    assert len(callbacks) == 2
    assert not any(f.exists() for f in stored)


def test_a_rolled_back_delete_keeps_the_rows_and_the_files(
    rfp, stored, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(Rollback),
        transaction.atomic(),
    ):
        _delete_evaluation(rfp.evaluation_id)
        raise Rollback

    assert callbacks == []
    assert Evidence.objects.count() == 2
    assert all(f.is_file() for f in stored)


def test_a_file_already_gone_does_not_stop_the_delete(
    rfp, stored, django_capture_on_commit_callbacks
):
    stored[0].unlink()

    with django_capture_on_commit_callbacks(execute=True):
        Response.objects.filter(round=rfp).delete()

    assert not Evidence.objects.exists()
    assert not stored[1].exists()
