"""Transactional outbox: store an event in the same database transaction as the state change,
and let a relay publish it to Kafka exactly once."""
