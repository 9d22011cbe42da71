"""The archivist's desk on the admin's home page (templates/admin/index.html)."""

from django import template

from archive import desk

register = template.Library()


@register.inclusion_tag("admin/archive/desk/desk.html", takes_context=True)
def archivist_desk(context) -> dict:
    """The desk's queues and recent work, for those who may see items; nothing otherwise."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.has_perm("archive.view_item"):
        return {"desk": None}
    return {"desk": desk.desk(user)}
