/**
 * Which compaction last changed each bucket of the overview's rollups (migration 004_overview),
 * so that the overview can keep what it read of buckets that are over and know, exactly, when
 * one of them changed (server/flows/overview/rollups.ts).
 *
 * `overview_folds` has one row per (metric, grain, bucket) a compaction wrote into, holding that
 * compaction's number (`overview_fold_seq`, taken inside the compaction's transaction; on
 * PostgreSQL compactions run one at a time under an advisory lock, so later compactions hold
 * larger numbers). The stats of a bucket only change in a compaction, in the same transaction
 * as its row here: if the greatest number over a range of buckets is the one seen when those
 * buckets' stats were read, their stats are still the same.
 */
export default /* sql */ `
create sequence overview_fold_seq;

create table overview_folds (
  metric smallint not null,
  grain integer not null,
  bucket timestamptz not null,
  fold bigint not null,
  primary key (metric, grain, bucket)
);
`;
