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
import { ComponentHealth } from './component-health';

const CHECK_TIMEOUT_MS = 2000;

/**
 * Terminus health checks: every configured component, and readiness. Liveness (the process alone)
 * is served by LivenessRoute, outside Nest's router.
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

  private checks() {
    return [
      () => this.database.pingCheck('database', { timeout: CHECK_TIMEOUT_MS }),
      ...this.components.entries().map(([name, check]) => async () => {
        const indicator = this.indicators.check(name);
        try {
          const ok = await withTimeout(check(), CHECK_TIMEOUT_MS);
          return ok === false ? indicator.down({ message: 'not reachable' }) : indicator.up();
        } catch (error) {
          return indicator.down({ message: (error as Error).message });
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
  @ApiOperation({ summary: 'Readiness: the dependencies answer' })
  ready() {
    return this.health.check(this.checks());
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
