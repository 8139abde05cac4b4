"""
First-run set-up for `make run`: seed content, published, and an administrator.

Safe to run every time: it loads the seed content only into an empty
database and creates the administrator only when there is none, so a second
`make run` keeps everything editors have done.
"""

import secrets

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from reviews.models import Snapshot, StakeholderGroup
from reviews.publishing import workflow

ADMIN_USERNAME = "admin"
#: Why the seed's translations may differ from their source in emphasis.
SEED_DIFFERENCES = (
    "As in the source documents: the Spanish one puts phrases of three "
    "conclusions in bold, the English one does not."
)


class Command(BaseCommand):
    help = (
        "Load the seed snapshot into an empty database and create the first "
        "administrator with a random password, printed once."
    )

    def handle(self, *args, **options):
        self.load_seed_content()
        self.create_administrator()

    def load_seed_content(self):
        if Snapshot.objects.exists() or StakeholderGroup.objects.exists():
            self.stdout.write(
                "Content already present: the seed content was not loaded."
            )
            return
        call_command("loaddata", "snapshot", verbosity=0)
        # A first version of everything, so the first edit has something to
        # be compared with, and undone to.
        call_command("createinitialrevisions", comment="Seed content", verbosity=0)
        # The seed is the source documents' content, complete: its first
        # publication, so the public site shows it at once.
        for snapshot in Snapshot.objects.all():
            workflow.publish(snapshot, user=None, parity_note=SEED_DIFFERENCES)
        self.stdout.write(
            self.style.SUCCESS(
                "Loaded and published the seed snapshot (fixtures/snapshot.json)."
            )
        )

    @transaction.atomic
    def create_administrator(self):
        User = get_user_model()
        if User.objects.filter(is_superuser=True).exists():
            self.stdout.write(
                "An administrator already exists; its password was printed when it "
                "was created. To set a new one: .venv/bin/python manage.py "
                "changepassword <username>"
            )
            return
        password = secrets.token_urlsafe(12)
        User.objects.create_superuser(ADMIN_USERNAME, email="", password=password)
        self.stdout.write(
            self.style.SUCCESS(
                "\nCreated the administrator account. It is shown only this once:\n"
                f"  user name: {ADMIN_USERNAME}\n"
                f"  password:  {password}\n"
                "Sign in at http://127.0.0.1:8000/admin/\n"
            )
        )
