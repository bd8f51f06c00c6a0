"""Help pages, one per workflow, with its diagram and steps."""
