"""
Translation status: for every translated text, whether its translation is
missing, stale (its source changed since) or translated, and whether it
states the same figures, links and emphasis as its source
(README: "Translation").
"""
