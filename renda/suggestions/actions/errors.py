class TransitionError(Exception):
    """A refused write: the message (already translated) says why; nothing was changed."""
