"""
The snapshot of the Regional Review as structured, bilingual data.

A ``Snapshot`` is one issue of the "Key milestones and progress" series. It
describes one ``Meeting`` (who organised it, the people who spoke, its days and
round tables, how many people followed it), the main conclusions, the
preparation timeline and the registered participants by stakeholder group.

Human-readable text is translated by django-modeltranslation (see
``translation.py``); figures are integers and dates are dates, so that nothing
a reader may want to chart, check or download lives only inside prose.
"""

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Prefetch, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modeltranslation.utils import get_language

from reviews import dates
from reviews.content import CONTENT
from reviews.markup import validate_markup

# Import and export are permissions of their own (django-import-export checks
# them when IMPORT_EXPORT_*_PERMISSION_CODE is set), so every content model
# declares them next to Django's four.
CONTENT_PERMISSIONS = ("add", "change", "delete", "view", "import", "export")

# Bounds that make sense for the content, checked the same way by the forms,
# the imports and every database (SQLite would store far more than
# PostgreSQL, and a date in 9999 breaks the pages' date arithmetic).
FIRST_DAY = datetime.date(2000, 1, 1)
LAST_DAY = datetime.date(2100, 12, 31)
LARGEST_COUNT = 10_000_000
LARGEST_POSITION = 9_999
LARGEST_NUMBER_OF_STATES = 200

NEGATIVE_COUNT = _("A count cannot be negative.")
COUNT_VALIDATORS = [
    # Replaces Django's generic "greater than or equal to 0" for every count.
    MinValueValidator(0, message=NEGATIVE_COUNT),
    MaxValueValidator(
        LARGEST_COUNT, message=_("A count cannot be more than 10,000,000.")
    ),
]
DAY_OUT_OF_RANGE = _("Dates run from 1 January 2000 to 31 December 2100.")
DAY_VALIDATORS = [
    MinValueValidator(FIRST_DAY, message=DAY_OUT_OF_RANGE),
    MaxValueValidator(LAST_DAY, message=DAY_OUT_OF_RANGE),
]
ISSUE_NUMBER_OUT_OF_RANGE = _("The issue number is from 1 to 999.")
YEAR_OUT_OF_RANGE = _("The year is from 2000 to 2100.")
POSITION_OUT_OF_RANGE = _("A position is a number from 0 to 9,999.")
STATES_OUT_OF_RANGE = _("The number of States is from 0 to 200.")
STATES_VALIDATORS = [
    MinValueValidator(0, STATES_OUT_OF_RANGE),
    MaxValueValidator(LARGEST_NUMBER_OF_STATES, STATES_OUT_OF_RANGE),
]


def order_field():
    """The explicit position editors set to order items within their parent."""
    return models.PositiveSmallIntegerField(
        _("order"),
        default=0,
        validators=[MaxValueValidator(LARGEST_POSITION, POSITION_OUT_OF_RANGE)],
        help_text=_("Position in lists (0 to 9,999); smaller numbers come first."),
    )


def day_field(label, help_text, **options):
    """A date between FIRST_DAY and LAST_DAY."""
    return models.DateField(
        label, validators=DAY_VALIDATORS, help_text=help_text, **options
    )


def within(field, low, high, name, message):
    """A database CHECK that ``field`` lies from ``low`` to ``high``."""
    return models.CheckConstraint(
        condition=Q(**{f"{field}__gte": low, f"{field}__lte": high}),
        name=name,
        violation_error_message=message,
    )


def count_within_bounds(field, name):
    return within(field, 0, LARGEST_COUNT, name, COUNT_VALIDATORS[1].message)


def days_within_bounds(*fields, prefix):
    return [
        within(
            field, FIRST_DAY, LAST_DAY, f"{prefix}_{field}_in_range", DAY_OUT_OF_RANGE
        )
        for field in fields
    ]


def order_within_bounds(name):
    return within("order", 0, LARGEST_POSITION, name, POSITION_OUT_OF_RANGE)


def dates_in_order(name):
    """A database CHECK that an end date never comes before its start date."""
    return models.CheckConstraint(
        condition=Q(end_date__gte=F("start_date")),
        name=name,
        violation_error_code="end_before_start",
        violation_error_message=_("The end date cannot be before the start date."),
    )


