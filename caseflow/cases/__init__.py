"""Cases: the persistent state machines of 行政处罚 and 封存 cases, their guards, effects and audit trail."""
