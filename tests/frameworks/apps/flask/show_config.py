"""A maintenance script that reads the app's configuration."""

from app import app
from flask import current_app

print(current_app.config["GREETING"], app.name)
