"""
Snapshots as spreadsheets: the cell rules, the file formats people save, one
resource per kind of content, the whole-snapshot workbook, and imports with
their preview, conflicts and undo.
"""
