"""
A snapshot's figures for re-use: its tables, JSON, citations and Frictionless
data package.
"""
