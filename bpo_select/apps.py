"""The project package as an app, so that its signal receivers are connected at start-up."""

from django.apps import AppConfig


class BpoSelectConfig(AppConfig):
    name = "bpo_select"
    verbose_name = "BPO Select"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from bpo_select import lookups
        from bpo_select.middleware import stamp_last_seen

        user_logged_in.connect(stamp_last_seen, dispatch_uid="bpo_select.stamp_last_seen")
        lookups.register()
