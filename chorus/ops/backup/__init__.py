"""Backups of a whole Chorus (database, keys and uploaded media) in one .tar.gz, and
restoring them.

    create    create_backup: writes an archive
    restore   restore_backup: checks an archive, then replaces this Chorus's data with it
    archive   member names, the manifest, reading and verifying an archive
    sqlite, postgres   copying, checking and restoring each kind of database
    locations where the backed-up files live here, and replacing one safely
    errors    BackupError
"""
