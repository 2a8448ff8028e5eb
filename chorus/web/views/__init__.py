"""Server-rendered pages. Each view names its policy action with @rule and authorizes
the object it touches; see chorus.orgs.policy."""
