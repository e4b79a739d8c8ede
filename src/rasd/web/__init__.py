"""Rasd web."""