class SnapshotQuerySet(models.QuerySet):
    def editable_by(self, user):
        """
        Every snapshot for staff who may change them (their working copies,
        published or not), none for anyone else: the public reads
        publications (``reviews.publishing``).
        """
        if user.is_staff and user.has_perm("reviews.change_snapshot"):
            return self.all()
        return self.none()

    def with_content(self, *, page=False):
        """
        Snapshots with all their content, in one query per kind of content
        whatever the size, as ``reviews.content.CONTENT`` declares it
        (``reviews.content.page_query_budget``).

        ``page=True`` leaves out the kinds the public page reads otherwise:
        the meeting's days and their round tables come in one joined query
        (the ``meeting_schedule`` tag), where prefetching costs two.
        """
        queryset = self
        for kind in CONTENT:
            path = kind.path_from_snapshot
            if not path or kind.shared or (page and not kind.prefetched_for_page):
                continue
            if kind.many_per_snapshot:
                rows = kind.model.objects.select_related(*kind.select)
                queryset = queryset.prefetch_related(Prefetch(path, queryset=rows))
            else:
                queryset = queryset.select_related(
                    path, *(f"{path}__{name}" for name in kind.select)
                )
        return queryset

    def for_page(self):
        """What the public page shows, in the same few queries whatever the size."""
        return self.with_content(page=True)


