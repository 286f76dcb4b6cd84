/** The notification kind's options for the core (retries and backoff from the config). */
export const NOTIFICATION_OPTIONS = Symbol('NotificationOptions');
