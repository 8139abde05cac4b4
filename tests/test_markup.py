"""Long texts keep their emphasis and links, and never carry HTML or scripts."""

import re

import pytest

from reviews.markup import render_inline_markup, render_markup


def test_bold_becomes_strong():
    """The Spanish document's **bold** is shown as emphasis."""
    html = render_markup("el **Pacto Mundial** para la Migración")
    assert html == "<p>el <strong>Pacto Mundial</strong> para la Migración</p>"


def test_paragraphs_lists_and_autolinks():
    """Blank lines, '- ' items and <https://…> links render as a reader expects."""
    html = render_markup(
        "Uno.\n\n- dos\n- tres\n\n(see <https://pactomigracion.cepal.org/en>)"
    )
    assert html.count("<p>") == 2
    assert "<li>dos</li>" in html
    assert (
        '<a class="url" href="https://pactomigracion.cepal.org/en" rel="noopener">'
        "https://pactomigracion.cepal.org/en</a>"
    ) in html


@pytest.mark.parametrize(
    "payload",
    [
        "<script>alert(1)</script>",
        '"><img src=x onerror=alert(1)>',
        "[click](javascript:alert(1))",
        "<a href='https://x' onclick='alert(1)'>x</a>",
        "<iframe src=https://example.org></iframe>",
    ],
)
def test_html_and_script_urls_never_survive(payload):
    """Whatever an editor types, no element or handler reaches the page."""
    html = render_markup(payload)
    tags = re.findall(r"<(/?)(\w+)([^>]*)>", html)
    assert tags, html
    for _closing, name, attributes in tags:
        assert name in {"p", "strong", "em", "ul", "ol", "li", "a", "br"}
        assert set(re.findall(r"\s([\w-]+)=", attributes)) <= {"href", "rel"}
    assert 'href="javascript' not in html


def test_inline_markup_drops_the_paragraph():
    """A one-paragraph text fits inside a list item or table cell."""
    assert render_inline_markup("**200** participantes") == (
        "<strong>200</strong> participantes"
    )
    assert render_inline_markup("") == ""


def test_only_a_link_named_by_its_address_is_marked_so():
    """Print spells out other links' addresses, never one already shown."""
    html = str(render_markup("[the site](https://a.org) or <https://b.org>"))
    assert '<a href="https://a.org" rel="noopener">the site</a>' in html
    assert (
        '<a class="url" href="https://b.org" rel="noopener">https://b.org</a>' in html
    )
