"""Rasd cli."""
