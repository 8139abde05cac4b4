"""
The editors' admin, one module per area of the snapshot.

Every kind of content in the content map (``reviews.content``) has its own
changelist, so it can be searched, filtered, imported and exported as a
spreadsheet, and also appears as an inline under its parent, where editors
usually work. English and Spanish (every language of the site) sit in tabs.
The snapshot's page also exports and imports the whole snapshot as one
workbook (``workbook``).
"""

from reviews.editorial.admin import meetings, snapshots, stakeholders, timeline  # noqa: F401 (registers)
