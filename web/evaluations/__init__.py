"""The evaluation board: rounds, self-assessments and scoring."""
