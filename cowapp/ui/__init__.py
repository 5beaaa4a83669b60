"""PySide6 screens, item models and widgets. Never imports httpx or keyring; screens receive
what they need through their constructors."""
