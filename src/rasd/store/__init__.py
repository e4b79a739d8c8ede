"""Rasd store."""
