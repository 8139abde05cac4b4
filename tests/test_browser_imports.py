"""A translator's round trips through the workbook and XLIFF, in Debian's Chromium."""

import io

import openpyxl
import pytest
from translate.storage import xliff

from reviews.groups import TRANSLATORS

from .conftest import PASSWORD, group_member
from .pages import screenshot
from .spreadsheets import with_formatted_empty_rows

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TRANSLATION = "Texto revisado por la traductora."


def translated(content):
    """The downloaded workbook with the first conclusion's Spanish rewritten."""
    book = openpyxl.load_workbook(io.BytesIO(content))
    sheet = book["conclusions"]
    headers = [cell.value for cell in sheet[1]]
    old = sheet.cell(row=2, column=headers.index("text_es") + 1).value
    sheet.cell(row=2, column=headers.index("text_es") + 1, value=TRANSLATION)
    out = io.BytesIO()
    book.save(out)
    return old, with_formatted_empty_rows(out.getvalue())


def sign_in(page):
    page.fill("#id_username", "editor")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")


def test_translator_round_trip_with_preview_and_undo(
    seed,
    editor,
    open_page,
    tmp_path,
):
    """
    Download, translate, upload, see the cell's change, confirm, see it in
    the working copy's preview (not on the public page), undo it.
    """
    page = open_page(f"/admin/reviews/snapshot/{seed.pk}/change/")
    sign_in(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Export workbook").click()
    old, content = translated(download.value.path().read_bytes())
    path = tmp_path / "snapshot.xlsx"
    path.write_bytes(content)

    page.get_by_role("link", name="Import workbook").click()
    page.set_input_files("input[type=file]", str(path))
    page.get_by_role("button", name="Preview").click()
    changed = page.locator(".import-changes li.row")
    assert changed.count() == 1
    assert changed.locator(".new").inner_text() == TRANSLATION
    assert changed.locator(".old").inner_text() == old
    assert "conclusions: 0 new, 1 changed, 4 unchanged" in page.inner_text("body")
    screenshot(page, "workbook-preview-1280")
    page.set_viewport_size({"width": 360, "height": 900})
    assert page.evaluate("document.querySelector('.import-changes').scrollWidth") <= 360
    screenshot(page, "workbook-preview-360")
    page.set_viewport_size({"width": 1280, "height": 900})

    page.get_by_role("button", name="Confirm import").click()
    assert "The workbook has been imported: 1 updated, 0 new." in page.inner_text(
        "body"
    )
    screenshot(page, "workbook-imported-1280")
    # The working copy has it, as its preview shows; the public, not yet.
    public = open_page("/es/")
    assert TRANSLATION not in public.inner_text("#conclusions")
    preview = page.context.new_page()
    preview.goto(
        page.url.split("/admin/")[0] + f"/admin/reviews/snapshot/{seed.pk}/preview/es/"
    )
    assert TRANSLATION in preview.inner_text("#conclusions")

    page.get_by_role("button", name="Undo this change").click()
    assert "Undone: Workbook import of snapshot.xlsx" in page.inner_text("body")
    preview.reload()
    assert TRANSLATION not in preview.inner_text("#conclusions")
    assert " ".join(old.split()[:4]) in preview.inner_text("#conclusions")


def test_a_translator_sees_the_changed_word_of_an_xliff_highlighted(
    seed, open_page, tmp_path
):
    """In the XLIFF preview the one changed word stands out, styled by admin.css."""
    group_member("translator", TRANSLATORS)
    page = open_page(f"/admin/reviews/snapshot/{seed.pk}/change/")
    page.fill("#id_username", "translator")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    with page.expect_download() as download:
        page.get_by_role("link", name="Export XLIFF (es)").click()
    store = xliff.xlifffile.parsestring(download.value.path().read_bytes())
    unit = next(u for u in store.units if u.getid().endswith("conclusions/1/text"))
    unit.settarget(unit.target.replace("región", "zona", 1), lang="es")
    path = tmp_path / "snapshot.es.xlf"
    path.write_bytes(bytes(store))
    page.get_by_role("link", name="Import XLIFF (es)").click()
    page.set_input_files("input[type=file]", str(path))
    page.get_by_role("button", name="Preview").click()
    inserted = page.locator(".import-changes .new ins")
    assert inserted.all_inner_texts() == ["zona"]
    background = inserted.evaluate("e => getComputedStyle(e).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent")
    screenshot(page, "xliff-preview-1280")
