/** The Workflows page's description, shared by the page and its pending state (kept in the route file). */
export const WORKFLOWS_DESCRIPTION = 'Workflow definitions: ordered stages that move money, wait and update accounts. Definitions are immutable.';
