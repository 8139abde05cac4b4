"""Per-model import and export from the admin changelists."""

import json

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from reviews.content import CONTENT
from reviews.models import (
    Conclusion,
    Meeting,
    Person,
    StakeholderCount,
    StakeholderGroup,
)
from reviews.spreadsheets.formats import FORMATS
from reviews.spreadsheets.resources import (
    MeetingResource,
    PersonResource,
    RoundTableResource,
    StakeholderCountResource,
    TimelineEventResource,
)

from .spreadsheets import (
    FORMAT_INDEX,
    confirm,
    csv_bytes,
    messages_of,
    preview,
)

MODELS = [kind.model._meta.model_name for kind in CONTENT]
SLUG = "regional-review-latin-america-caribbean-2021"
CONCLUSION_HEADERS = ["snapshot", "order", "text_en", "text_es"]


def export(client, resource, file_format, **data):
    """POST the export form of ``resource``'s changelist with every column."""
    columns = {
        f"{resource.__name__.lower()}_{name}": "on" for name in resource().fields
    }
    return client.post(
        reverse(f"admin:reviews_{resource._meta.model._meta.model_name}_export"),
        {"format": FORMAT_INDEX[file_format], "resource": "0", **columns, **data},
    )


@pytest.mark.parametrize("model", MODELS)
def test_every_changelist_offers_import_and_export(seed, editor_client, model):
    """An editor sees Import and Export buttons on every content changelist."""
    response = editor_client.get(reverse(f"admin:reviews_{model}_changelist"))
    content = response.content.decode()
    assert reverse(f"admin:reviews_{model}_import") in content
    assert reverse(f"admin:reviews_{model}_export") in content


def test_translation_admin_and_import_export_work_together(seed, editor_client):
    """The meeting's page keeps its language switch next to the export button."""
    meeting = Meeting.objects.get()
    response = editor_client.get(
        reverse("admin:reviews_meeting_change", args=[meeting.pk])
    )
    content = response.content.decode()
    assert 'class="language-switch"' in content
    assert 'name="name_es"' in content
    assert 'name="_export-item"' in content


@pytest.mark.parametrize("file_format", ["xlsx", "csv", "ods", "json"])
def test_export_has_one_column_per_language(seed, editor_client, file_format):
    """Every format exports title_en and title_es, never a bare title."""
    response = export(editor_client, RoundTableResource, file_format)
    assert response.status_code == 200
    dataset = FORMATS[int(FORMAT_INDEX[file_format])]().create_dataset(
        response.content
        if file_format in ("xlsx", "ods")
        else response.content.decode("utf-8-sig")
    )
    assert dataset.headers == ["snapshot", "date", "area", "title_en", "title_es"]
    assert len(dataset) == 5
    assert "2021-04-27" in str(dataset[0][1])


@pytest.mark.parametrize("file_format", ["xlsx", "csv", "ods", "json"])
def test_reimporting_an_export_in_any_format_changes_nothing(
    seed, editor_client, content_dump, file_format
):
    """An export in each format imports back with every row left alone."""
    content = export(editor_client, TimelineEventResource, file_format).content
    before = content_dump()
    response = preview(editor_client, "timelineevent", content, file_format)
    assert {row.import_type for row in response.context["result"].rows} == {"skip"}
    assert confirm(editor_client, "timelineevent", response).status_code == 302
    assert content_dump() == before


def test_export_uses_natural_keys_not_ids(seed, editor_client):
    """Stakeholder counts name their snapshot and group by slug."""
    response = export(editor_client, StakeholderCountResource, "json")
    rows = json.loads(response.content)
    assert rows[0]["snapshot"] == SLUG
    assert rows[0]["group"] in set(
        StakeholderGroup.objects.values_list("slug", flat=True)
    )


def test_export_selected_rows_action(seed, editor_client):
    """The "Export selected" action offers the export form for just the chosen rows."""
    chosen = list(Person.objects.order_by("order")[:2])
    response = editor_client.post(
        reverse("admin:reviews_person_changelist"),
        {"action": "export_admin_action", "_selected_action": [p.pk for p in chosen]},
    )
    assert response.status_code == 200
    response = export(
        editor_client, PersonResource, "json", export_items=[p.pk for p in chosen]
    )
    rows = json.loads(response.content)
    assert [row["name"] for row in rows] == [p.name for p in chosen]


def conclusions_csv(*rows):
    return csv_bytes(CONCLUSION_HEADERS, rows)


def test_import_previews_then_confirms(seed, editor_client):
    """The dry run shows new and updated rows and writes nothing until confirmed."""
    first = Conclusion.objects.get(order=1)
    content = conclusions_csv(
        [SLUG, 1, first.text_en, "Texto corregido."],
        [SLUG, 6, "A sixth conclusion.", "Una sexta conclusión."],
    )
    response = preview(editor_client, "conclusion", content)
    assert response.status_code == 200
    rows = {row.import_type for row in response.context["result"].valid_rows()}
    assert rows == {"new", "update"}
    assert Conclusion.objects.count() == 5

    response = confirm(editor_client, "conclusion", response)
    assert response.status_code == 302
    assert Conclusion.objects.count() == 6
    first.refresh_from_db()
    assert first.text_es == "Texto corregido."


def test_importing_an_exported_file_twice_changes_nothing(
    seed, editor_client, content_dump
):
    """Re-importing an unchanged export leaves every row alone."""
    content = export(editor_client, PersonResource, "xlsx").content
    before = content_dump()
    for _ in range(2):
        response = preview(editor_client, "person", content, "xlsx")
        assert {r.import_type for r in response.context["result"].rows} == {"skip"}
        confirm(editor_client, "person", response)
    assert content_dump() == before


