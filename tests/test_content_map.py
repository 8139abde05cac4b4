"""One map of a snapshot's content: what derives from it, and updated_at."""

import datetime
import io
import re

import openpyxl
import pytest
from django.conf import settings
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from reviews.content import CONTENT, kind_of
from reviews.models import Conclusion, Snapshot, StakeholderCount, StakeholderGroup
from reviews.spreadsheets.resources import resource_for
from reviews.spreadsheets.workbook import export_workbook

from .admin_forms import submitted
from .spreadsheets import confirm, preview

pytestmark = pytest.mark.django_db

LONG_AGO = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)
KINDS = [pytest.param(kind, id=kind.sheet) for kind in CONTENT]
# What belongs to one snapshot alone: everything but the snapshot and groups.
PARTS = [
    pytest.param(kind, id=kind.sheet)
    for kind in CONTENT
    if kind.snapshot_path and not kind.shared
]
TEXT_SUFFIX = " (edited)"


def age(*snapshots):
    """Put the snapshots' updated_at far in the past, to see it move."""
    Snapshot.objects.filter(pk__in=[s.pk for s in snapshots]).update(
        updated_at=LONG_AGO
    )


def moved(snapshot):
    snapshot.refresh_from_db()
    return snapshot.updated_at > LONG_AGO


def edited(data, model):
    """
    ``data`` (a form's or a row's values) with one value changed the way an
    editor would: a text in the default language gets words added, or else
    a number goes up by one.
    """
    suffix = f"_{settings.LANGUAGE_CODE}"
    for name, value in data.items():
        if name.endswith(suffix) and value and not value.startswith("http"):
            return {**data, name: value + TEXT_SUFFIX}
    for name in ("count", "value", "number", "order"):
        if name in data:
            return {**data, name: str(int(data[name]) + 1)}
    raise AssertionError(f"nothing to edit in {model.__name__}: {data}")


def first_of(kind, snapshot):
    return kind.of_snapshot(snapshot).order_by("pk").first()


def admin_url(model, view, *args):
    meta = model._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_{view}", args=args)


def test_every_kind_of_content_is_in_the_admin_and_has_a_resource():
    """Each entry of the map has its changelist and its spreadsheet resource."""
    for kind in CONTENT:
        assert kind.model in admin.site._registry, kind
        assert resource_for(kind.model)._meta.model is kind.model


def test_every_kind_reaches_its_snapshot_both_ways(seed):
    """Each kind's path leads from its objects to the seed and back."""
    for kind in CONTENT:
        objects = kind.of_snapshot(seed)
        assert objects.exists(), kind
        assert list(kind.snapshots(objects.values("pk"))) == [seed], kind


def test_every_natural_key_names_fields_of_its_model():
    """Natural keys are fields, so spreadsheets can name them."""
    for kind in CONTENT:
        for name in kind.natural_key:
            assert kind.model._meta.get_field(name).concrete, (kind, name)


@pytest.mark.parametrize("kind", KINDS)
def test_a_change_through_the_admin_moves_updated_at(seed, editor_client, kind):
    """Saving any kind of content on its own admin page moves its snapshot."""
    obj = first_of(kind, seed)
    url = admin_url(kind.model, "change", obj.pk)
    data = edited(submitted(editor_client.get(url)), kind.model)
    age(seed)
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.context and [
        form.errors for form in [response.context["adminform"].form]
    ]
    assert moved(seed)


def inline_pages():
    """(parent model, inline model) for every inline of the admin."""
    for model, model_admin in admin.site._registry.items():
        if model in {kind.model for kind in CONTENT}:
            for inline in model_admin.inlines:
                yield pytest.param(
                    model, inline.model, id=f"{model.__name__}-{inline.model.__name__}"
                )


@pytest.mark.parametrize(("parent", "model"), list(inline_pages()))
def test_a_change_in_an_inline_moves_updated_at(seed, editor_client, parent, model):
    """Editing a row under its parent (its inline) moves the snapshot."""
    for obj in kind_of(parent).of_snapshot(seed).order_by("pk"):
        url = admin_url(parent, "change", obj.pk)
        page = editor_client.get(url)
        [inline] = [
            inline
            for inline in page.context["inline_admin_formsets"]
            if inline.formset.model is model
        ]
        if inline.formset.forms:
            break
    data, prefix = submitted(page), inline.formset.prefix
    row = {
        name: value for name, value in data.items() if name.startswith(f"{prefix}-0-")
    }
    plain = {name.removeprefix(f"{prefix}-0-"): value for name, value in row.items()}
    changed = {
        f"{prefix}-0-{name}": value for name, value in edited(plain, model).items()
    }
    age(seed)
    response = editor_client.post(url, {**data, **changed})
    assert response.status_code == 302
    assert moved(seed)


@pytest.mark.parametrize("kind", PARTS)
def test_deleting_in_code_moves_updated_at(seed, kind):
    """Code that deletes a part of the snapshot moves the snapshot too."""
    obj = first_of(kind, seed)
    age(seed)
    obj.delete()
    assert moved(seed)


def test_a_change_to_a_shared_group_moves_every_snapshot_that_counts_it(seed):
    """A stakeholder group renamed moves each snapshot counting it, and only those."""
    other = Snapshot.objects.create(
        series_en="S", series_es="S", number=2, title_en="T", title_es="T", slug="two"
    )
    unrelated = Snapshot.objects.create(
        series_en="S", series_es="S", number=3, title_en="U", title_es="U", slug="three"
    )
    group = StakeholderGroup.objects.get(slug="academia")
    StakeholderCount.objects.create(snapshot=other, group=group, count=3)
    age(seed, other, unrelated)
    group.name_es = "Academia y centros de investigación"
    group.save()
    assert moved(seed) and moved(other)
    assert not moved(unrelated)


