"""The suite runs on the database DATABASE_URL names, SQLite or PostgreSQL."""

import os

import pytest
from django.db import connection


@pytest.mark.django_db
def test_suite_runs_on_the_configured_database():
    """CI's PostgreSQL run really talks to PostgreSQL, not to a SQLite fallback."""
    url = os.environ.get("DATABASE_URL", "sqlite://")
    expected = "postgresql" if url.startswith(("postgres", "postgresql")) else "sqlite"
    assert connection.vendor == expected
