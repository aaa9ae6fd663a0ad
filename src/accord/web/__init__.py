"""The dashboard: server-rendered pages for people, logged in with a session (the API keeps its keys)."""
