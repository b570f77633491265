"""Staff area URLs under ``/staff/``: sign in and out, password reset, staff home.

The auth views are Django's own (token checks, session rotation, "same answer whether or
not the address is known"), given GOV.UK templates and forms.
"""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from carerecruit.organisations import views
from carerecruit.organisations.forms import (
    StaffAuthenticationForm,
    StaffPasswordResetForm,
    StaffSetPasswordForm,
)

app_name = "staff"
urlpatterns = [
    path("", views.home, name="home"),
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="organisations/login.html",
            authentication_form=StaffAuthenticationForm,
            redirect_authenticated_user=True,
            next_page=reverse_lazy("staff:home"),
            # LoginView sets site_name to the request's host; the pages show the service.
            extra_context={"site_name": settings.CARERECRUIT_SITE_NAME},
        ),
        name="login",
    ),
    # POST signs out (Django's LogoutView); GET shows a page with a sign-out button.
    path("logout/", views.logout, name="logout"),
    path(
        "password-reset/",
        auth_views.PasswordResetView.as_view(
            template_name="organisations/password_reset_form.html",
            form_class=StaffPasswordResetForm,
            email_template_name="organisations/email/password_reset.txt",
            subject_template_name="organisations/email/password_reset_subject.txt",
            extra_email_context={"service_name": settings.CARERECRUIT_SITE_NAME},
            success_url=reverse_lazy("staff:password-reset-done"),
        ),
        name="password-reset",
    ),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(
            template_name="organisations/password_reset_done.html",
            extra_context={"link_valid_days": settings.PASSWORD_RESET_TIMEOUT // 86400},
        ),
        name="password-reset-done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="organisations/password_reset_confirm.html",
            form_class=StaffSetPasswordForm,
            success_url=reverse_lazy("staff:password-reset-complete"),
        ),
        name="password-reset-confirm",
    ),
    path(
        "password-reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="organisations/password_reset_complete.html",
        ),
        name="password-reset-complete",
    ),
]
