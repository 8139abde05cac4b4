"""Positions editors change freely: swaps, renumbering, clashes, new items last."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from reviews.editorial.admin.positions import parent_field
from reviews.models import (
    Conclusion,
    ParticipationFigure,
    Person,
    StakeholderCount,
    TimelineEvent,
    TimelineFigure,
)

from .admin_forms import inline_rows, submitted, submitted_list

pytestmark = pytest.mark.django_db


def change_url(obj):
    return reverse(f"admin:reviews_{obj._meta.model_name}_change", args=[obj.pk])


def list_url(model):
    return reverse(f"admin:reviews_{model._meta.model_name}_changelist")


def positions(model, **parent):
    return dict(model.objects.filter(**parent).values_list("pk", "order"))


def swapped(data, first, second):
    """``data`` with the positions of rows ``first`` and ``second`` exchanged."""
    a, b = f"{first}order", f"{second}order"
    return {**data, a: data[b], b: data[a]}


INLINES = [
    # (the parent's page, the inline's prefix, the rows' model and parent)
    (lambda seed: seed, "conclusions", Conclusion, "snapshot"),
    (lambda seed: seed, "stakeholder_counts", StakeholderCount, "snapshot"),
    (lambda seed: seed.meeting, "people", Person, "meeting"),
    (lambda seed: seed.meeting, "participation", ParticipationFigure, "meeting"),
    (lambda seed: TimelineEvent.objects.get(pk=2), "figures", TimelineFigure, "event"),
]


@pytest.mark.parametrize(("parent_of", "prefix", "model", "link"), INLINES)
def test_two_positions_swap_in_one_save_of_an_inline(
    seed, editor_client, parent_of, prefix, model, link
):
    """Exchanging the positions of the first two rows saves both, not a 500."""
    parent = parent_of(seed)
    url = change_url(parent)
    data = submitted(editor_client.get(url))
    first, second = inline_rows(data, prefix)[:2]
    before = positions(model, **{link: parent})
    response = editor_client.post(url, swapped(data, first, second))
    assert response.status_code == 302, response.context["errors"]
    a, b = int(data[f"{first}id"]), int(data[f"{second}id"])
    after = positions(model, **{link: parent})
    assert (after[a], after[b]) == (before[b], before[a])


@pytest.mark.parametrize(
    "model", [Conclusion, Person, TimelineFigure, ParticipationFigure, StakeholderCount]
)
def test_two_positions_swap_in_the_lists_editable_column(seed, editor_client, model):
    """The changelist's Order column takes a swap of two rows in one save."""
    url = list_url(model)
    data = submitted_list(editor_client.get(url))
    rows = inline_rows(data, "form")
    # Two rows of one parent: the first row and the next one sharing its parent.
    link = parent_field(model).attname
    objects = model.objects.in_bulk([int(data[f"{row}id"]) for row in rows])
    first = rows[0]
    parent = getattr(objects[int(data[f"{first}id"])], link)
    second = next(
        row
        for row in rows[1:]
        if getattr(objects[int(data[f"{row}id"])], link) == parent
    )
    a, b = int(data[f"{first}id"]), int(data[f"{second}id"])
    before = {a: objects[a].order, b: objects[b].order}
    response = editor_client.post(url, swapped(data, first, second))
    assert response.status_code == 302
    after = model.objects.in_bulk([a, b])
    assert (after[a].order, after[b].order) == (before[b], before[a])


def test_positions_are_renumbered_in_one_save(seed, editor_client):
    """Each conclusion moved one down, the last to the top: all saved at once."""
    url = change_url(seed)
    data = submitted(editor_client.get(url))
    rows = inline_rows(data, "conclusions")
    orders = [data[f"{row}order"] for row in rows]
    for row, order in zip(rows, [orders[-1], *orders[:-1]], strict=True):
        data[f"{row}order"] = order
    assert editor_client.post(url, data).status_code == 302
    stored = positions(Conclusion, snapshot=seed)
    assert [stored[int(data[f"{row}id"])] for row in rows] == [
        int(order) for order in [orders[-1], *orders[:-1]]
    ]


def new_row(data, prefix, **values):
    """``data`` with one more (new) row in the inline ``prefix``."""
    index = int(data[f"{prefix}-TOTAL_FORMS"])
    data = {**data, f"{prefix}-TOTAL_FORMS": str(index + 1)}
    data.update({f"{prefix}-{index}-{name}": value for name, value in values.items()})
    return data


def test_a_position_another_editor_took_meanwhile_is_refused_by_name(
    seed, editor_client
):
    """Another editor's new conclusion at 6: adding one at 6 names the clash."""
    url = change_url(seed)
    data = submitted(editor_client.get(url))
    Conclusion.objects.create(snapshot=seed, order=6, text_en="Theirs", text_es="Suya")
    data = new_row(data, "conclusions", order="6", text_en="Mine", text_es="Mía")
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert escape("Position 6 is already taken by “6. Theirs”.") in (
        response.content.decode()
    )
    assert not Conclusion.objects.filter(text_en="Mine").exists()


def test_two_rows_given_one_position_are_refused_by_name(seed, editor_client):
    """Two people at one position in one save: refused, naming the position."""
    url = change_url(seed.meeting)
    data = submitted(editor_client.get(url))
    first, second = inline_rows(data, "people")[:2]
    data[f"{second}order"] = data[f"{first}order"]
    response = editor_client.post(url, data)
    assert response.status_code == 200
    position = data[f"{first}order"]
    assert f"Position {position} is already taken" in response.content.decode()


def test_a_second_whole_meeting_youtube_figure_is_refused_not_a_500(
    seed, editor_client
):
    """The meeting already has a YouTube figure for all days: a form error."""
    url = change_url(seed.meeting)
    data = new_row(
        submitted(editor_client.get(url)),
        "participation",
        channel="youtube",
        count="10",
        label_en="More",
        label_es="Más",
    )
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert "This channel already has a figure for the whole meeting." in (
        response.content.decode()
    )
    assert ParticipationFigure.objects.filter(channel="youtube").count() == 1


def test_new_conclusions_without_a_position_go_last(seed, editor_client):
    """Two new conclusions left without a position follow the others in order."""
    url = change_url(seed)
    data = submitted(editor_client.get(url))
    last = max(positions(Conclusion, snapshot=seed).values())
    data = new_row(data, "conclusions", text_en="One", text_es="Una")
    data = new_row(data, "conclusions", text_en="Two", text_es="Dos")
    assert editor_client.post(url, data).status_code == 302
    assert Conclusion.objects.get(text_en="One").order == last + 1
    assert Conclusion.objects.get(text_en="Two").order == last + 2


def test_a_new_row_offers_no_position_but_goes_last(seed, editor_client):
    """The inline's blank row has no 0 in it: the help says it goes last."""
    page = editor_client.get(change_url(seed))
    empty = page.context["inline_admin_formsets"][1].formset.empty_form
    assert empty["order"].value() is None
    assert "put it after the others" in str(empty.fields["order"].help_text)


def test_a_conclusion_added_on_its_own_page_goes_last(seed, editor_client):
    """The add page without a position puts the conclusion after the others."""
    last = max(positions(Conclusion, snapshot=seed).values())
    response = editor_client.post(
        reverse("admin:reviews_conclusion_add"),
        {"snapshot": seed.pk, "text_en": "Last", "text_es": "Última", "_save": "Save"},
    )
    assert response.status_code == 302
    assert Conclusion.objects.get(text_en="Last").order == last + 1
