"""alembic environment for cowapp: runs on the connection the app hands over, in batch mode.

At start-up `cowapp.storage.migrate` passes its own connection in ``config.attributes``; no
``alembic`` subprocess is used (the PyInstaller bundle has none). For developers,
``alembic -x db=PATH revision --autogenerate -m "..."`` works from the project root.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from cowapp.storage.models import Base, UTCDateTime

config = context.config
target_metadata = Base.metadata


def _render_item(type_: str, obj: object, autogen_context: object) -> str | bool:
    # Migrations must not import app code that may change later: store UTCDateTime as DateTime.
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime()"
    return False


def _run(connection: object) -> None:
    context.configure(
        connection=connection,  # type: ignore[arg-type]
        target_metadata=target_metadata,
        render_as_batch=True,  # SQLite cannot ALTER most things; batch mode copies the table
        compare_type=True,
        render_item=_render_item,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    db = context.get_x_argument(as_dictionary=True).get("db", "cowapp-dev.db")
    with create_engine(f"sqlite:///{db}").connect() as dev_connection:
        _run(dev_connection)
