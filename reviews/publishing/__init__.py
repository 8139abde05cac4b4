"""
Publishing: the working copy editors change, and the immutable, numbered
publications the public site reads (README: "Publishing").
"""
