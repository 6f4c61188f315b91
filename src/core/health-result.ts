/** The outcome of one probe: a status, or a status with details to show. */
export type HealthStatus = 'up' | 'degraded' | 'down';

/** What a `@HealthCheck` method returns. */
export type HealthResult = HealthStatus | { status: HealthStatus; details?: Record<string, unknown> };
