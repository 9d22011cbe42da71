"""Root URLs: public pages under a language prefix (/pl/, /en/), admin and media."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from archive.sitemaps import robots_txt
from search import views as search_views

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path(settings.MEDIA_URL.lstrip("/"), include("media.urls")),
    path("api/v1/", include("search.api_urls")),
    path("api/v1/", include("api.urls")),
    path("oai/", include("interop.oai_urls")),
    path("iiif/image/", include("media.iiif_urls")),
    path("iiif/", include("interop.iiif_urls")),
    path("healthz", search_views.healthz, name="healthz"),
    path("sitemap.xml", include("archive.sitemaps")),
    path("robots.txt", robots_txt, name="robots"),
]

urlpatterns += i18n_patterns(
    path("admin/two-factor/", include("accounts.urls")),
    path("admin/", admin.site.urls),
    path("", include("archive.urls")),
    path("", include("curation.urls")),
    path("", include("contributions.urls")),
    path("search/", include("search.urls")),
    prefix_default_language=True,
)

urlpatterns.append(path("favicon.ico", RedirectView.as_view(url="/static/favicon.svg")))

# Errors no view answers: JSON in the API's shape under /api/, the site's pages elsewhere.
handler400 = "api.exceptions.bad_request"
handler403 = "api.exceptions.permission_denied"
handler404 = "api.exceptions.page_not_found"
# config.busy: an outage (database, media storage) met outside a view is a 503, not a 500.
handler500 = "config.busy.server_error"
