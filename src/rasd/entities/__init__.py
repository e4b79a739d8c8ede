"""Rasd entities."""
