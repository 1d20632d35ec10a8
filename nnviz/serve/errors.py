"""The launcher's one error type."""


class ServeError(RuntimeError):
    """The replicas or the proxy could not be configured, started or kept running."""
