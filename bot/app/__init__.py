"""The processes: command line, web server, outbox worker, and their settings."""
