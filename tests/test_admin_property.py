"""
Generated input to every admin add and change page of content: partial,
hostile and out-of-range values, as a browser or a bot could post them.
Never a 5xx, never a partial write, and whatever is accepted still renders
the public pages and every download.
"""

import re

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reviews.content import CONTENT

from .admin_forms import submitted
from .conftest import HOSTILE, examples

pytestmark = pytest.mark.django_db

PAGES = [
    pytest.param(kind, view, id=f"{kind.sheet}-{view}")
    for kind in CONTENT
    for view in ("add", "change")
]

odd_values = st.one_of(
    st.just(""),
    st.sampled_from(
        [
            " ",
            " \r\n\t ",
            HOSTILE,
            '=HYPERLINK("http://x")',
            "9999-12-31",
            "0001-01-01",
            "2021-02-30",
            "-1",
            str(2**63 - 1),
            str(2**31),
            "1e9",
            "NaN",
            "\x00",
            "x" * 10_001,
            "javascript:alert(1)",
            "https://example.org/" + "a" * 300,
            "Señora Pérez, 26–28 de abril",
            "on",
        ]
    ),
    st.text(max_size=40),
    st.integers(-(2**70), 2**70).map(str),
    st.dates().map(lambda day: day.isoformat()),
)


@st.composite
def edits(draw):
    """Which fields to change, and how: a new value, or left out entirely."""
    return draw(
        st.lists(
            st.tuples(st.integers(0, 10_000), st.one_of(st.none(), odd_values)),
            min_size=1,
            max_size=6,
        )
    )


def public_addresses(client):
    """/en/, /es/ and every address of the snapshot their pages link to."""
    addresses = {"/en/", "/es/", "/sitemap.xml"}
    for home in ("/en/", "/es/"):
        page = client.get(home)
        if page.status_code == 200:
            addresses.update(
                re.findall(
                    r'href="(/(?:en|es)/snapshots/[^"#]+)"', page.content.decode()
                )
            )
    return addresses


def assert_public_site_up(client, *, images):
    for address in public_addresses(client):
        # Drawing a PNG takes a tenth of a second: those once per page tested.
        if images or not address.endswith(".png"):
            assert client.get(address).status_code < 500, address


@pytest.mark.parametrize(("kind", "view"), PAGES)
def test_generated_posts_never_fail_nor_half_write(
    seed, editor_client, client, content_dump, kind, view
):
    """Each post is saved whole or refused whole, and the site stays up."""
    obj = kind.of_snapshot(seed).order_by("pk").first()
    args = [obj.pk] if view == "change" else []
    url = reverse(f"admin:reviews_{kind.model._meta.model_name}_{view}", args=args)
    # The page as the editor opened it; opened again after each accepted post.
    opened = {}

    @settings(
        max_examples=examples(14),
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(changes=edits())
    def post(changes):
        if not opened:
            opened.update(submitted(editor_client.get(url)))
        data, names = dict(opened), sorted(opened)
        for index, value in changes:
            name = names[index % len(names)]
            if value is None:
                data.pop(name, None)
            else:
                data[name] = value
        before = content_dump()
        response = editor_client.post(url, data)
        assert response.status_code < 500
        if response.status_code != 302:
            assert content_dump() == before
            return
        opened.clear()
        assert_public_site_up(client, images=False)

    post()
    assert_public_site_up(client, images=True)
