"""Rasd text."""
