"""Reading pages and seed documents as a reader would: words, in order."""

import html
import re
from pathlib import Path

SEEDS = Path(__file__).resolve().parent / "seeds"
SCREENSHOTS = Path(__file__).resolve().parent.parent / "test-artifacts" / "screenshots"
MARKDOWN_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")


def words(text):
    """Lowercase words only: case, punctuation and dashes are typography."""
    return " ".join(re.findall(r"\w+", text.lower()))


def page_words(markup):
    """The words a reader sees in an HTML page, tags and attributes dropped."""
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", markup, flags=re.S)
    return f" {words(html.unescape(re.sub(r'<[^>]+>', ' ', body)))} "


def seed_lines(language):
    """Every non-empty line of a seed document, as words."""
    text = MARKDOWN_LINK.sub(r"\1", (SEEDS / f"{language}.txt").read_text())
    return [line for line in map(words, text.splitlines()) if line]


def missing_lines(markup, language):
    shown = page_words(markup)
    return [line for line in seed_lines(language) if f" {line} " not in shown]


def screenshot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=path, full_page=True)
    print(f"Screenshot: {path}")


def style_attributes(markup):
    """The elements of an HTML page that carry a style attribute (text is not one)."""
    return re.findall(r"<[a-zA-Z][^>]*\sstyle=", markup)
