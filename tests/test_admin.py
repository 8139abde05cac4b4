"""Editors maintain every kind of content in the admin; nobody else can."""

import pytest
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.urls import reverse

from reviews.content import CONTENT
from reviews.models import StakeholderCount, TimelineEvent

from .admin_forms import submitted
from .conftest import start_second_issue

pytestmark = pytest.mark.django_db

CONTENT_MODELS = [kind.model for kind in CONTENT]
ACTIONS = ("add", "change", "delete", "view", "import", "export")


def admin_url(model, view, *args):
    return reverse(f"admin:reviews_{model._meta.model_name}_{view}", args=args)


def content_pages():
    """Changelist, add and change page of every content model (seeded)."""
    for model in CONTENT_MODELS:
        obj = model.objects.order_by("pk").first()
        yield admin_url(model, "changelist")
        yield admin_url(model, "add")
        yield admin_url(model, "change", obj.pk)


def granted_to(name):
    group = Group.objects.get(name=name)
    return {(p.content_type.app_label, p.codename) for p in group.permissions.all()}


CONTENT_RIGHTS = {
    ("reviews", f"{action}_{model._meta.model_name}")
    for model in CONTENT_MODELS
    for action in ACTIONS
}


def test_editors_group_holds_exactly_the_content_permissions():
    """
    Editors may do everything to snapshot content and see its publications;
    nothing to accounts, and they may not publish.
    """
    assert granted_to("Editors") == CONTENT_RIGHTS | {
        ("publishing", "view_publication")
    }


def test_publishers_also_publish_and_nothing_more():
    """Publishers hold the editors' rights and the right to publish."""
    assert granted_to("Publishers") == granted_to("Editors") | {
        ("publishing", "publish_snapshot")
    }


def test_every_admin_page_answers_an_editor(seed, editor_client):
    """Each changelist, add and change page opens for an editor."""
    for url in content_pages():
        response = editor_client.get(url)
        assert response.status_code == 200, url


def test_admin_index_lists_every_kind_of_content_in_spanish(seed, editor_client):
    """An editor whose browser asks for Spanish gets the admin in Spanish."""
    response = editor_client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="es")
    page = response.content.decode()
    for name in (
        "Instantáneas",
        "Reuniones",
        "Personas",
        "Conclusiones principales",
        "Días de la reunión",
        "Mesas redondas",
        "Cifras de participación",
        "Hitos de la línea de tiempo",
        "Cifras de la línea de tiempo",
        "Grupos de partes interesadas",
        "Cifras por grupo de partes interesadas",
    ):
        assert name in page


@pytest.mark.parametrize(
    "user", ["staff_without_permissions", "staff_with_auth_permissions"]
)
def test_staff_who_are_not_editors_cannot_open_content(seed, client, user, request):
    """Signing in to the admin is not enough to see or change the snapshot."""
    client.force_login(request.getfixturevalue(user))
    for url in content_pages():
        assert client.get(url).status_code == 403, url


def test_editor_cannot_manage_accounts(seed, editor_client):
    """Editors are not account managers."""
    for name in ("auth_user_changelist", "auth_group_changelist"):
        assert editor_client.get(reverse(f"admin:{name}")).status_code == 403


def change_count(client, count, value):
    """Open the count's page and save it with another value, as a browser does."""
    url = admin_url(StakeholderCount, "change", count.pk)
    page = client.get(url)
    if page.status_code != 200:
        return page
    return client.post(url, {**submitted(page), "count": value}, follow=True)


def test_editor_can_correct_a_figure(seed, editor_client):
    """An editor changes a count and the total follows."""
    count = StakeholderCount.objects.get(group__slug="others")
    response = change_count(editor_client, count, 171)
    assert response.status_code == 200
    count.refresh_from_db()
    assert count.count == 171
    assert seed.registered_total == 983


def test_non_editor_cannot_correct_a_figure(seed, client, staff_without_permissions):
    """A staff user without the Editors group cannot change a figure."""
    client.force_login(staff_without_permissions)
    count = StakeholderCount.objects.get(group__slug="others")
    assert change_count(client, count, 1).status_code == 403
    count.refresh_from_db()
    assert count.count == 170


