"""Domain models, state machines and the workflow engine of Fudao."""
