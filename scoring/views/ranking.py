"""Placeholder: this screen is being built (see the open issues)."""

from django.http import Http404


def ranking(request, *args, **kwargs):
    raise Http404("Not built yet.")


def what_if(request, *args, **kwargs):
    raise Http404("Not built yet.")


def what_if_save(request, *args, **kwargs):
    raise Http404("Not built yet.")


def chart(request, *args, **kwargs):
    raise Http404("Not built yet.")


def sensitivity(request, *args, **kwargs):
    raise Http404("Not built yet.")
