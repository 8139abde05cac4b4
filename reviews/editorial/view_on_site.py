"""
The admin's "View on site" redirect (``/admin/r/<content type>/<id>/``),
answering as the public would for a user who may not preview drafts.

Django's own ``contenttypes.views.shortcut`` redirects any staff user to any
object's address, so a staff user without rights would learn where a draft
will be published. Here an object of a snapshot nobody may see yet answers
404, exactly like the draft's own address does for that user.
"""

from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.views import shortcut
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404

from reviews.content import kind_of
from reviews.models import Snapshot


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
        visible = Snapshot.objects.visible_to(request.user)
        if not visible.filter(pk__in=snapshots.values("pk")).exists():
            raise Http404
    return shortcut(request, content_type_id, object_id)
