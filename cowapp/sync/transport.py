"""The one HTTP client the sync worker uses: TLS always verified, no redirects, our User-Agent.

Trust comes from a configured CA bundle, else the operating system's trust store (via
``truststore``, so a hospital's TLS-inspection CA installed on the cart is honoured), else
certifi. Redirects are never followed, so credentials can never be sent on to another host; a
redirect becomes a clear "configure the final URL" message. Plain http is only accepted for
loopback (checked when the configuration is read).
"""

from __future__ import annotations

import ssl

import httpx

from cowapp import __version__
from cowapp.sync.settings import SyncSettings


def tls_context(settings: SyncSettings) -> tuple[ssl.SSLContext, str]:
    """The TLS context for the central service and a description of where trust comes from."""
    if settings.ca_bundle:
        return ssl.create_default_context(
            cafile=settings.ca_bundle
        ), f"CA bundle {settings.ca_bundle}"
    try:
        import truststore
    except ImportError:  # pragma: no cover - truststore is a dependency; bundles may lack it
        return ssl.create_default_context(), "certifi (Python's default CA list)"
    return truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT), "the operating system's trust store"


def make_client(settings: SyncSettings) -> httpx.Client:
    """A client for ``settings.url``; the caller closes it."""
    context, _source = tls_context(settings)
    timeout = httpx.Timeout(settings.timeout_seconds, connect=min(10.0, settings.timeout_seconds))
    return httpx.Client(
        base_url=settings.url,
        timeout=timeout,
        verify=context,
        follow_redirects=False,
        headers={"User-Agent": f"cowapp/{__version__}", "Accept": "application/json"},
    )
