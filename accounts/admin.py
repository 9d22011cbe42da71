"""The admin's login asks for the authenticator code of those who have set one up."""

from django.contrib import admin

from .forms import LoginForm

admin.site.login_form = LoginForm
