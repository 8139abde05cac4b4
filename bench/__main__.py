"""``python -m bench`` (``make bench``): the load test, then the spreadsheets."""

import os
import sys

import django
from django.core.management import call_command


def main(argv):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reviewsite.settings")
    django.setup()
    from bench import site

    call_command(site.Command(), *argv)


if __name__ == "__main__":
    main(sys.argv[1:])
