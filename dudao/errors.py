"""Errors a user sees: always a one-line Chinese message plus a stable code."""


class DudaoError(Exception):
    """A failure explained to the user in Chinese (never a traceback)."""

    code = "error"
    exit_code = 1

    def __init__(self, message: str, code: str | None = None):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code

    def __str__(self) -> str:
        return self.message


class InputError(DudaoError):
    """The input file cannot be read as a report (empty, corrupt, unsupported, too large)."""

    code = "bad_input"
    exit_code = 2


class ConfigError(DudaoError):
    """A data file or scheme given by the user is invalid."""

    code = "bad_config"
    exit_code = 3


class UnsupportedInput(InputError):
    """A file in a folder that is not a report format (README, spreadsheets…): listed, not failed."""

    code = "unsupported"


class OutputError(DudaoError):
    """The output folder cannot be created or written."""

    code = "bad_output"
    exit_code = 4
