"""The web page of the archive (``taskforce serve``): search, documents, sessions and statistics in a browser.

Flask and Jinja templates, server-rendered, no JavaScript. See pipeline/web/app.py.
"""
from .app import create_app  # noqa: F401
