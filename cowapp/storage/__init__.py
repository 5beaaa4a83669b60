"""The cart's local store: SQLite through SQLAlchemy 2, migrations, repositories and the outbox.

Repositories hand out domain objects; ORM objects never leave this package. Nothing here knows
about Qt, the network or secrets.
"""
