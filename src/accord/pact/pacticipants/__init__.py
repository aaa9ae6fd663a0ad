"""Pacticipants and their labels as the Pact API addresses them, over the native service directory."""