class Snapshot(models.Model):
    """One issue of the "Key milestones and progress" series."""

    series = models.CharField(
        _("series"),
        max_length=200,
        help_text=_('Name of the series, e.g. "Key milestones and progress".'),
    )
    number = models.PositiveSmallIntegerField(
        _("number"),
        validators=[
            MinValueValidator(1, ISSUE_NUMBER_OUT_OF_RANGE),
            MaxValueValidator(999, ISSUE_NUMBER_OUT_OF_RANGE),
        ],
        help_text=_("Issue number within the series, 1 to 999; shown as #1, #2…"),
    )
    title = models.CharField(
        _("title"),
        max_length=200,
        help_text=_('Title of this issue, e.g. "A snapshot of the Regional Review".'),
    )
    slug = models.SlugField(
        _("slug"),
        max_length=100,
        unique=True,
        help_text=_(
            "Part of the permanent web address and of spreadsheet files: "
            "lowercase letters, digits and hyphens. Avoid changing it once public."
        ),
    )
    publisher = models.CharField(
        _("publisher"),
        max_length=300,
        blank=True,
        help_text=_(
            "Who publishes this snapshot, as a citation names them, e.g. "
            "“International Organization for Migration (IOM) and ECLAC”."
        ),
    )
    licence_name = models.CharField(
        _("licence"),
        max_length=200,
        blank=True,
        help_text=_(
            "Under which licence readers may reuse the texts and data, e.g. "
            "“Creative Commons Attribution 4.0 International (CC BY 4.0)”. "
            "Leave empty when none has been granted: the page then says so."
        ),
    )
    licence_url = models.URLField(
        _("licence address"),
        blank=True,
        help_text=_("Web address of the licence's text."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # Set on every save, and by reviews.changes on every change of the
    # snapshot's content; a default rather than auto_now, so that a version
    # restored without it (django-reversion) gets the time of the restore.
    updated_at = models.DateTimeField(
        _("last updated"), default=timezone.now, editable=False
    )

    objects = SnapshotQuerySet.as_manager()

    class Meta:
        verbose_name = _("snapshot")
        verbose_name_plural = _("snapshots")
        ordering = ["-number"]
        default_permissions = CONTENT_PERMISSIONS
        constraints = [
            within(
                "number", 1, 999, "snapshot_number_in_range", ISSUE_NUMBER_OUT_OF_RANGE
            ),
            models.UniqueConstraint(
                fields=["series", "number"],
                name="unique_snapshot_number_in_series",
                violation_error_message=_(
                    "This series already has an issue with this number."
                ),
            ),
        ]

    def __str__(self):
        return self.full_title

    def save(self, *args, **kwargs):
        self.updated_at = timezone.now()
        if (fields := kwargs.get("update_fields")) is not None:
            kwargs["update_fields"] = {*fields, "updated_at"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("reviews:snapshot", kwargs={"slug": self.slug})

    def clean(self):
        super().clean()
        # Reported on the address: the name is a translated field, which the
        # admin shows as one field per language, never as "licence_name".
        if self.licence_url and not self.licence_name:
            raise ValidationError(
                {
                    "licence_url": ValidationError(
                        _("Name the licence that this address leads to."),
                        code="licence_without_name",
                    )
                }
            )

    @property
    def full_title(self):
        """Series, number and title in the active language, as citations give them."""
        return f"{self.series} #{self.number} – {self.title}"

    @property
    def registered_total(self):
        """Registered participants, always the sum of the stakeholder counts."""
        if "stakeholder_counts" in getattr(self, "_prefetched_objects_cache", {}):
            return sum(count.count for count in self.stakeholder_counts.all())
        return self.stakeholder_counts.aggregate(total=Sum("count"))["total"] or 0

    def registration_headline_mismatches(self):
        """
        The timeline figures that summarise registrations ("more than 980
        registered representatives") but disagree with the stakeholder total.
        """
        total = self.registered_total
        figures = TimelineFigure.objects.filter(
            event__snapshot=self, summarises_registrations=True
        )
        return [figure for figure in figures if not figure.agrees_with(total)]


class Meeting(models.Model):
    """The meeting a snapshot reports on."""

    snapshot = models.OneToOneField(
        Snapshot,
        on_delete=models.CASCADE,
        related_name="meeting",
        verbose_name=_("snapshot"),
    )
    name = models.CharField(
        _("name"),
        max_length=300,
        help_text=_("Full name of the meeting."),
    )
    organisers = models.CharField(
        _("organisers"),
        max_length=400,
        help_text=_(
            "Who organised the meeting and in what capacity, as the sentence "
            "“co-organised by …” continues."
        ),
    )
    start_date = day_field(_("start date"), _("First day, from 2000 to 2100."))
    end_date = day_field(_("end date"), _("Last day, from 2000 to 2100."))
    website = models.URLField(
        _("website"),
        blank=True,
        help_text=_("The meeting's web page in this language."),
    )
    member_states = models.PositiveSmallIntegerField(
        _("member States"),
        null=True,
        blank=True,
        validators=STATES_VALIDATORS,
        help_text=_("Number of ECLAC member States that took part (0 to 200)."),
    )
    associate_members = models.PositiveSmallIntegerField(
        _("associate members"),
        null=True,
        blank=True,
        validators=STATES_VALIDATORS,
        help_text=_("Number of ECLAC associate members that took part (0 to 200)."),
    )
    overview = models.TextField(
        _("overview"),
        blank=True,
        validators=[validate_markup],
        help_text=_(
            "The overview, one paragraph per blank line. Use **bold** for "
            "emphasis and <https://…> or [text](https://…) for links."
        ),
    )
    next_step = models.CharField(
        _("next step"),
        max_length=200,
        blank=True,
        help_text=_(
            "What the meeting's results feed into, e.g. the International "
            "Migration Review Forum."
        ),
    )
    next_step_year = models.PositiveSmallIntegerField(
        _("year of the next step"),
        null=True,
        blank=True,
        validators=[
            MinValueValidator(FIRST_DAY.year, YEAR_OUT_OF_RANGE),
            MaxValueValidator(LAST_DAY.year, YEAR_OUT_OF_RANGE),
        ],
        help_text=_("Year in which the next step takes place, 2000 to 2100."),
    )
    recordings_note = models.CharField(
        _("recordings note"),
        max_length=300,
        blank=True,
        help_text=_(
            'Sentence that introduces the recordings link, e.g. "All '
            'sessions were recorded and are now available online".'
        ),
    )
    recordings_link_text = models.CharField(
        _("recordings link text"),
        max_length=100,
        blank=True,
        help_text=_('Text of the link itself, e.g. "clicking here".'),
    )
    recordings_url = models.URLField(
        _("recordings link"),
        blank=True,
        help_text=_("Where the recordings of the sessions can be watched."),
    )

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-start_date"]
        default_permissions = CONTENT_PERMISSIONS
        constraints = [
            dates_in_order("meeting_dates_in_order"),
            *days_within_bounds("start_date", "end_date", prefix="meeting"),
            within(
                "member_states",
                0,
                LARGEST_NUMBER_OF_STATES,
                "meeting_member_states_in_range",
                STATES_OUT_OF_RANGE,
            ),
            within(
                "associate_members",
                0,
                LARGEST_NUMBER_OF_STATES,
                "meeting_associate_members_in_range",
                STATES_OUT_OF_RANGE,
            ),
            within(
                "next_step_year",
                FIRST_DAY.year,
                LAST_DAY.year,
                "meeting_next_step_year_in_range",
                YEAR_OUT_OF_RANGE,
            ),
        ]

    def __str__(self):
        return self.name

    def contains(self, day):
        return self.start_date <= day <= self.end_date

    def clean(self):
        super().clean()
        if not (self.pk and self.start_date and self.end_date):
            return
        # Moving the meeting must not strand the days already planned in it.
        stranded = [day.date for day in self.days.all() if not self.contains(day.date)]
        if stranded:
            raise ValidationError(
                _(
                    "These days of the meeting would fall outside its new dates: "
                    "%(days)s. Change or delete them first."
                ),
                code="days_outside_meeting",
                params={"days": ", ".join(str(day) for day in stranded)},
            )

    def dates_display(self):
        return dates.day_range(self.start_date, self.end_date)


class Organiser(models.Model):
    """
    One organisation that organised the meeting, as data: who search engines
    and citations name as its organiser, one by one. The meeting's
    ``organisers`` keeps the sentence the page says it in.
    """

    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.CASCADE,
        related_name="organisations",
        verbose_name=_("meeting"),
    )
    order = order_field()
    name = models.CharField(
        _("name"),
        max_length=200,
        help_text=_(
            "The organisation's full name in this language, without an "
            "article, e.g. Economic Commission for Latin America and the "
            "Caribbean."
        ),
    )
    abbreviation = models.CharField(
        _("abbreviation"),
        max_length=20,
        blank=True,
        help_text=_("Its short name in this language, e.g. ECLAC."),
    )
    capacity = models.CharField(
        _("capacity"),
        max_length=200,
        blank=True,
        help_text=_(
            "In what capacity it organised the meeting, if the source says, "
            "e.g. Coordinator of the United Nations Network on Migration."
        ),
    )

    class Meta:
        verbose_name = _("organiser")
        verbose_name_plural = _("organisers")
        ordering = ["meeting", "order", "pk"]
        default_permissions = CONTENT_PERMISSIONS
        constraints = [
            order_within_bounds("organiser_order_in_range"),
            models.UniqueConstraint(
                fields=["meeting", "order"],
                name="unique_organiser_order_per_meeting",
                violation_error_message=_(
                    "Another organiser of this meeting has this position."
                ),
            ),
        ]

    def __str__(self):
        return self.abbreviation or self.name


class Person(models.Model):
    """Someone who opened the meeting or spoke for a group of stakeholders."""

    class Role(models.TextChoices):
        OPENED = "opened", _("Opened the meeting")
        STAKEHOLDER = "stakeholder", _("Civil society or other stakeholder")

    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.CASCADE,
        related_name="people",
        verbose_name=_("meeting"),
    )
    role = models.CharField(
        _("role"),
        max_length=20,
        choices=Role.choices,
        help_text=_("Why this person is listed."),
    )
    order = order_field()
    name = models.CharField(
        _("name"),
        max_length=200,
        help_text=_("Full name with its accents, the same in every language."),
    )
    title = models.CharField(
        _("title"),
        max_length=200,
        blank=True,
        help_text=_("Position, e.g. Executive Secretary."),
    )
    organisation = models.CharField(
        _("organisation"),
        max_length=200,
        blank=True,
        help_text=_("Organisation or group the person represents."),
    )

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["meeting", "role", "order", "pk"]
        default_permissions = CONTENT_PERMISSIONS
        constraints = [
            order_within_bounds("person_order_in_range"),
            models.UniqueConstraint(
                fields=["meeting", "order"],
                name="unique_person_order_per_meeting",
                violation_error_message=_(
                    "Another person of this meeting has this position."
                ),
            ),
        ]

    def __str__(self):
        return self.name


class Conclusion(models.Model):
    """One of the snapshot's main conclusions."""

    snapshot = models.ForeignKey(
        Snapshot,
        on_delete=models.CASCADE,
        related_name="conclusions",
        verbose_name=_("snapshot"),
    )
    order = order_field()
    text = models.TextField(
        _("text"),
        validators=[validate_markup],
        help_text=_(
            "The conclusion. Put emphasised phrases between **two asterisks**."
        ),
    )

    class Meta:
        verbose_name = _("main conclusion")
        verbose_name_plural = _("main conclusions")
        ordering = ["snapshot", "order", "pk"]
        default_permissions = CONTENT_PERMISSIONS
        constraints = [
            order_within_bounds("conclusion_order_in_range"),
            models.UniqueConstraint(
                fields=["snapshot", "order"],
                name="unique_conclusion_order_per_snapshot",
                violation_error_message=_(
                    "Another conclusion of this snapshot has this position."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.order}. {self.text[:60]}"


class MeetingDay(models.Model):
    """One day of the meeting, with its session and round tables."""

    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.CASCADE,
        related_name="days",
        verbose_name=_("meeting"),
    )
    date = day_field(_("date"), _("Must fall within the meeting."))
    session = models.TextField(
        _("session"),
        blank=True,
        help_text=_("The plenary session held that day, if any."),
    )

    class Meta:
        verbose_name = _("meeting day")
        verbose_name_plural = _("meeting days")
        ordering = ["meeting", "date"]
        default_permissions = CONTENT_PERMISSIONS
        constraints = [
            *days_within_bounds("date", prefix="meeting_day"),
            models.UniqueConstraint(
                fields=["meeting", "date"],
                name="unique_meeting_day",
                violation_error_message=_("The meeting already has this day."),
            ),
        ]

    def __str__(self):
        return str(self.date)

    def clean(self):
        super().clean()
        if self.date and self.meeting_id and not self.meeting.contains(self.date):
            raise ValidationError(
                {
                    "date": ValidationError(
                        _(
                            "%(date)s is outside the meeting, which runs from "
                            "%(start)s to %(end)s."
                        ),
                        code="outside_meeting",
                        params={
                            "date": self.date,
                            "start": self.meeting.start_date,
                            "end": self.meeting.end_date,
                        },
                    )
                }
            )


class RoundTable(models.Model):
    """A thematic round table, held on one day of the meeting."""

    day = models.ForeignKey(
        MeetingDay,
        on_delete=models.CASCADE,
        related_name="round_tables",
        verbose_name=_("day"),
    )
    area = models.PositiveSmallIntegerField(
        _("area"),
        help_text=_("Thematic area number, 1 to 5; round tables are listed by it."),
    )
    title = models.CharField(
        _("title"),
        max_length=300,
        help_text=_("Theme of the round table."),
    )

    class Meta:
        verbose_name = _("round table")
        verbose_name_plural = _("round tables")
        ordering = ["day", "area"]
        default_permissions = CONTENT_PERMISSIONS
        constraints = [
            models.CheckConstraint(
                condition=Q(area__gte=1, area__lte=5),
                name="round_table_area_1_to_5",
                violation_error_message=_("The area must be a number from 1 to 5."),
            ),
            models.UniqueConstraint(
                fields=["day", "area"],
                name="unique_round_table_area_per_day",
                violation_error_message=_(
                    "This day already has a round table for this area."
                ),
            ),
        ]

    def __str__(self):
        return _("Area %(area)s: %(title)s") % {"area": self.area, "title": self.title}

    @property
    def date(self):
        return self.day.date


class ParticipationFigure(models.Model):
    """How many people followed the meeting on one channel, per day or overall."""

    class Channel(models.TextChoices):
        ZOOM = "zoom", "Zoom"
        YOUTUBE = "youtube", "YouTube"

    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.CASCADE,
        related_name="participation",
        verbose_name=_("meeting"),
    )
    order = order_field()
    channel = models.CharField(
        _("channel"),
        max_length=20,
        choices=Channel.choices,
        help_text=_("Where these people followed the meeting."),
    )
    day = models.ForeignKey(
        MeetingDay,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="participation",
        verbose_name=_("day"),
        help_text=_("Leave empty when the figure covers the whole meeting."),
    )
    count = models.PositiveIntegerField(
        _("count"), validators=COUNT_VALIDATORS, help_text=_("Number of people.")
    )
    label = models.CharField(
        _("label"),
        max_length=200,
        help_text=_('What the number counts, e.g. "participants via Zoom".'),
    )

    class Meta:
        verbose_name = _("participation figure")
        verbose_name_plural = _("participation figures")
        ordering = ["meeting", "order", "pk"]
        default_permissions = CONTENT_PERMISSIONS
        constraints = [
            count_within_bounds("count", "participation_count_in_range"),
            order_within_bounds("participation_order_in_range"),
            models.UniqueConstraint(
                fields=["meeting", "channel", "day"],
                name="unique_participation_per_channel_and_day",
                violation_error_message=_(
                    "This channel already has a figure for this day."
                ),
            ),
            models.UniqueConstraint(
                fields=["meeting", "channel"],
                condition=Q(day__isnull=True),
                name="unique_participation_per_channel_for_whole_meeting",
                violation_error_message=_(
                    "This channel already has a figure for the whole meeting."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.count} {self.label}"

    def clean(self):
        super().clean()
        if self.day_id and self.meeting_id and self.day.meeting_id != self.meeting_id:
            raise ValidationError(
                {"day": _("This day belongs to another meeting.")},
                code="day_of_other_meeting",
            )


class TimelineEvent(models.Model):
    """A step in the organisation and preparation of the meeting."""

    class Precision(models.TextChoices):
        DAY = "day", _("One day")
        DAYS = "days", _("Several days")
        MONTHS = "months", _("Months")

    snapshot = models.ForeignKey(
        Snapshot,
        on_delete=models.CASCADE,
        related_name="timeline",
        verbose_name=_("snapshot"),
    )
    title = models.CharField(
        _("title"), max_length=300, help_text=_("Name of the step.")
    )
    start_date = day_field(_("start date"), _("When it started, from 2000 to 2100."))
    end_date = day_field(
        _("end date"),
        _("When it ended; the same as the start date for a single day."),
    )
    precision = models.CharField(
        _("date precision"),
        max_length=10,
        choices=Precision.choices,
        default=Precision.DAY,
        help_text=_(
            "How the dates are shown: one day (25 March 2021), several days "
            "(13 to 15 April 2021) or months (October 2020 to January 2021)."
        ),
    )
    date_prefix = models.CharField(
        _("words before the dates"),
        max_length=50,
        blank=True,
        help_text=_(
            'Optional words shown before the dates of a day or days, e.g. "From". '
            'Month ranges always read "Between … and …".'
        ),
    )
    description = models.TextField(
        _("description"),
        blank=True,
        validators=[validate_markup],
        help_text=_(
            "What happened, with its figures written out. The figures below are "
            "the same numbers as data, for charts and downloads."
        ),
    )

    class Meta:
        verbose_name = _("timeline event")
        verbose_name_plural = _("timeline events")
        ordering = ["snapshot", "start_date", "end_date", "pk"]
        default_permissions = CONTENT_PERMISSIONS
        constraints = [
            dates_in_order("timeline_event_dates_in_order"),
            *days_within_bounds("start_date", "end_date", prefix="timeline_event"),
            models.UniqueConstraint(
                fields=["snapshot", "start_date"],
                name="unique_timeline_event_start_per_snapshot",
                violation_error_message=_(
                    "Another event of this timeline starts on this day; "
                    "the start date identifies an event in spreadsheets."
                ),
            ),
        ]

    def __str__(self):
        return self.title

    def dates_display(self):
        """
        The event's dates in the active language. The words before them are
        grammar of that language, so an English "From" never leads a Spanish
        date: a missing prefix is simply left out instead of falling back.
        """
        if self.precision == self.Precision.MONTHS:
            return dates.month_range(self.start_date, self.end_date)
        text = dates.day_range(self.start_date, self.end_date)
        prefix = getattr(self, f"date_prefix_{get_language()}", "")
        return f"{prefix} {text}" if prefix else text

    def clean(self):
        super().clean()
        if (
            self.precision == self.Precision.DAY
            and self.start_date
            and self.end_date
            and self.start_date != self.end_date
        ):
            raise ValidationError(
                {
                    "precision": _(
                        "An event of one day must end on the day it starts; "
                        "choose “Several days” or “Months” instead."
                    )
                },
                code="single_day_range",
            )


class TimelineFigure(models.Model):
    """A number that describes a timeline event, with what it counts."""

    class Qualifier(models.TextChoices):
        EXACT = "exact", _("Exactly")
        MORE_THAN = "more_than", _("More than")

    event = models.ForeignKey(
        TimelineEvent,
        on_delete=models.CASCADE,
        related_name="figures",
        verbose_name=_("event"),
    )
    order = order_field()
    qualifier = models.CharField(
        _("qualifier"),
        max_length=20,
        choices=Qualifier.choices,
        default=Qualifier.EXACT,
        help_text=_('Whether the number is exact or a floor ("more than 980").'),
    )
    value = models.PositiveIntegerField(
        _("value"), validators=COUNT_VALIDATORS, help_text=_("The number.")
    )
    label = models.CharField(
        _("label"),
        max_length=300,
        help_text=_('What the number counts, e.g. "registered representatives".'),
    )
    summarises_registrations = models.BooleanField(
        _("summarises registrations"),
        default=False,
        help_text=_(
            "Tick when this figure states how many people registered; the admin "
            "then checks it against the total of the stakeholder groups."
        ),
    )

    class Meta:
        verbose_name = _("timeline figure")
        verbose_name_plural = _("timeline figures")
        ordering = ["event", "order", "pk"]
        default_permissions = CONTENT_PERMISSIONS
        constraints = [
            count_within_bounds("value", "timeline_figure_value_in_range"),
            order_within_bounds("timeline_figure_order_in_range"),
            models.UniqueConstraint(
                fields=["event", "order"],
                name="unique_timeline_figure_order_per_event",
                violation_error_message=_(
                    "Another figure of this event has this position."
                ),
            ),
        ]

    def __str__(self):
        qualifier = (
            pgettext_lazy("figure", "more than ")
            if self.qualifier == self.Qualifier.MORE_THAN
            else ""
        )
        return f"{qualifier}{self.value} {self.label}"

    def agrees_with(self, total):
        if self.qualifier == self.Qualifier.MORE_THAN:
            return total > self.value
        return total == self.value


class StakeholderGroup(models.Model):
    """A kind of participant that registrations are counted by."""

    slug = models.SlugField(
        _("slug"),
        max_length=60,
        unique=True,
        help_text=_(
            "Stable identifier used in spreadsheets, e.g. governments. "
            "Lowercase letters, digits and hyphens."
        ),
    )
    name = models.CharField(
        _("name"), max_length=200, help_text=_("Name of the group.")
    )

    class Meta:
        verbose_name = _("stakeholder group")
        verbose_name_plural = _("stakeholder groups")
        ordering = ["slug"]
        default_permissions = CONTENT_PERMISSIONS

    def __str__(self):
        return self.name


class StakeholderCount(models.Model):
    """How many people of one stakeholder group registered for the meeting."""

    snapshot = models.ForeignKey(
        Snapshot,
        on_delete=models.CASCADE,
        related_name="stakeholder_counts",
        verbose_name=_("snapshot"),
    )
    group = models.ForeignKey(
        StakeholderGroup,
        on_delete=models.PROTECT,
        related_name="counts",
        verbose_name=_("stakeholder group"),
    )
    order = order_field()
    count = models.PositiveIntegerField(
        _("registered"),
        validators=COUNT_VALIDATORS,
        help_text=_("Number of registered participants."),
    )

    class Meta:
        verbose_name = _("stakeholder count")
        verbose_name_plural = _("stakeholder counts")
        ordering = ["snapshot", "order", "pk"]
        default_permissions = CONTENT_PERMISSIONS
        constraints = [
            count_within_bounds("count", "stakeholder_count_in_range"),
            order_within_bounds("stakeholder_count_order_in_range"),
            models.UniqueConstraint(
                fields=["snapshot", "group"],
                name="unique_stakeholder_group_per_snapshot",
                violation_error_message=_(
                    "This snapshot already counts this stakeholder group."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.group}: {self.count}"
