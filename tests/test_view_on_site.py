"""The admin's "View on site" redirect does not give away a draft's address."""

import pytest
from django.contrib.contenttypes.models import ContentType

from reviews.models import Conclusion, StakeholderGroup


def view_on_site(obj):
    content_type = ContentType.objects.get_for_model(obj)
    return f"/admin/r/{content_type.pk}/{obj.pk}/"


def test_staff_without_rights_get_404_for_a_draft(
    draft, client, staff_without_permissions
):
    """A staff user who may not preview learns nothing of a draft's address."""
    client.force_login(staff_without_permissions)
    response = client.get(view_on_site(draft))
    assert response.status_code == 404
    assert draft.slug not in response.content.decode()


def test_staff_without_rights_get_404_for_a_drafts_content(
    draft, client, staff_without_permissions
):
    """The same for anything inside the draft, such as a conclusion."""
    client.force_login(staff_without_permissions)
    conclusion = Conclusion.objects.filter(snapshot=draft).first()
    assert client.get(view_on_site(conclusion)).status_code == 404


def test_an_editor_is_sent_to_the_draft_preview(draft, editor_client):
    """Editors, who may preview drafts, are redirected to the draft."""
    response = editor_client.get(view_on_site(draft))
    assert response.status_code == 302
    assert response["Location"].endswith(draft.get_absolute_url())


def test_anyone_on_staff_is_sent_to_a_published_snapshot(
    seed, client, staff_without_permissions
):
    """A published snapshot's address is public anyway."""
    client.force_login(staff_without_permissions)
    response = client.get(view_on_site(seed))
    assert response.status_code == 302
    assert response["Location"].endswith(seed.get_absolute_url())


def test_visitors_are_asked_to_sign_in(draft, client):
    """Without signing in, the admin's login page, not the address."""
    response = client.get(view_on_site(draft))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
    assert draft.slug not in response["Location"]


@pytest.mark.parametrize(
    "path", ["/admin/r/999999/1/", "/admin/r/abc/1/", "/admin/r/1/not-a-number/"]
)
def test_bad_addresses_answer_404(seed, admin_client, path):
    """Unknown content types and objects answer 404, never 500."""
    assert admin_client.get(path).status_code == 404


def test_an_object_without_a_page_answers_404(seed, admin_client):
    """A stakeholder group has no page of its own."""
    group = StakeholderGroup.objects.first()
    assert admin_client.get(view_on_site(group)).status_code == 404
