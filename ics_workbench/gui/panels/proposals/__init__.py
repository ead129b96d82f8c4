"""Proposals panel: a form per proposal kind with errors at the field, live JSON preview and update diff."""
