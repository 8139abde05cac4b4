"""
The admin's "View on site" redirect (``/admin/r/<content type>/<id>/``),
answering as the public would for a user who may not see working copies.

Django's own ``contenttypes.views.shortcut`` redirects any staff user to any
object's address, so a staff user without rights would learn where a draft
will be published. Here an object of a snapshot that is not on the site
answers 404 to a user who may not see its working copy, as its own address
does for that user.
"""

from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.views import shortcut
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404

from reviews.content import kind_of
from reviews.models import Snapshot
from reviews.publishing.models import Publication


def view_on_site(request, content_type_id, object_id):
    try:
        model = ContentType.objects.get_for_id(content_type_id).model_class()
    except (ObjectDoesNotExist, ValueError):
        model = None
    kind = kind_of(model, default=None) if model is not None else None
    if kind is not None:
        try:
            snapshots = kind.snapshots([object_id])
        except ValueError:
            raise Http404 from None
        on_site = Publication.objects.current().values("snapshot")
        visible = Snapshot.objects.filter(
            pk__in=on_site
        ) | Snapshot.objects.editable_by(request.user)
        if not visible.filter(pk__in=snapshots.values("pk")).exists():
            raise Http404
    return shortcut(request, content_type_id, object_id)
