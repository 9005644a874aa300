"""Sends one GET request to the app through Django's test client: `python request.py /books/1/`.

The database is created from the models (no migrations) and holds two books with the same title.
An exception in a view propagates out of the client, so its traceback is printed.
"""

import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402 (after django.setup())
from django.test import Client  # noqa: E402
from shop.models import Author, Book  # noqa: E402

call_command("migrate", run_syncdb=True, verbosity=0)
ada = Author.objects.create(name="Ada")
Book.objects.create(title="Notes", author=ada)
Book.objects.create(title="Notes", author=ada)

response = Client().get(sys.argv[1])
print("status", response.status_code)
