"""The commerce domain: entities, value objects and rules, in plain Python."""
