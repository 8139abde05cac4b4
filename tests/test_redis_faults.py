"""Redis down or hung: pictures, import previews and confirmations never answer 500."""

import contextlib
import os
import signal

import pytest
from django.contrib.messages import get_messages
from django.test import override_settings

from reviews.models import Conclusion
from reviews.spreadsheets.workbook import export_workbook

from .spreadsheets import confirm, csv_bytes, preview
from .test_page_cache import DEAD_REDIS
from .test_workbook import edit, import_url, upload

SLUG = "regional-review-latin-america-caribbean-2021"
PICTURES = ["share.png", "charts/participation.png", "charts/timeline.png"]
SHARED_UPLOADS = "reviews.spreadsheets.storage.UploadCacheStorage"
MESSAGE = "cannot be stored or read for its confirmation right now"


@contextlib.contextmanager
def hung(redis_server):
    """Redis stops answering (SIGSTOP), as a hung server does, then resumes."""
    os.kill(redis_server.process.pid, signal.SIGSTOP)
    try:
        yield
    finally:
        os.kill(redis_server.process.pid, signal.SIGCONT)


@pytest.fixture(params=["down", "hung"])
def redis_fault(request, settings):
    """Enter the returned context for Redis to be down (nobody listens) or hung."""
    settings.IMPORT_EXPORT_TMP_STORAGE_CLASS = SHARED_UPLOADS
    if request.param == "down":
        return lambda: override_settings(CACHES=DEAD_REDIS)
    request.getfixturevalue("shared_cache")
    return lambda: hung(request.getfixturevalue("redis_server"))


def conclusions_sheet(text):
    conclusion = Conclusion.objects.order_by("snapshot_id", "order").first()
    return csv_bytes(
        ["snapshot", "order", "text_en", "text_es"],
        [[SLUG, conclusion.order, text, conclusion.text_es]],
    )


@pytest.mark.parametrize("picture", PICTURES)
def test_pictures_are_drawn_without_the_cache(seed, client, redis_fault, picture):
    """share.png and the chart PNGs: 200 and a PNG, drawn from the database."""
    with redis_fault():
        response = client.get(f"/en/snapshots/{SLUG}/{picture}")
    assert response.status_code == 200
    assert response.content.startswith(b"\x89PNG")


def test_a_changelist_preview_says_it_cannot_be_kept(seed, editor_client, redis_fault):
    """The upload cannot wait for its confirmation: 503, saying so, no confirm form."""
    with redis_fault():
        response = preview(editor_client, "conclusion", conclusions_sheet("New."))
    assert response.status_code == 503
    assert MESSAGE in response.content.decode()
    assert "confirm_form" not in response.context


def test_a_changelist_confirmation_waits_for_the_storage(
    seed, editor_client, redis_fault
):
    """Confirming while Redis is away imports nothing, says why, and works later."""
    response = preview(editor_client, "conclusion", conclusions_sheet("Later."))
    assert response.status_code == 200
    with redis_fault():
        refused = confirm(editor_client, "conclusion", response)
    assert refused.status_code == 302
    assert any(MESSAGE in str(m) for m in get_messages(refused.wsgi_request))
    assert not Conclusion.objects.filter(text_en="Later.").exists()
    assert confirm(editor_client, "conclusion", response).status_code == 302
    assert Conclusion.objects.filter(text_en="Later.").exists()


def test_a_workbook_preview_and_confirmation_say_they_cannot_be_kept(
    seed, editor_client, redis_fault
):
    """The workbook: 503 with the message, for its preview and its confirmation."""
    content = edit(export_workbook(seed), "conclusions", 2, "text_es", "Nuevo.")
    with redis_fault():
        response = editor_client.post(import_url(seed), {"workbook": upload(content)})
    assert response.status_code == 503
    assert MESSAGE in response.content.decode()
    previewed = editor_client.post(import_url(seed), {"workbook": upload(content)})
    with redis_fault():
        response = editor_client.post(
            import_url(seed),
            {"confirm": "1", **previewed.context["confirm_form"].initial},
        )
    assert response.status_code == 503
    assert MESSAGE in response.content.decode()
    assert not Conclusion.objects.filter(text_es="Nuevo.").exists()
