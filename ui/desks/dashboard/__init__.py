"""统计看板: the supervisor's (and an approver's own) dashboard."""
