"""Getting issues from the cart to the central IT service exactly once, and status back.

`engine` holds the rules and has no threads and no Qt; `worker` owns the thread, the HTTP client
and the wake-ups; `connectors` speak each system's API behind one interface.
"""
