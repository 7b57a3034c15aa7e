"""Placeholder: this screen is being built (see the open issues)."""

from django.http import Http404


def evaluation_create(request, *args, **kwargs):
    raise Http404("Not built yet.")


def evaluation_edit(request, *args, **kwargs):
    raise Http404("Not built yet.")


def team(request, *args, **kwargs):
    raise Http404("Not built yet.")


def weights(request, *args, **kwargs):
    raise Http404("Not built yet.")


def weights_ahp(request, *args, **kwargs):
    raise Http404("Not built yet.")
