class ActivityError(Exception):
    """A refused write: the message (already translated) says why; nothing was changed. `code` is stable (the API's
    409 body names it): "state", "role", "version", "too_late", "too_early", "outside", "twice", "invalid"."""

    def __init__(self, message, code="invalid"):
        super().__init__(message)
        self.code = code
        self.message = str(message)

    def __str__(self):
        return self.message
