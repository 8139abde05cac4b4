"""
A kind of content added the way the README says (a model and its entry in
the content map), for tests/test_groups.py, which migrates a project with it.
"""
