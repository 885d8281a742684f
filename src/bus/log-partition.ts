/**
 * The log is one partition today. Whatever names a partition (a metric's label, the start-up
 * log) names this one already, so that it keeps its name and shape when the log is partitioned.
 */
export const ONLY_PARTITION = '0';
