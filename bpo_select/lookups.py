"""``__in`` on integer columns leaves out values beyond the column's range, as Django already does
for exact/gt/lt lookups (IntegerFieldOverflow): no row can hold them, and SQLite raises
OverflowError on such a parameter, a 500 on any form, filter or admin page that posts an id list.
"""

from django.db.models import IntegerField
from django.db.models.lookups import In


class IntegerFieldIn(In):
    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            field_type = self.lhs.output_field.get_internal_type()
            low, high = connection.ops.integer_field_range(field_type)
            self.rhs = [
                value
                for value in self.rhs
                if not isinstance(value, int)
                or ((low is None or value >= low) and (high is None or value <= high))
            ]
        return super().process_rhs(compiler, connection)


def register() -> None:
    IntegerField.register_lookup(IntegerFieldIn)
