"""Plain-Python core of cowapp: the issue record, its rules, the privacy guard and the taxonomy.

Nothing in this package imports Qt, SQLAlchemy, httpx or keyring; it is tested without any of them.
"""
