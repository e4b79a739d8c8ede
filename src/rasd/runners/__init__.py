"""Rasd runners."""
