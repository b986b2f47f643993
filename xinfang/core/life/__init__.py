"""A case's life after registration: the state machine, the one path every action takes
(acting.py), the state folded from the events (projection.py), and the actions, from the
decision to the archive, with their corrections and routing."""
