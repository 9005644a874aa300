"""POSTs that Django's CsrfViewMiddleware rejects, each logged on django.security.csrf."""

import django
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.urls import path


def post(request):  # type: ignore[no-untyped-def]
    return HttpResponse("ok")


def secret(request):  # type: ignore[no-untyped-def]
    raise PermissionDenied


urlpatterns = [path("post/", post), path("secret/", secret)]

settings.configure(
    DEBUG=True,
    ROOT_URLCONF=__name__,
    ALLOWED_HOSTS=["testserver"],
    SECRET_KEY="not-a-secret-only-for-this-example",
    MIDDLEWARE=["django.middleware.csrf.CsrfViewMiddleware"],
)
django.setup()

from django.test import Client  # noqa: E402

client = Client(enforce_csrf_checks=True)
client.post("/post/", {"title": "no cookie"})
client.cookies["csrftoken"] = "a" * 32
client.post("/post/", {"title": "no token"})
client.post("/post/", {"title": "wrong token", "csrfmiddlewaretoken": "b" * 32})
client.post("/post/", {"csrfmiddlewaretoken": "a" * 32}, HTTP_ORIGIN="http://evil.example")
# Not a CSRF failure: a view refusing the request is logged on django.request.
client.get("/secret/")
