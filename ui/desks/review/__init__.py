"""审批台: the back office reviews, reports to the county and decides."""
