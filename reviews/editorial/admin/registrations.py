"""The warning every page that changes registration figures gives editors."""

from django.contrib import messages
from django.utils.translation import gettext as _


def warn_about_registration_headline(request, snapshot):
    """Tell the editor when "more than N registered" disagrees with the groups."""
    total = snapshot.registered_total
    for figure in snapshot.registration_headline_mismatches():
        messages.warning(
            request,
            _(
                "The timeline says “%(figure)s” but the stakeholder groups add "
                "up to %(total)s registered participants. Correct one of them."
            )
            % {"figure": figure, "total": total},
        )
