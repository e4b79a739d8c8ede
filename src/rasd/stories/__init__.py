"""Rasd stories."""
