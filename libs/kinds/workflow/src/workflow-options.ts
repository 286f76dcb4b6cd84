/** The workflow kind's options for the core (retries, lease, step timeout from the config). */
export const WORKFLOW_OPTIONS = Symbol('WorkflowOptions');
