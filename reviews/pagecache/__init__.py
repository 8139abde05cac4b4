"""
The public pages kept for every app server, dropped when content changes: the
content app never imports it, the cache listens.
"""
