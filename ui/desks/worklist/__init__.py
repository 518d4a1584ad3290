"""What the 审批台 and the 出件台 share: a work list with the chosen case's detail."""
