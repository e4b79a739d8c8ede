"""Rasd api."""
