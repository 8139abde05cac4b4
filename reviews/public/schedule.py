"""The meeting's programme as the public page lists it."""

from modeltranslation.settings import AVAILABLE_LANGUAGES
from modeltranslation.utils import build_localized_fieldname

from reviews.models import MeetingDay, RoundTable


def meeting_schedule(meeting):
    """
    The meeting's days, each with its round tables in ``tables``, read in
    one query: days LEFT JOINed with their round tables, grouped here.

    A prefetch would spend one query on days and another on round tables;
    this keeps the public page within its budget of eight. The rows become
    ordinary model instances, so translated fields still fall back like
    everywhere else.
    """
    day_fields = [
        build_localized_fieldname("session", code) for code in AVAILABLE_LANGUAGES
    ]
    table_fields = [
        "round_tables__" + build_localized_fieldname("title", code)
        for code in AVAILABLE_LANGUAGES
    ]
    rows = (
        MeetingDay.objects.filter(meeting=meeting)
        .order_by("date", "round_tables__area")
        .values(
            "pk",
            "date",
            *day_fields,
            "round_tables__pk",
            "round_tables__area",
            *table_fields,
        )
    )
    days = {}
    for row in rows:
        day = days.get(row["pk"])
        if day is None:
            day = days[row["pk"]] = MeetingDay(
                pk=row["pk"],
                meeting=meeting,
                date=row["date"],
                **{field: row[field] for field in day_fields},
            )
            day.tables = []
        if row["round_tables__pk"] is not None:
            day.tables.append(
                RoundTable(
                    pk=row["round_tables__pk"],
                    day=day,
                    area=row["round_tables__area"],
                    **{
                        field.removeprefix("round_tables__"): row[field]
                        for field in table_fields
                    },
                )
            )
    return list(days.values())
