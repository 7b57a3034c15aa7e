"""The signed-in user's own settings: their API tokens."""

from django.urls import path

from api import account

app_name = "account"

urlpatterns = [
    path("tokens/", account.tokens, name="tokens"),
    path("tokens/<int:pk>/revoke/", account.token_revoke_view, name="token_revoke"),
]
