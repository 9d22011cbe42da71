"""The interactive API docs (Swagger UI from drf-spectacular-sidecar, no internet needed).

The split view serves Swagger UI's start-up script from its own URL, so the page runs
under the site-wide `script-src 'self'`; its template is ours only to drop the inline
<style> that `style-src 'self'` would refuse (the same rules come from a static file).
"""

from drf_spectacular.views import SpectacularSwaggerSplitView


class ApiDocsView(SpectacularSwaggerSplitView):
    template_name = "api/swagger_ui.html"
