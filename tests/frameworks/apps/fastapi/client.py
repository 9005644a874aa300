"""Calls one path of an app module with TestClient; server errors propagate as real tracebacks.

Usage: python client.py MODULE PATH
"""

import importlib
import sys

from fastapi.testclient import TestClient

module = importlib.import_module(sys.argv[1])
client = TestClient(module.app, raise_server_exceptions=True)
response = client.get(sys.argv[2])
print(response.status_code, response.json())
