"""Anonymous rate limit whose rate is read on every request.

DRF's own throttles copy the rates when their module is imported, so a changed setting
(an environment variable at start-up is fine, a test's override is not) would be ignored.
"""

from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle


class AnonymousRateThrottle(AnonRateThrottle):
    """Limits requests without a logged-in user or token, per client address."""

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def allow_request(self, request, view):
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)
