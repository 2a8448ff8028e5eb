"""Getting each delivery to its network exactly once: claiming, sending, retrying,
reconciling, and the loop that runs in every worker."""