def test_a_bare_language_less_column_is_refused(seed, editor_client, content_dump):
    """A "text" column is refused: it would land in whichever language is active."""
    before = content_dump()
    content = csv_bytes(["snapshot", "order", "text"], [[SLUG, 7, "Hello"]])
    response = preview(editor_client, "conclusion", content)
    assert response.status_code == 400
    assert any("text_en or text_es" in m for m in messages_of(response))
    assert content_dump() == before


def test_both_languages_are_required(seed, editor_client, content_dump):
    """A required text without its Spanish names the row and the column."""
    before = content_dump()
    response = preview(
        editor_client, "conclusion", conclusions_csv([SLUG, 8, "Only English.", ""])
    )
    assert response.status_code == 400
    assert any(m.startswith("Row 2, column “text_es”") for m in messages_of(response))
    assert content_dump() == before


def test_errors_come_in_the_editors_language(seed, editor_client):
    """A Spanish-speaking editor reads the problems in Spanish."""
    content = csv_bytes(
        ["snapshot", "group", "order", "count"], [[SLUG, "governments", 1, "muchos"]]
    )
    response = preview(
        editor_client, "stakeholdercount", content, HTTP_ACCEPT_LANGUAGE="es"
    )
    assert response.status_code == 400
    assert "Fila 2, columna “count”: “muchos” no es un número entero." in messages_of(
        response
    )


def test_model_validation_runs_on_imported_rows(seed, editor_client, content_dump):
    """A meeting that ends before it starts is refused like in the form."""
    before = content_dump()
    dataset = MeetingResource().export()
    dataset[0] = tuple(
        "2021-04-20" if header == "end_date" else value
        for header, value in zip(dataset.headers, dataset[0], strict=True)
    )
    response = preview(editor_client, "meeting", dataset.export("csv").encode())
    assert response.status_code == 400
    assert any("end date cannot be before" in m for m in messages_of(response))
    assert content_dump() == before


def test_one_failing_row_means_nothing_is_written(seed, editor_client, content_dump):
    """All or nothing: a good row is not kept when another row fails."""
    before = content_dump()
    content = csv_bytes(
        ["snapshot", "group", "order", "count"],
        [[SLUG, "governments", 1, 5], [SLUG, "nobody", 2, 3]],
    )
    response = preview(editor_client, "stakeholdercount", content)
    assert response.status_code == 400
    assert "confirm_form" not in response.context
    assert any("“nobody”" in m for m in messages_of(response))
    assert content_dump() == before
    assert StakeholderCount.objects.get(group__slug="governments").count != 5


@pytest.mark.parametrize("name", ["import", "export", "process_import"])
def test_staff_without_spreadsheet_permissions_get_403(
    seed, client, staff_who_may_only_edit, name
):
    """Staff who may edit but not import or export are refused the pages."""
    client.force_login(staff_who_may_only_edit)
    response = client.post(reverse(f"admin:reviews_conclusion_{name}"), {})
    assert response.status_code == 403


def test_staff_without_spreadsheet_permissions_see_no_buttons(
    seed, client, staff_who_may_only_edit
):
    """Neither the changelist nor the snapshot page offers spreadsheets to them."""
    client.force_login(staff_who_may_only_edit)
    changelist = client.get(reverse("admin:reviews_conclusion_changelist"))
    assert changelist.status_code == 200
    assert reverse("admin:reviews_conclusion_import") not in changelist.content.decode()
    assert reverse("admin:reviews_conclusion_export") not in changelist.content.decode()
    page = client.get(reverse("admin:reviews_snapshot_change", args=[seed.pk]))
    assert "workbook" not in page.content.decode()
    assert "export_admin_action" not in changelist.content.decode()


def test_headers_with_stray_spaces_are_understood(seed, editor_client):
    """A header typed as " count " is read as count."""
    content = csv_bytes(
        [" snapshot", "group ", "order", " count "], [[SLUG, "governments", 1, 230]]
    )
    response = preview(editor_client, "stakeholdercount", content)
    assert response.status_code == 200
    confirm(editor_client, "stakeholdercount", response)
    assert StakeholderCount.objects.get(group__slug="governments").count == 230


def test_a_confirm_that_no_longer_validates_writes_nothing(seed, editor_client):
    """If the data changed since the preview, the confirm step imports nothing."""
    content = conclusions_csv([SLUG, 6, "A sixth conclusion.", "Una sexta."])
    response = preview(editor_client, "conclusion", content)
    assert response.status_code == 200
    seed.slug = "renamed-meanwhile"
    seed.save()
    response = confirm(editor_client, "conclusion", response)
    assert response.status_code == 302
    assert Conclusion.objects.count() == 5
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("No snapshot matches" in m for m in messages)


@pytest.mark.parametrize("query", ["foo=bar", "snapshot__id__exact=abc", "id=abc"])
@pytest.mark.parametrize("model", [kind.model for kind in CONTENT])
def test_an_export_with_bad_filters_answers_like_the_changelist(
    seed, editor_client, model, query
):
    """Filters the changelist refuses send the export back without them, not a 500."""
    name = model._meta.model_name
    changelist = editor_client.get(
        f"{reverse(f'admin:reviews_{name}_changelist')}?{query}"
    )
    url = reverse(f"admin:reviews_{name}_export")
    response = editor_client.get(f"{url}?{query}")
    assert response.status_code == changelist.status_code
    if changelist.status_code == 302:
        assert response["Location"] == f"{url}?e=1"
        assert editor_client.get(response["Location"]).status_code == 200
