"""
Every kind of content has each place the README's "Adding a kind of
content" lists, and the README lists exactly the places checked here.
"""

import json
import re
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib import admin
from django.core.management import call_command
from django.db import models
from django.utils import translation
from modeltranslation.fields import TranslationField
from modeltranslation.translator import translator

from reviews.content import CONTENT, kind_of
from reviews.models import CONTENT_PERMISSIONS
from reviews.spreadsheets.resources import resource_for

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()
KINDS = [pytest.param(kind, id=kind.sheet) for kind in CONTENT]


def has_model(kind):
    model = kind.model
    return tuple(
        model._meta.default_permissions
    ) == CONTENT_PERMISSIONS and "__str__" in vars(model)


def has_entry(kind):
    return kind_of(kind.model) is kind


def free_text(model):
    """Text fields a person writes: not keys, addresses or choices."""
    return [
        field
        for field in model._meta.get_fields()
        if isinstance(field, models.CharField | models.TextField)
        and not isinstance(field, models.SlugField | models.URLField)
        and not field.choices
        and not isinstance(field, TranslationField)
    ]


def has_translated_fields(kind):
    """A kind with texts of its own translates them; one without has none."""
    registered = kind.model in translator.get_registered_models()
    return registered == bool(free_text(kind.model))


def has_migration(kind):
    # The whole project at once: nothing of any kind is left unmigrated.
    call_command("makemigrations", "--check", "--dry-run", stdout=StringIO())
    return True


def has_resource(kind):
    return resource_for(kind.model) is not None


def has_admin(kind):
    return admin.site.is_registered(kind.model)


def page_sources():
    """The public page's templates and the code that builds their data."""
    sources = [
        *(ROOT / "templates").rglob("*.*"),
        *(ROOT / "reviews/public").rglob("*.py"),
    ]
    return "".join(path.read_text() for path in sources)


def is_shown(kind):
    """The page's templates or the public app read it, by relation or by model."""
    name = kind.path_from_snapshot.rpartition("__")[2] or "snapshot"
    sources = page_sources()
    return bool(
        re.search(rf"[.\"']{name}(\b|__)", sources)
        or re.search(rf"\b{kind.model.__name__}\.objects\b", sources)
    )


def is_in_seed(kind):
    rows = json.loads((ROOT / "fixtures/snapshot.json").read_text())
    return any(row["model"] == kind.model._meta.label_lower for row in rows)


def has_column_row(kind):
    return f"| `{kind.sheet}` |" in README


def has_catalogue_entry(kind):
    meta = kind.model._meta
    english = (str(meta.verbose_name), str(meta.verbose_name_plural))
    with translation.override("es"):
        spanish = (str(meta.verbose_name), str(meta.verbose_name_plural))
    return all(es != en for es, en in zip(spanish, english, strict=True))


#: The README's list, in its order: the path each item names, and its check.
PLACES = [
    ("reviews/models.py", has_model),
    ("reviews/content.py", has_entry),
    ("reviews/translation.py", has_translated_fields),
    ("makemigrations reviews", has_migration),
    ("reviews/spreadsheets/resources.py", has_resource),
    ("reviews/editorial/admin/", has_admin),
    ("templates/reviews/snapshot_detail.html", is_shown),
    ("fixtures/snapshot.json", is_in_seed),
    ("column table", has_column_row),
    ("make messages", has_catalogue_entry),
]


def readme_places():
    section = README.split("### Adding a kind of content", 1)[1].split("\n\n#", 1)[0]
    return re.findall(r"^\d+\. (.+?)(?=^\d+\. |\n\n)", section, re.M | re.S)


def test_the_readme_lists_exactly_the_places_checked_here():
    """Each numbered place in the README is one checked here, in order."""
    items = readme_places()
    assert len(items) == len(PLACES), items
    for item, (path, _check) in zip(items, PLACES, strict=True):
        assert path in " ".join(item.split()), (path, item)


@pytest.mark.django_db
@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_of_content_has_each_place(kind):
    """A kind of content missing one of the README's places is caught here."""
    missing = [path for path, check in PLACES if not check(kind)]
    assert missing == []


def test_every_model_of_the_content_app_is_in_the_content_map():
    """A model added to the content app without its entry in CONTENT is caught."""
    mapped = {kind.model for kind in CONTENT}
    assert set(apps.get_app_config("reviews").get_models()) == mapped
