export interface MediatorConfig {
  /** How many named mediators may exist at once. */
  maxMediators: number;
  /** Default maximum of colleagues per mediator (a mediator may set a lower or higher one). */
  maxColleagues: number;
  /** Default request/reply timeout in milliseconds. */
  timeout: number;
  /** How long a query reply is cached, in milliseconds (default 60 000; 0 disables caching). */
  queryCacheTtl?: number;
}

export const DEFAULT_MEDIATOR_CONFIG: MediatorConfig = {
  maxMediators: 100,
  maxColleagues: 1000,
  timeout: 30_000,
};
