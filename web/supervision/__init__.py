"""Department decisions on service centers."""
