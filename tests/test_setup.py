"""`make run`'s first-run set-up and the settings' safety rails."""

import os
import re
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from reviews.models import Snapshot, StakeholderCount

from .conftest import PASSWORD

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.django_db


def setup_site():
    out = StringIO()
    call_command("setup_site", stdout=out)
    return out.getvalue()


def printed_password(output):
    match = re.search(r"password:\s+(\S+)", output)
    return match and match.group(1)


def test_first_run_loads_the_seed_and_prints_working_credentials(client):
    """A newcomer gets the snapshot and an administrator she can sign in as."""
    output = setup_site()
    assert Snapshot.objects.get().registered_total == 982
    assert "user name: admin" in output
    password = printed_password(output)
    assert password and len(password) >= 12
    response = client.post(
        reverse("admin:login"),
        {"username": "admin", "password": password, "next": reverse("admin:index")},
    )
    assert response.status_code == 302
    assert client.get(reverse("admin:index")).context["user"].is_superuser


def test_second_run_keeps_the_data_and_prints_no_password():
    """Running `make run` again changes nothing editors did."""
    setup_site()
    StakeholderCount.objects.filter(group__slug="others").update(count=171)
    output = setup_site()
    assert printed_password(output) is None
    assert StakeholderCount.objects.get(group__slug="others").count == 171
    assert Snapshot.objects.count() == 1


def test_passwords_are_random(django_user_model):
    """Two first runs never share a password."""
    first = printed_password(setup_site())
    django_user_model.objects.all().delete()
    second = printed_password(setup_site())
    assert first != second


def settings_import(**env):
    """Import the settings in a fresh interpreter, as a server would."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    environment.pop("DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-c", "import reviewsite.settings"],
        cwd=ROOT,
        env=environment | env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_refuses_to_start_without_a_secret_key():
    """A deployment that forgot its secret key stops instead of running unsafely."""
    result = settings_import(
        DJANGO_ENV="production", DATABASE_URL="postgres://u:p@127.0.0.1/db"
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set in production." in result.stderr


def test_production_refuses_to_start_without_a_database_url():
    """Production never falls back to a SQLite file by accident."""
    result = settings_import(DJANGO_ENV="production", DJANGO_SECRET_KEY="x" * 50)
    assert result.returncode != 0
    assert "DATABASE_URL must be set in production." in result.stderr


def test_local_settings_start_with_safe_defaults(tmp_path):
    """Locally the site starts with no configuration and debug off."""
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from reviewsite import settings as s; print(s.DEBUG, bool(s.SECRET_KEY))",
        ],
        cwd=ROOT,
        env={"PATH": os.environ["PATH"], "DJANGO_VAR_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.split() == ["False", "True"]
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_an_empty_database_url_means_the_default(tmp_path):
    """DATABASE_URL= left empty, as .env.example may, is SQLite in var/."""
    result = settings_import(DATABASE_URL="", DJANGO_VAR_DIR=str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "db.sqlite3").exists()


def test_the_local_folder_and_database_are_the_owners_only(tmp_path):
    """var/ is created 0700 and the SQLite file 0600, before SQLite writes it."""
    folder = tmp_path / "var"
    result = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=ROOT,
        env={"PATH": os.environ["PATH"], "DJANGO_VAR_DIR": str(folder)},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert folder.stat().st_mode & 0o777 == 0o700
    for name in ("db.sqlite3", "secret_key"):
        assert (folder / name).stat().st_mode & 0o777 == 0o600


def test_sessions_last_a_working_day(editor, client, settings):
    """A sign-in expires after DJANGO_SESSION_HOURS, eight by default."""
    assert settings.SESSION_COOKIE_AGE == 8 * 60 * 60
    client.post(
        reverse("admin:login"),
        {"username": "editor", "password": PASSWORD, "next": reverse("admin:index")},
    )
    assert client.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == 8 * 60 * 60
