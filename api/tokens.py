"""POST auth/token/: an API token for a username and password (and the authenticator code,
`otp_token`, for accounts with two-factor authentication; accounts.two_factor).

DRF's own view has no throttle at all; this one is limited per address before the body is
read (api.throttling.LoginRateThrottle), refuses locked-out accounts and addresses with a
429 before checking the password (django-axes, the same lockout as the admin login), and
answers in the API's error shape.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from accounts import two_factor

from .parsers import FormParser, JSONParser, MultiPartParser
from .throttling import AnonymousRateThrottle, LockedOut, LoginRateThrottle

USERNAME_LENGTH = get_user_model()._meta.get_field(get_user_model().USERNAME_FIELD).max_length


class TokenRequestSerializer(AuthTokenSerializer):
    """Username and password, bounded: nothing longer than a username can be reaches
    authentication (or the lockout's records)."""

    username = serializers.CharField(label=_("Username"), max_length=USERNAME_LENGTH)
    password = serializers.CharField(
        label=_("Password"), style={"input_type": "password"}, trim_whitespace=False,
        max_length=4096,
    )  # fmt: skip
    otp_token = serializers.CharField(
        label=_("Code from the authenticator app"),
        required=False,
        allow_blank=True,
        max_length=16,
        help_text=_("Required of accounts with two-factor authentication: the current code."),
    )

    def validate(self, attrs):
        attrs = super().validate(attrs)
        user = attrs["user"]
        if two_factor.device_of(user) is not None:
            try:
                two_factor.check_code(user, attrs.get("otp_token", ""), self.context["request"])
            except DjangoValidationError as exc:
                raise ValidationError({"otp_token": exc.messages}) from exc
        elif two_factor.required_for(user):
            raise PermissionDenied(
                _(
                    "This archive requires two-factor authentication for staff: log in to the "
                    "admin and set it up (Two-factor authentication), then ask for a token "
                    "with the code."
                )
            )
        return attrs


class TokenResponseSerializer(serializers.Serializer):
    token = serializers.CharField()


@extend_schema(
    tags=["auth"],
    request=TokenRequestSerializer,
    responses={
        200: TokenResponseSerializer,
        400: OpenApiResponse(
            description="Missing fields, a wrong username or password, or a missing or wrong "
            "otp_token for an account with two-factor authentication."
        ),
        403: OpenApiResponse(
            description="KRONIKA_REQUIRE_2FA is on and this staff account has not set up "
            "two-factor authentication yet."
        ),
        429: OpenApiResponse(
            description="Too many attempts from this address, or this account or address is "
            "locked out after failed passwords; see Retry-After."
        ),
    },
)
class ObtainToken(ObtainAuthToken):
    throttle_classes = [AnonymousRateThrottle, LoginRateThrottle]
    parser_classes = [JSONParser, FormParser, MultiPartParser]
    renderer_classes = [JSONRenderer]
    serializer_class = TokenRequestSerializer

    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        valid = serializer.is_valid()
        # django-axes marks the request when this attempt was refused, or just reached the limit.
        if getattr(request, "axes_locked_out", False):
            raise LockedOut()
        if not valid:
            raise ValidationError(serializer.errors)
        token, _created = Token.objects.get_or_create(user=serializer.validated_data["user"])
        return Response({"token": token.key})
