"""Rasd link."""
