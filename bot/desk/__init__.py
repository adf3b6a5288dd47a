"""The association's rules: registrations, staff tickets, calendar texts, office hours. Each module owns its
transitions and the outbox rows they cause."""
