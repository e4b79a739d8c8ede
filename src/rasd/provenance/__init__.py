"""Rasd provenance."""
