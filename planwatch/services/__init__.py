"""Use cases shared by the CLI, the API and the web views: ingest, assess, review.

Each takes a session factory or a session and plain values, and returns plain results; none prints.
"""
