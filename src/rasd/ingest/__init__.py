"""Rasd ingest."""
