import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  HealthCheck,
  HealthCheckService,
  HealthIndicatorService,
  TypeOrmHealthIndicator,
} from '@nestjs/terminus';
import { SkipThrottle } from '@nestjs/throttler';
import { Public } from '@mediator/auth';
import { ComponentHealth } from '@mediator/component-health';

const CHECK_TIMEOUT_MS = 2000;

/**
 * Terminus health checks: every configured component, and readiness. Liveness (the process alone)
 * is served by LivenessRoute, outside Nest's router.
 *
 * `/health` answers 503 naming any configured component that is down (CONTRACT §4). Readiness
 * answers 503 only for the components the service cannot serve without (the database, MongoDB);
 * a degradable one that is down (Redis, Kafka) makes it 200 `degraded`, so an outage of Redis or
 * Kafka does not take every instance out of the load balancer at once.
 */
@ApiTags('health')
@Public()
@SkipThrottle()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    private readonly components: ComponentHealth,
  ) {}

  private checks(readiness = false) {
    return [
      () => this.database.pingCheck('database', { timeout: CHECK_TIMEOUT_MS }),
      ...this.components.entries().map(([name, check]) => async () => {
        const indicator = this.indicators.check(name);
        try {
          const ok = await withTimeout(check(), CHECK_TIMEOUT_MS);
          if (ok !== false) return indicator.up();
          throw new Error('not reachable');
        } catch (error) {
          const message = (error as Error).message;
          return readiness && this.components.isDegradable(name)
            ? indicator.degraded({ message })
            : indicator.down({ message });
        }
      }),
    ];
  }

  @Get()
  @HealthCheck()
  @ApiOperation({ summary: 'Status of every configured component (503 naming the failed one)' })
  check() {
    return this.health.check(this.checks());
  }

  @Get('ready')
  @HealthCheck()
  @ApiOperation({
    summary: 'Readiness: the database answers (Redis or Kafka down: 200 `degraded`)',
  })
  ready() {
    return this.health.check(this.checks(true));
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_, reject) =>
      setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms).unref(),
    ),
  ]);
}
