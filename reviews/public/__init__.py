"""
What readers see: the snapshot's pages, charts, downloads, share images,
structured data and sitemap.
"""
