"""Helpers and sample data shared by the tests (imported by tests/conftest.py and by test modules)."""