def test_moving_content_to_another_snapshot_moves_both(seed):
    """The snapshot a conclusion leaves has changed as much as the one it joins."""
    other = Snapshot.objects.create(
        series_en="S", series_es="S", number=2, title_en="T", title_es="T", slug="two"
    )
    conclusion = Conclusion.objects.filter(snapshot=seed).first()
    age(seed, other)
    conclusion.snapshot = other
    conclusion.save()
    assert moved(seed) and moved(other)


def sheet_of(kind, snapshot):
    """The kind's rows as exported, for an editor to change."""
    return resource_for(kind.model)().export(kind.of_snapshot(snapshot))


@pytest.mark.parametrize("kind", KINDS)
def test_a_per_model_import_moves_updated_at_only_when_it_changes(
    seed, editor_client, kind
):
    """Importing a changed sheet moves the snapshot; the unchanged one does not."""
    model = kind.model._meta.model_name
    dataset = sheet_of(kind, seed)
    unchanged = dataset.export("csv").encode()
    age(seed)
    confirm(editor_client, model, preview(editor_client, model, unchanged))
    assert not moved(seed)

    row = dict(zip(dataset.headers, dataset[0], strict=True))
    dataset[0] = tuple(edited(row, kind.model).values())
    response = preview(editor_client, model, dataset.export("csv").encode())
    assert response.status_code == 200, response.context.get("error_messages")
    assert not moved(seed)  # a preview changes nothing
    confirm(editor_client, model, response)
    assert moved(seed)


def workbook_with(content, sheet, change):
    book = openpyxl.load_workbook(io.BytesIO(content))
    worksheet = book[sheet]
    headers = [cell.value for cell in worksheet[1]]
    values = [cell.value for cell in worksheet[2]]
    texts = ["" if value is None else str(value) for value in values]
    row = dict(zip(headers, texts, strict=True))
    for column, value in change(row).items():
        if value != row[column]:
            cell = worksheet.cell(row=2, column=headers.index(column) + 1)
            cell.value = int(value) if isinstance(cell.value, int) else value
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def import_workbook_through_the_admin(client, snapshot, content):
    url = reverse("admin:reviews_snapshot_workbook_import", args=[snapshot.pk])
    response = client.post(url, {"workbook": SimpleUploadedFile("s.xlsx", content)})
    assert response.status_code == 200, response.context["outcome"]
    return client.post(
        url, {"confirm": "1", **response.context["confirm_form"].initial}
    )


def test_an_unchanged_workbook_import_leaves_updated_at(seed, editor_client):
    """Re-importing the workbook as exported changes nothing, not even the date."""
    age(seed)
    import_workbook_through_the_admin(editor_client, seed, export_workbook(seed))
    assert not moved(seed)


@pytest.mark.parametrize("kind", KINDS)
def test_a_workbook_import_moves_updated_at(seed, editor_client, kind):
    """A workbook with one cell changed on any sheet moves the snapshot."""
    content = workbook_with(
        export_workbook(seed), kind.sheet, lambda row: edited(row, kind.model)
    )
    age(seed)
    response = import_workbook_through_the_admin(editor_client, seed, content)
    assert response.status_code == 302
    assert moved(seed)


def test_citation_and_sitemap_follow_an_edit(client, seed, editor_client):
    """After an edit, downloads cite today's data and the sitemap says so."""
    age(seed)
    count = StakeholderCount.objects.filter(snapshot=seed).first()
    url = admin_url(StakeholderCount, "change", count.pk)
    editor_client.post(url, edited(submitted(editor_client.get(url)), StakeholderCount))
    today = timezone.now().date()
    data = client.get(f"/en/snapshots/{seed.slug}/data.json").json()
    assert data["updated"].startswith(today.isoformat())
    assert today.strftime("%B %-d, %Y") in data["citation"]
    sitemap = client.get("/sitemap.xml").content.decode()
    assert re.search(rf"<lastmod>{today.isoformat()}", sitemap)


def test_every_natural_key_is_a_unique_constraint_or_field():
    """What identifies a row in a spreadsheet is unique in the database too."""
    for kind in CONTENT:
        meta = kind.model._meta
        unique_sets = [
            set(constraint.fields)
            for constraint in meta.constraints
            if getattr(constraint, "fields", None) and not constraint.condition
        ]
        unique_sets += [{f.name} for f in meta.concrete_fields if f.unique]
        assert set(kind.natural_key) in unique_sets or any(
            # A key that holds a unique field or set is unique too.
            set(kind.natural_key) >= fields
            for fields in unique_sets
        ), kind


def test_the_admin_refuses_what_its_export_could_not_reimport(seed, editor_client):
    """Two conclusions given the same position under the snapshot are refused."""
    url = admin_url(Snapshot, "change", seed.pk)
    data = submitted(editor_client.get(url))
    response = editor_client.post(
        url, {**data, "conclusions-1-order": data["conclusions-0-order"]}
    )
    assert response.status_code == 200
    position = data["conclusions-0-order"]
    assert f"Position {position} is already taken" in response.content.decode()
    assert sorted(Conclusion.objects.values_list("order", flat=True)) == [1, 2, 3, 4, 5]
