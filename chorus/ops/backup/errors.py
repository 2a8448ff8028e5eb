"""The one error backups and restores raise; the commands turn it into a CommandError."""


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why and what to do."""
