"""Library errors. Each names the file and the reason; the CLI prints them as one line."""


class PlanwatchError(Exception):
    """Base class of the errors planwatch reports to users."""


class ReadError(PlanwatchError):
    """A file that cannot be read: missing, empty, binary, truncated, encrypted, undecodable …"""

    def __init__(self, path: str, reason: str):
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")
