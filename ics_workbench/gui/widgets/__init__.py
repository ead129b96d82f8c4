"""Reusable widgets shared by panels (tables, progress, status indicators)."""
