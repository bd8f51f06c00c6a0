"""The counselor's own page: services, trainings, evaluations."""
