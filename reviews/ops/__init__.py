"""
What running the site needs: health checks, request limits, the inline-
attribute policy and the client's address.
"""
