"""The serializer of ``backup_db --format json``: Django's JSON, except that datetimes and times keep
their microseconds. DjangoJSONEncoder cuts them to milliseconds, which no restore can undo; Django's
JSON deserializer (used by ``loaddata`` for any .json file) already reads the full precision.
"""

import datetime as dt

from django.core.serializers.json import (
    Deserializer as Deserializer,  # re-exported for the registry
)
from django.core.serializers.json import DjangoJSONEncoder
from django.core.serializers.json import Serializer as JSONSerializer
from django.utils.timezone import is_aware

FORMAT = "json-exact"


class ExactJSONEncoder(DjangoJSONEncoder):
    def default(self, o):
        if isinstance(o, dt.datetime):
            text = o.isoformat()
            return text.removesuffix("+00:00") + "Z" if text.endswith("+00:00") else text
        if isinstance(o, dt.time):
            if is_aware(o):
                raise ValueError("JSON can't represent timezone-aware times.")
            return o.isoformat()
        return super().default(o)


class Serializer(JSONSerializer):
    def _init_options(self):
        super()._init_options()  # type: ignore[misc]  # Django's private hook, not in the stubs
        self.json_kwargs["cls"] = ExactJSONEncoder
