"""The case lifecycle (DESIGN §3): states, the one transition table, and the fold over actions."""
