"""The reviewer queue (待办) and the registry list (名录)."""
