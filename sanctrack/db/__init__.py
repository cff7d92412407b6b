"""Engines, migrations and the connect() entry point."""
