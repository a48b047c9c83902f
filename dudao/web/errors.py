"""The platform's user-facing error: a Chinese message and the HTTP status to answer with."""


class PlatformError(Exception):
    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.message = message
        self.status = status
