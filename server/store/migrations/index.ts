import flows from './001_flows.js';
import sandbox from './002_sandbox.js';
import triggers from './003_triggers.js';
import viewsSearchBulk from './005_views_search_bulk.js';
import overview from './004_overview.js';
import accountability from './006_accountability.js';
import overviewFolds from './009_overview_folds.js';
import overviewLive from './010_overview_live.js';
import overviewCheaperRefresh from './013_overview_cheaper_refresh.js';

/** Ordered migrations; append only. Each runs once, in a transaction, recorded in schema_migrations. */
export const migrations: { id: string; sql: string }[] = [
  { id: '001_flows', sql: flows },
  { id: '002_sandbox', sql: sandbox },
  { id: '003_triggers', sql: triggers },
  { id: '005_views_search_bulk', sql: viewsSearchBulk },
  { id: '004_overview', sql: overview },
  { id: '006_accountability', sql: accountability },
  { id: '009_overview_folds', sql: overviewFolds },
  { id: '010_overview_live', sql: overviewLive },
  { id: '013_overview_cheaper_refresh', sql: overviewCheaperRefresh },
];
