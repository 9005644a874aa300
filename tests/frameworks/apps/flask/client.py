"""Sends one request to the app with Flask's test client: `python client.py GET /link`."""

import sys

from app import app

method, path = sys.argv[1], sys.argv[2]
response = app.test_client().open(path, method=method, data={"user": "ada"})
print(response.status_code, response.get_data(as_text=True))
