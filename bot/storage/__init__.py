"""Tables, migrations, database set-up, the per-member conversation row, and the outbox. No domain rules here."""
