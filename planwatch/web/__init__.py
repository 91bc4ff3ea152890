"""The web dashboard and JSON API of planwatch (FastAPI + Jinja2 + htmx + ECharts, all served locally)."""
from .app import create_app

__all__ = ["create_app"]