def test_admin_warns_when_the_headline_disagrees_with_the_total(seed, editor_client):
    """Lowering a count below "more than 980" shows a warning, not silence."""
    count = StakeholderCount.objects.get(group__slug="others")
    response = change_count(editor_client, count, 160)
    warnings = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("add up to 972" in message for message in warnings), warnings
    page = editor_client.get(admin_url(type(seed), "change", seed.pk))
    assert "add up to 972" in page.content.decode()


def test_admin_is_quiet_when_the_headline_agrees(seed, editor_client):
    """The seed's 982 agrees with "more than 980": no warning."""
    page = editor_client.get(admin_url(type(seed), "change", seed.pk))
    assert "add up to" not in page.content.decode()


def timeline_event_form(seed, **overrides):
    data = {
        "snapshot": seed.pk,
        "title_en": "Workshop",
        "title_es": "Taller",
        "description_en": "",
        "description_es": "",
        "start_date": "2021-02-10",
        "end_date": "2021-02-11",
        "precision": "days",
        "date_prefix_en": "",
        "date_prefix_es": "",
        "figures-TOTAL_FORMS": "0",
        "figures-INITIAL_FORMS": "0",
        "figures-MIN_NUM_FORMS": "0",
        "figures-MAX_NUM_FORMS": "1000",
    }
    return data | overrides


def test_editor_adds_a_timeline_event(seed, editor_client):
    """A well-formed event in both languages is saved."""
    response = editor_client.post(
        admin_url(TimelineEvent, "add"), timeline_event_form(seed), follow=True
    )
    assert response.status_code == 200
    assert TimelineEvent.objects.filter(title_es="Taller").exists()


@pytest.mark.parametrize(
    ("overrides", "language", "message"),
    [
        (
            {"end_date": "2021-02-01"},
            "en",
            "The end date cannot be before the start date.",
        ),
        (
            {"end_date": "2021-02-01"},
            "es",
            "La fecha de término no puede ser anterior a la fecha de inicio.",
        ),
        ({"title_es": ""}, "en", "This field is required."),
        ({"title_es": ""}, "es", "Este campo es obligatorio."),
        (
            {"description_es": "<script>alert(1)</script>"},
            "en",
            "HTML tags are not allowed.",
        ),
    ],
)
def test_admin_explains_what_is_wrong(
    seed, editor_client, overrides, language, message
):
    """Bad input is shown back to the editor with a clear message, nothing saved."""
    before = TimelineEvent.objects.count()
    response = editor_client.post(
        admin_url(TimelineEvent, "add"),
        timeline_event_form(seed, **overrides),
        HTTP_ACCEPT_LANGUAGE=language,
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert TimelineEvent.objects.count() == before


def test_language_switch_needs_nothing_from_the_network(seed, editor_client):
    """The language switch's script is served by the site itself."""
    page = editor_client.get(admin_url(type(seed), "change", seed.pk)).content.decode()
    assert "/static/reviews/admin.js" in page
    assert "/static/reviews/admin.css" in page
    assert "//ajax.googleapis.com" not in page
    assert 'src="http' not in page


def test_a_stakeholder_groups_page_says_which_snapshots_count_it(
    seed, publisher, editor_client
):
    """Renaming a shared group renames it in every snapshot: its page says which."""
    second = start_second_issue(seed, publisher)
    group = seed.stakeholder_counts.order_by("order").first().group
    page = editor_client.get(
        reverse("admin:reviews_stakeholdergroup_change", args=[group.pk])
    ).content.decode()
    assert "Counted by" in page
    for snapshot in (seed, second):
        address = reverse("admin:reviews_snapshot_change", args=[snapshot.pk])
        assert f'href="{address}"' in page
    assert "a change here changes every one of them" in page


def test_a_new_stakeholder_groups_page_says_no_snapshot_counts_it(editor_client):
    """The add page has no snapshots to name, and says so."""
    response = editor_client.get(reverse("admin:reviews_stakeholdergroup_add"))
    assert response.status_code == 200
    assert "No snapshot counts this group yet." in response.content.decode()
