"""Generated requests, with random query strings and headers, never get a 5xx."""

from urllib.parse import quote, urlencode

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reviews.content import CONTENT

#: Examples of query string and headers; each goes to every target below, so
#: this many times the targets' count are sent (over 1,000).
EXAMPLES = 35

SLUG = "regional-review-latin-america-caribbean-2021"
PUBLIC = [
    "/",
    "/en/",
    "/es/",
    f"/en/snapshots/{SLUG}/",
    f"/es/snapshots/{SLUG}/data.json",
    f"/en/snapshots/{SLUG}/data/stakeholders.csv",
    f"/en/snapshots/{SLUG}/citation.ris",
    "/sitemap.xml",
    "/healthz",
    "/en/no/such/page/",
]
ANONYMOUS_ADMIN = ["/admin/", "/admin/login/", "/admin/reviews/conclusion/"]
EDITOR_ADMIN = [
    "/admin/",
    "/admin/reviews/snapshot/",
    "/admin/reviews/snapshot/{pk}/change/",
    "/admin/reviews/snapshot/{pk}/history/",
    *(f"/admin/reviews/{kind.model._meta.model_name}/" for kind in CONTENT[:3]),
    *(f"/admin/reviews/{kind.model._meta.model_name}/export/" for kind in CONTENT),
]

# Names the site and the admin read, and anything else.
keys = st.one_of(
    st.sampled_from(
        [
            "q",
            "o",
            "p",
            "e",
            "all",
            "_popup",
            "_to_field",
            "_changelist_filters",
            "snapshot__id__exact",
            "snapshot",
            "id__in",
            "status__exact",
            "format",
            "language",
            "page",
        ]
    ),
    st.text(max_size=12),
)
values = st.one_of(
    st.sampled_from(["", "1", "-1", "abc", "0.5", "99999999999999999999", "%ff"]),
    st.text(max_size=30),
)
queries = st.one_of(
    st.lists(st.tuples(keys, values), max_size=4).map(urlencode),
    # What a client may send that urlencode never writes.
    st.text(max_size=40).map(lambda text: quote(text, safe="=&%;+[]")),
)
header_names = st.sampled_from(
    [
        "HTTP_ACCEPT_LANGUAGE",
        "HTTP_ACCEPT",
        "HTTP_X_FORWARDED_FOR",
        "HTTP_X_FORWARDED_PROTO",
        "HTTP_IF_NONE_MATCH",
        "HTTP_IF_MODIFIED_SINCE",
        "HTTP_RANGE",
        "HTTP_REFERER",
        "HTTP_USER_AGENT",
        "HTTP_COOKIE",
        "HTTP_HOST",
    ]
)
# As a WSGI server hands them over: bytes read as ISO-8859-1, so UTF-8 text
# arrives as its bytes; never a line break.
header_values = st.one_of(
    st.sampled_from(["es", "en-GB,en;q=0.9", "*", "1.2.3.4, not-an-ip", "[::1]:80"]),
    st.text(alphabet=st.characters(blacklist_categories=["Cs", "Cc"]), max_size=40).map(
        lambda text: text.encode().decode("iso-8859-1")
    ),
)
headers = st.dictionaries(header_names, header_values, max_size=4)


@pytest.mark.django_db(transaction=False)
def test_generated_requests_never_get_a_server_error(seed, editor):
    """Public, admin and export URLs, anonymous or as an editor: 0 answers of 5xx."""
    anonymous = Client(raise_request_exception=False)
    signed_in = Client(raise_request_exception=False)
    signed_in.force_login(editor)
    targets = [(anonymous, path) for path in PUBLIC + ANONYMOUS_ADMIN] + [
        (signed_in, path.format(pk=seed.pk)) for path in EDITOR_ADMIN
    ]
    sent = []

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(query=queries, extra=headers)
    def send(query, extra):
        for client, path in targets:
            # The editor's session cookie stays; a cookie of its own would
            # only make the editor anonymous.
            sent_headers = (
                extra
                if client is anonymous
                else {k: v for k, v in extra.items() if k != "HTTP_COOKIE"}
            )
            response = client.get(f"{path}?{query}", **sent_headers)
            sent.append(response.status_code)
            assert response.status_code < 500, (path, query, sent_headers)

    send()
    assert len(sent) >= 1000
