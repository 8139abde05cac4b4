"""
The editors' admin: a page per kind of content, uploads and the workbook,
history and conflicts.
"""
